"""User text made safe to show: escape and control sequences stripped, Rich markup escaped.

Every string that comes from an answers file, a session, the log or a rule base is text, never
instructions to the terminal: `printable` removes ANSI/VT escape sequences (CSI, OSC such as
hyperlinks, DCS and the rest), C0 controls but newline and tab, DEL and C1 controls; letters use
it. `for_terminal` also removes the bidirectional overrides and isolates that can make a line read
differently from what it holds; `markup_safe` escapes the result for Rich markup, for a string
that Rich parses (a `say`, a table cell, a panel or rule title).
"""

from __future__ import annotations

import re

_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape (and a lone ESC)
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without escape sequences and control characters (newline and tab are kept)."""
    if text.isprintable():
        return text  # the common case, and fast
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


def for_terminal(text: str) -> str:
    """`printable(text)` without bidirectional overrides and isolates."""
    if text.isprintable():
        return text  # neither controls nor bidi formatting characters (not printable either)
    return _BIDI.sub("", printable(text))


def json_safe(text: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` gives it) with the C1 controls, bidi
    overrides and isolates in its strings written as `\\u` escapes (four hex digits, e.g.
    `\\u202e`): the same JSON value, but nothing a terminal acts on. (`json.dumps` escapes C0 controls itself.)"""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markup_safe(text: str) -> str:
    """`for_terminal(text)` escaped so that Rich shows it literally, `[` and all."""
    from rich.markup import escape  # here: rich.markup loads rich.text, which `ncnd decide` into a pipe never needs

    return escape(for_terminal(text))
