"""Code habits the design notes ask for, checked so they stay true."""

from __future__ import annotations

import re

from tests.conftest import ROOT

PACKAGE = ROOT / "ncnd_assistant"


def sources() -> dict[str, str]:
    return {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def test_only_engine_py_imports_durable() -> None:
    importers = [name for name, text in sources().items()
                 if re.search(r"^\s*(from|import)\s+durable\b", text, re.MULTILINE)]
    assert importers == ["engine.py"]


def test_only_the_cli_prints_or_exits() -> None:
    offenders = [name for name, text in sources().items() if not name.startswith("cli/") and name != "__main__.py"
                 and re.search(r"\bprint\(|sys\.exit\(|typer\.Exit|\.print\(", text)]
    assert offenders == []


def test_every_command_is_registered() -> None:
    from ncnd_assistant.cli import app

    def names(typer_app: object) -> set[str]:
        commands = {c.name or c.callback.__name__ for c in typer_app.registered_commands}  # type: ignore[attr-defined]
        return commands | {g.name for g in typer_app.registered_groups}  # type: ignore[attr-defined]

    assert {"interview", "decide", "notice", "version", "rules", "audit"} <= names(app)
    rules = next(g.typer_instance for g in app.registered_groups if g.name == "rules")
    assert {"check", "test", "diff", "graph", "docs", "schema"} <= {c.name for c in rules.registered_commands}
    audit = next(g.typer_instance for g in app.registered_groups if g.name == "audit")
    assert {"verify", "list", "show", "export", "replay", "sign-off", "pending"} <= {
        c.name or c.callback.__name__ for c in audit.registered_commands}
