"""The package's shape, checked so it stays true: the layers, no import cycles, who may import
durable-rules, who may print (docs/architecture.md)."""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tests.conftest import ROOT

PACKAGE = ROOT / "ncnd_assistant"

# The face of the package: importable from anywhere, importing nothing of the package but
# `ncnd_assistant` itself (for `__version__`).
FACE = {"ncnd_assistant", "ncnd_assistant.errors", "ncnd_assistant.paths", "ncnd_assistant.text_safety",
        "ncnd_assistant.lazy_dataclass", "ncnd_assistant.__main__"}
# paths raises errors.StorageError; errors imports only lazy_dataclass, which imports nothing
FACE_SHARED = {"ncnd_assistant", "ncnd_assistant.errors", "ncnd_assistant.lazy_dataclass"}

# Which sub-packages each sub-package may import (besides itself and the face). The pipeline
# runs top to bottom; nothing imports upward.
ALLOWED: dict[str, set[str]] = {
    "rulebase": set(),
    "settings": {"rulebase"},
    "engine": {"rulebase"},
    "decide": {"rulebase", "engine"},
    "store": {"rulebase", "decide", "settings", "audit"},  # audit's base layer only (tests/test_store.py)
    "audit": {"rulebase", "decide", "settings", "store"},
    "letter": {"rulebase", "decide", "audit", "settings"},
    "checks": {"rulebase", "settings", "engine", "decide", "audit", "letter"},
    "render": {"rulebase", "decide", "audit", "letter", "checks", "settings"},
    "interview": {"rulebase", "decide", "audit", "letter", "settings"},
    "cases": {"rulebase", "decide", "audit", "store", "letter", "settings"},
    "cli": {"rulebase", "settings", "engine", "decide", "audit", "store", "letter", "checks", "render", "interview",
            "cases"},
}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


@functools.cache
def sources() -> dict[str, str]:
    return {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def imports(path: Path) -> set[str]:
    """Every `ncnd_assistant` module `path` imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    resolved = set()
    for name in found:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            resolved.add(name)
    return resolved - {module_name(path)}


@functools.cache
def graph() -> dict[str, set[str]]:  # every module parsed once per test process (several tests read it)
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_every_sub_package_has_a_layer_and_says_what_it_owns() -> None:
    packages = {d.name for d in PACKAGE.iterdir() if (d / "__init__.py").exists()}
    assert packages == set(ALLOWED)
    for name in packages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 20, f"{name}/__init__.py needs a docstring saying what it owns"


def test_the_top_level_is_only_the_face() -> None:
    assert {module_name(p) for p in PACKAGE.glob("*.py")} == FACE


def test_imports_follow_the_layers() -> None:
    wrong = []
    for module, targets in graph().items():
        mine = layer(module)
        for target in targets:
            theirs = layer(target)
            if theirs is None:  # the face
                if mine is None and module != "ncnd_assistant.__main__" and target not in FACE_SHARED:
                    wrong.append(f"{module} -> {target} (the face imports nothing of the package but errors)")
                continue
            if mine is not None and theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_no_import_workarounds() -> None:
    """No `TYPE_CHECKING` imports and no imports after code to dodge a cycle."""
    offenders = [name for name, text in sources().items()
                 if "TYPE_CHECKING" in text or re.search(r"noqa: [^\n]*E402", text)]
    assert offenders == []


def test_only_the_engine_adapter_imports_durable() -> None:
    importers = [name for name, text in sources().items()
                 if re.search(r"^\s*(from|import)\s+durable\b", text, re.MULTILINE)]
    assert importers == ["engine/durable.py"]


@pytest.mark.slow  # starts another Python process
def test_reading_checking_and_rendering_do_not_load_durable() -> None:
    """Import every module except the adapter: durable and holidays stay unloaded."""
    names = sorted(m for m in graph() if m not in ("ncnd_assistant.engine.durable", "ncnd_assistant.__main__"))
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in ('durable', 'holidays') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_help_loads_no_engine() -> None:
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "ncnd_assistant", "--help"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines() if "|" in line}
    assert not loaded & {"durable", "holidays"}


@pytest.mark.slow  # starts another Python process
def test_decide_with_no_store_yet_loads_no_database_code(tmp_path: Path) -> None:
    """A recommendation before anything is stored opens no store: SQLAlchemy is not even imported."""
    env = {**os.environ, "NCND_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("NCND_STORE", None)
    env.pop("NCND_AUDIT", None)
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "ncnd_assistant", "decide", "--answers",
                          str(ROOT / "examples" / "wmp-16883-18.yaml")], capture_output=True, text=True, check=True,
                         cwd=ROOT, env=env)
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines() if "|" in line}
    assert "sqlalchemy" not in loaded and "alembic" not in loaded
    assert "Neither confirm nor deny" in out.stdout


@pytest.mark.slow  # starts another Python process
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_warm_decide_imports_no_store_audit_or_rule_reading_code(tmp_path: Path, output: str) -> None:
    """Start-up (issue 16): with no store yet, no --record and the rule base cached, `ncnd decide`
    imports no store or audit code, nothing that reads rule files, and no database or pretty-printing."""
    env = {**os.environ, "NCND_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "NCND_CACHE_DIR": str(tmp_path / "cache")}
    for name in ("NCND_STORE", "NCND_AUDIT", "NCND_NO_CACHE", "NCND_SETTINGS"):
        env.pop(name, None)
    probe = ("import sys; from ncnd_assistant.cli.app import app; sys.argv = ['ncnd', *sys.argv[1:]]\n"
             "try:\n    app()\nexcept SystemExit:\n    pass\n"
             "print('MODULES', ' '.join(sorted(sys.modules)))")
    argv = [sys.executable, "-c", probe, "decide", "--answers", str(ROOT / "examples" / "wmp-16883-18.yaml"),
            "--format", output]
    subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT, env=env)  # fills the cache
    out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert "not_held" in out.stdout or "Not held" in out.stdout
    loaded = set(out.stdout.rsplit("MODULES ", 1)[1].split())
    assert "ncnd_assistant.decide.assess" in loaded  # the probe ran the command
    forbidden = {m for m in loaded if m.startswith(("ncnd_assistant.audit", "ncnd_assistant.store", "sqlalchemy",
                                                    "ncnd_assistant.letter", "ncnd_assistant.checks",
                                                    "rich.pretty", "rich.traceback", "rich.markdown"))}
    forbidden |= loaded & {"ncnd_assistant.rulebase.read", "ncnd_assistant.rulebase.build",
                           "ncnd_assistant.rulebase.references", "ncnd_assistant.rulebase.shapes",
                           "ncnd_assistant.render.markdown"}
    assert forbidden == set()


def test_only_the_cli_prints_or_exits() -> None:
    offenders = [name for name, text in sources().items() if not name.startswith("cli/") and name != "__main__.py"
                 and re.search(r"\bprint\(|sys\.exit\(|typer\.Exit|\.print\(", text)]
    assert offenders == []


def test_every_command_is_registered() -> None:
    from ncnd_assistant.cli import app
    from ncnd_assistant.cli.lazy import LAZY_GROUPS

    def commands(typer_app: typer.Typer) -> set[str]:
        return {str(c.name or getattr(c.callback, "__name__", "")) for c in typer_app.registered_commands}

    def group(name: str) -> typer.Typer:  # `rules` and `audit` are registered lazily (cli/lazy.py)
        return next(g.load() for g in LAZY_GROUPS if g.name == name)

    assert {"interview", "decide", "notice", "version", "rules", "audit"} <= commands(app) | {
        g.name for g in LAZY_GROUPS}
    assert {"check", "test", "diff", "graph", "docs", "schema", "evaluate"} <= commands(group("rules"))
    assert {"verify", "list", "show", "export", "replay", "sign-off", "pending"} <= commands(group("audit"))


def test_docs_architecture_names_every_module() -> None:
    """Each sub-package's list in docs/architecture.md names every module it holds."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^\*\*`(\w+)/`\*\*\n(.*?)(?=^\*\*`|^## )", text, re.MULTILINE | re.DOTALL))
    missing = [f"{path.parent.name}/{path.name}" for path in sorted(PACKAGE.glob("*/*.py"))
               if path.stem != "__init__" and f"- `{path.stem}`" not in sections.get(path.parent.name, "")]
    assert missing == [], "docs/architecture.md should name these modules under their sub-package"
