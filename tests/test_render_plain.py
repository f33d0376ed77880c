"""`render.plain` draws the very characters Rich prints for the same blocks without colour, or
says it cannot (None); `ncnd decide` into a pipe uses it and never loads Rich's console."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from ncnd_assistant.decide.mixed import decide_file
from ncnd_assistant.render.blocks import Block, Box, Columns, Para, assessment_blocks
from ncnd_assistant.render.plain import draw
from ncnd_assistant.render.text import group
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def rich_text(blocks: list[Block] | tuple[Block, ...], width: int) -> str:
    """What `ncnd decide` printed with Rich into a pipe of `width` columns."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, soft_wrap=False, force_terminal=False,
            legacy_windows=False).print(group(list(blocks)))
    return out.getvalue()


WORDS = st.text(alphabet=st.sampled_from("abcdefghij ABC-,.'()§é"), min_size=0, max_size=14)
WIDE = st.text(alphabet=st.sampled_from("ab 漢字ﾃ😀é\u0301\n-"), min_size=0, max_size=30)  # wide, combining, newline
TEXT = st.one_of(st.lists(WORDS, max_size=25).map(" ".join), WIDE,
                 st.text(alphabet=st.sampled_from("x "), max_size=200))  # long words, runs of spaces
AWKWARD = st.text(alphabet=st.sampled_from("ab \x01\t\r"), min_size=1, max_size=8)  # controls and tabs
STYLE = st.sampled_from(["", "bold", "dim"])


def paragraphs(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Para]:
    return st.builds(Para, st.lists(st.tuples(texts, STYLE), min_size=1, max_size=3).map(tuple), STYLE,
                     st.one_of(st.none(), st.integers(0, 6)))


PARA = paragraphs(st.one_of(TEXT, TEXT, TEXT, AWKWARD))
CELL = st.one_of(WORDS, st.text(alphabet=st.sampled_from("ab 漢\n"), max_size=12))
COLUMNS = st.integers(1, 4).flatmap(lambda n: st.builds(
    Columns, st.lists(CELL, min_size=n, max_size=n).map(tuple),
    st.lists(st.lists(CELL, min_size=n, max_size=n).map(tuple), max_size=4).map(tuple)))
BOX = st.builds(Box, TEXT, st.lists(st.one_of(PARA, COLUMNS), min_size=1, max_size=5).map(tuple))
BLOCKS = st.lists(st.one_of(PARA, BOX, st.builds(Box, WORDS, st.lists(BOX, min_size=1, max_size=2).map(tuple))),
                  min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(BLOCKS, st.integers(10, 130))
def test_plain_drawing_is_richs_text_or_nothing(blocks: list[Block], width: int) -> None:
    drawn = draw(blocks, width)
    if drawn is not None:
        assert drawn == rich_text(blocks, width)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(paragraphs(TEXT), st.builds(Box, TEXT, st.lists(paragraphs(TEXT), min_size=1,
                                                                            max_size=5).map(tuple))),
                min_size=1, max_size=4), st.integers(40, 130))
def test_ordinary_text_is_always_drawn(blocks: list[Block], width: int) -> None:
    """Without tabs, controls or tables, nothing falls back to Rich: the fast path is the usual one."""
    assert draw(blocks, width) is not None


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("width", [80, 53, 131])
@pytest.mark.parametrize("explain", [True, False])
def test_every_example_is_drawn_as_rich_draws_it(example: Path, width: int, explain: bool) -> None:
    blocks = assessment_blocks(decide_file(example), explain)
    drawn = draw(blocks, width)
    assert drawn is not None and drawn == rich_text(list(blocks), width)


@pytest.mark.parametrize("width", [24, 40, 61, 80, 200])
def test_a_table_too_wide_for_its_room_is_shrunk_and_wrapped_as_rich_does(width: int) -> None:
    table = Columns(("Provision", "Type", "Harm"), (("s24(2) National Security " * 3, "qualified " * 4, "-"),
                                                    ("s31(3) Law Enforcement (in the alternative)", "x", "would")))
    blocks: list[Block] = [Box("Part 'covert': the covert use of facial recognition", (table,))]
    assert draw(blocks, width) == rich_text(blocks, width)


def test_what_it_cannot_match_it_leaves_to_rich() -> None:
    assert draw([Para((("a\tb", ""),))], 80) is None  # Rich expands tabs
    assert draw([Para((("a\x01b", ""),))], 80) is None  # and gives other controls no width
    assert draw([Columns(("a",) * 6, ())], 12) is None  # columns with no room
    assert draw([Para((("text", ""),))], 9) is None


def _decide(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    code = ("import sys\nfrom ncnd_assistant.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('rich.console' in sys.modules, file=sys.stderr)")
    seed = str(ROOT / "examples" / "wmp-16883-18.yaml")
    return subprocess.run([sys.executable, "-c", code, "decide", "--answers", seed, *extra], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **env}, check=True)


@pytest.mark.slow
def test_decide_into_a_pipe_prints_richs_text_without_richs_console() -> None:
    plain = _decide({"COLUMNS": "72"})
    forced = _decide({"COLUMNS": "72", "TTY_COMPATIBLE": "0"})  # Rich draws it: no colour, same width
    assert plain.stderr.strip().endswith("False") and forced.stderr.strip().endswith("True")
    assert plain.stdout == forced.stdout and "╭─ Part 'overt'" in plain.stdout


def test_a_rich_without_its_word_wrap_is_left_to_print_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    import ncnd_assistant.render.plain as plain

    monkeypatch.setattr(plain, "_rich_divide_line", None)
    assert draw([Para((("text", ""),))], 80) is None
