"""The lint checks of citations: missing (`missing-citation`), or relying on a version of the
source too old to trust unchecked (`stale-citation`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ncnd_assistant.errors import Location, Problem
from ncnd_assistant.rulebase.model import Citation, RuleBase
from ncnd_assistant.rulebase.yamlsource import YNode, parse_file

ERROR = "error"
WARNING = "warning"


def citation_problems(rb: RuleBase, max_age_days: int, today: date) -> list[Problem]:
    """Rules and provisions without a citation; citations checked longer ago than `max_age_days`."""
    problems = []
    owners: list[tuple[str, str, Location, Sequence[Citation], bool]] = []
    owners += [("question", q.id, q.loc, q.citations, False) for q in rb.questions]
    owners += [("provision", p.id, p.loc, p.citations, True) for p in rb.provisions]
    owners += [("rule", r.id, r.loc, r.citations, True) for r in rb.rules]
    places = _CitationPlaces()
    for kind, ident, loc, citations, required in owners:
        if required and not citations:
            problems.append(Problem(loc, "missing-citation", f"{kind} '{ident}' has no citation",
                                    "add `citations:` with the Act, case or guidance it rests on", ERROR))
        for i, citation in enumerate(citations):
            if citation.as_of is None:
                continue
            age = (today - citation.as_of).days
            if age > max_age_days:
                problems.append(Problem(
                    places.at(loc, i), "stale-citation",
                    f"{kind} '{ident}' cites '{citation.ref}' as of {citation.as_of.isoformat()}, "
                    f"{age} days ago (more than {max_age_days})",
                    "check the source is still current and update `as_of`", WARNING))
    return problems


class _CitationPlaces:
    """Where each citation of an entry is written, found by reading its file again (only when a
    citation has something to report); the entry's own place when the file cannot be read."""

    def __init__(self) -> None:
        self._files: dict[str, YNode | None] = {}

    def at(self, owner: Location, index: int) -> Location:
        if owner.line <= 0:
            return owner
        if owner.path not in self._files:
            self._files[owner.path] = parse_file(Path(owner.path), owner.path, []) if Path(
                owner.path).is_file() else None
        node = _find(self._files[owner.path], owner)
        if node is None:
            return owner
        citations = node.value.get("citations")
        if citations is None or not citations.is_list or index >= len(citations.value):
            return owner
        item: YNode = citations.value[index]
        if item.is_map and "as_of" in item.value:
            return item.value["as_of"].loc  # type: ignore[no-any-return]
        return item.loc


def _find(node: YNode | None, loc: Location) -> YNode | None:
    """The mapping that starts at `loc`."""
    if node is None:
        return None
    if node.is_map and node.loc == loc:
        return node
    children = node.value.values() if node.is_map else node.value if node.is_list else ()
    for child in children:
        found = _find(child, loc)
        if found is not None:
            return found
    return None
