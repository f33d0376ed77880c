"""The case store on all three backends (JSONL, SQLite and a real PostgreSQL server): the chain,
tamper evidence in the database, anchors, moving a log between backends, concurrent writers and a
writer killed mid-insert (docs/store.md).

PostgreSQL: $NCND_TEST_PG_URL names a server to use (each test gets a database of its own);
otherwise a throwaway cluster is started (initdb and pg_ctl in a temporary folder, on a unix
socket). Without PostgreSQL server binaries those tests are skipped, unless $NCND_REQUIRE_PG is 1
(as in .ci/run), when they fail.
"""

from __future__ import annotations

import ast
import glob
import itertools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.export import REQUESTER_MASK, export
from ncnd_assistant.audit.log import AuditError
from ncnd_assistant.audit.signoff import sign_off
from ncnd_assistant.audit.verify import EDITED, LINK, verify
from ncnd_assistant.cli.app import app
from ncnd_assistant.errors import StorageError
from ncnd_assistant.store import Anchor, Store, open_store
from ncnd_assistant.store.base import REQUESTER_KEY
from ncnd_assistant.store.jsonl import JsonlStore
from ncnd_assistant.store.locate import StoreUrlError, open_url, store_url
from ncnd_assistant.store.schema import HEAD_REVISION, MIGRATIONS
from ncnd_assistant.store.sql import SqlStore
from ncnd_assistant.store.transfer import anchor_of, read_anchor
from tests.conftest import ROOT, SEED

runner = CliRunner()
BACKENDS = ["jsonl", "sqlite", "postgresql"]
_names = itertools.count(1)


# ---------------------------------------------------------------------------------------------- PostgreSQL
def _pg_bin() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian's layout, else the PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _unavailable(why: str) -> None:
    if os.environ.get("NCND_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL is required ($NCND_REQUIRE_PG=1) but {why}")
    pytest.skip(f"no PostgreSQL: {why}")


def _as_server_user(command: list[str]) -> list[str]:
    """Run a server binary as `postgres` when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A URL of a PostgreSQL server's `postgres` database: $NCND_TEST_PG_URL, else a throwaway cluster."""
    if os.environ.get("NCND_TEST_PG_URL"):
        yield os.environ["NCND_TEST_PG_URL"]
        return
    bindir = _pg_bin()
    if bindir is None:
        _unavailable("no initdb found (apt-get install postgresql)")
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="ncnd-pg-"))  # not under pytest's root-only folder: the server reads it
    try:
        yield from _cluster(bindir, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cluster(bindir: Path, folder: Path) -> Iterator[str]:
    """initdb and pg_ctl start in `folder`, on a unix socket only; stopped when the generator ends."""
    data, sock = folder / "data", folder / "sock"
    data.mkdir()
    sock.mkdir()
    if os.geteuid() == 0:
        os.chmod(folder, 0o755)
        for path in (data, sock):
            shutil.chown(path, "postgres")
    init = subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                           "--no-sync"]), capture_output=True, text=True, cwd="/")
    if init.returncode != 0:
        _unavailable(f"initdb failed: {init.stderr.strip()[-300:]}")
    port = 20000 + os.getpid() % 20000
    start = subprocess.run(_as_server_user([
        str(bindir / "pg_ctl"), "-D", str(data), "-l", str(sock / "server.log"), "-w", "-o",
        f"-p {port} -k {sock} -c listen_addresses=''", "start"]), capture_output=True, text=True, cwd="/")
    if start.returncode != 0:
        _unavailable(f"the server did not start: {start.stderr.strip()[-300:]}")
    try:
        yield f"postgresql://postgres@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, cwd="/")


def _libpq(url: str) -> str:
    """A psycopg connection string for a store URL."""
    u = make_url(url)
    parts = {"dbname": u.database, "user": u.username, "password": u.password, "host": u.host, "port": u.port,
             **{k: v for k, v in u.query.items() if isinstance(v, str)}}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def fresh_database(server: str) -> str:
    """A new, empty database on the server, as a store URL."""
    name = f"ncnd_test_{os.getpid()}_{next(_names)}"
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a new, empty store on each backend."""
    if request.param == "jsonl":
        return f"jsonl:///{tmp_path / 'audit.jsonl'}"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    return fresh_database(request.getfixturevalue("pg_server"))


def sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    """Run SQL directly on a SQL store's database, bypassing the tool (a superuser: the tamperer)."""
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn, conn:  # closed, not only committed
            rows = conn.executescript(statement) if ";" in statement else conn.execute(statement)
            return list(rows)
    with psycopg.connect(_libpq(url), autocommit=True) as pg:
        cur = pg.execute(statement)
        return list(cur.fetchall()) if cur.description else []


def bodies(n: int, prefix: str = "CASE") -> list[dict[str, Any]]:
    return [{"kind": "decision", "case_ref": f"{prefix}-{i}", "officer": "A. Officer", "harm_text": "é" * i}
            for i in range(1, n + 1)]


# ---------------------------------------------------------------------------------------------- the interface
def test_append_stream_and_head_on_every_backend(store_at: str) -> None:
    with open_store(store_at) as store:
        assert store.head() == (0, audit.GENESIS)
        first = store.append_many(bodies(3))
        more = store.append({"kind": "decision", "case_ref": "CASE-4", "officer": "A",
                             REQUESTER_KEY: {"name": "J. Bloggs"}})
        assert store.append_many([]) == []
    with open_store(store_at) as again:  # durable: a new connection sees every record
        records = list(again.records())
        assert [r.id for r in records] == [r.id for r in [*first, more]]
        assert [r.to_json() for r in records] == [r.to_json() for r in [*first, more]]
        assert records[-1].to_json()[REQUESTER_KEY] == {"name": "J. Bloggs"}  # kept apart, put back on reading
        assert records[1].prev_hash == records[0].hash and records[0].prev_hash == audit.GENESIS
        assert again.head() == (4, more.hash)
        report = verify(again)
        assert report.ok and report.records == 4 and report.kinds == {"decision": 4}, report.first_bad


def test_a_team_store_needs_the_officer(pg_server: str) -> None:
    with open_store(fresh_database(pg_server)) as store:
        with pytest.raises(AuditError, match="records who decided: give --officer"):
            store.append_many([*bodies(1), {"kind": "decision", "officer": " "}])
        assert store.head()[0] == 0
        store.append({"kind": "sign-off", "by": "B"})  # only decisions name their officer


def test_a_record_needs_a_kind_and_nothing_is_written(store_at: str) -> None:
    with open_store(store_at) as store:
        store.append_many(bodies(1))
        with pytest.raises(AuditError, match="needs a `kind`"):
            store.append_many([bodies(1)[0], {"case_ref": "no kind"}])
        assert store.head()[0] == 1


def test_the_requester_is_stored_apart_from_the_decision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with open_store(url) as store:
        store.append({"kind": "decision", "case_ref": "R-1", REQUESTER_KEY: "Ms Requester, 1 High St"})
        store.append({"kind": "decision", "case_ref": "R-2"})
    body = sql(url, "select body from audit_record order by seq")
    assert all("Requester" not in row[0] for row in body)
    assert sql(url, "select seq, identity from requester_identity") == [(1, '"Ms Requester, 1 High St"')]


def test_an_export_masks_the_requester(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        rec = store.append({"kind": "decision", "case_ref": "R-1", REQUESTER_KEY: "Ms Requester"})
        result, _ = export(store, rec.id, "json", mask_sensitive=False)
        markdown, _ = export(store, rec.id, "markdown", mask_sensitive=False)
    assert json.loads(result.text)["decision"][REQUESTER_KEY] == REQUESTER_MASK
    assert "Ms Requester" not in result.text and "Ms Requester" not in markdown.text


def test_sign_off_keeps_four_eyes_on_a_database(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        decision = store.append({"kind": "decision", "case_ref": "S-1", "officer": "A. Officer"})
        with pytest.raises(AuditError, match="four eyes"):
            sign_off(store, decision.id, "a. officer")
        signed = sign_off(store, decision.id[:8], "B. Signer")
        assert signed.decision_id == decision.id and store.head() == (2, signed.hash)
        with pytest.raises(AuditError, match="already signed off"):
            sign_off(store, decision.id, "B. Signer")
        assert verify(store).ok


# ---------------------------------------------------------------------------------------------- tamper evidence
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_tables_refuse_update_and_delete(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}" if backend == "sqlite" else fresh_database(
        request.getfixturevalue("pg_server"))
    with open_store(url) as store:
        store.append_many([*bodies(2), {"kind": "decision", "officer": "A", REQUESTER_KEY: "X"}])
    statements = ["update audit_record set case_ref = 'X'", "delete from audit_record where seq = 2",
                  "delete from requester_identity", "update requester_identity set identity = '\"Y\"'"]
    if backend == "postgresql":
        statements += ["truncate audit_record cascade", "truncate requester_identity"]
    for statement in statements:
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
            sql(url, statement)
    assert verify(open_store(url)).records == 3


def _bypass(url: str, statement: str) -> None:
    """Change the table with its triggers out of the way, as a database superuser could."""
    if url.startswith("sqlite"):
        sql(url, "drop trigger audit_record_no_update; drop trigger audit_record_no_delete; " + statement + ";")
    else:
        sql(url, f"alter table audit_record disable trigger all; {statement}; "
                 "alter table audit_record enable trigger all")


TAMPERING = [
    ("delete from audit_record where seq = 3", 4, LINK, "removed"),
    ("update audit_record set body = replace(body, 'CASE-2', 'CASE-X') where seq = 2", 2, EDITED, "its hash"),
    ("update audit_record set body = replace(body, '\", \"', '\",  \"') where seq = 2", 2, EDITED, "not as written"),
    ("update audit_record set hash = '" + "f" * 64 + "' where seq = 5", 5, EDITED, "does not match its hash"),
    ("update audit_record set prev_hash = '" + "e" * 64 + "' where seq = 3", 3, EDITED, "prev_hash column"),
    ("delete from audit_record where seq = 1", 2, LINK, "first record does not start the chain"),
]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("statement", "line", "what", "detail"), TAMPERING, ids=[t[2] + t[3] for t in TAMPERING])
def test_tampering_in_the_database_is_detected(backend: str, statement: str, line: int, what: str, detail: str,
                                                request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}" if backend == "sqlite" else fresh_database(
        request.getfixturevalue("pg_server"))
    with open_store(url) as store:
        store.append_many(bodies(5))
    _bypass(url, statement)
    report = verify(open_store(url))
    assert report.first_bad is not None and (report.first_bad.line, report.first_bad.what) == (line, what)
    assert detail in report.first_bad.detail or detail in str(report.first_bad)
    result = runner.invoke(app, ["audit", "verify", "--store", url])
    assert result.exit_code == 1 and "FAILED" in result.output


def _drop_last(url: str, n: int) -> None:
    if url.startswith("jsonl"):
        path = Path(url.removeprefix("jsonl:///"))
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:-n]))
    else:
        _bypass(url, f"delete from audit_record where seq > (select max(seq) - {n} from audit_record)")


def test_an_anchor_detects_the_removal_of_the_last_records(store_at: str, tmp_path: Path) -> None:
    with open_store(store_at) as store:
        store.append_many(bodies(5))
        anchor = anchor_of(store)
        assert (anchor.count, anchor.url) == (5, store.url)
        store.append_many(bodies(2, "LATER"))
        assert verify(store, anchor).ok  # records after the anchor are fine
    out = tmp_path / "anchor.json"
    result = runner.invoke(app, ["audit", "anchor", "--store", store_at, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_anchor(out).count == 7 and (out.stat().st_mode & 0o777) == 0o600
    _drop_last(store_at, 2)
    with open_store(store_at) as store:
        assert verify(store).ok  # the chain alone cannot tell
        assert verify(store, anchor).ok  # the first anchor's 5 records are all there
        later = verify(store, read_anchor(out))
    assert not later.ok and "has 5: records up to the anchor were removed" in later.anchor_break
    result = runner.invoke(app, ["audit", "verify", "--store", store_at, "--anchor", str(out)])
    assert result.exit_code == 1 and "records up to the anchor were removed" in result.output.replace("\n", " ")


def test_an_anchor_of_another_chain_is_refused(tmp_path: Path) -> None:
    store = open_store(f"jsonl:///{tmp_path / 'a.jsonl'}")
    store.append_many(bodies(3))
    report = verify(store, Anchor(2, "a" * 64))
    assert not report.ok and "is not the one anchored" in report.anchor_break
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "ncnd-anchor", "count": -1}', encoding="utf-8")
    with pytest.raises(AuditError, match="not an anchor"):
        read_anchor(bad)


# ---------------------------------------------------------------------------------------------- moving between backends
def test_a_log_round_trips_through_all_three_backends(tmp_path: Path, pg_server: str) -> None:
    original = tmp_path / "original.jsonl"
    audit.append_many(original, bodies(4))
    audit.append(original, {"kind": "decision", "case_ref": "R", REQUESTER_KEY: {"name": "Ü. Requester"}})
    audit.append(original, {"kind": "sign-off", "decision_id": "x", "by": "B"})
    sqlite_url, pg_url = f"sqlite:///{tmp_path / 'team.db'}", fresh_database(pg_server)
    for source, target in ((["--audit", str(original)], ["--store", sqlite_url]),
                           (["--store", sqlite_url], ["--store", pg_url])):
        exported = tmp_path / f"step-{next(_names)}.jsonl"
        result = runner.invoke(app, ["store", "export", *source, "--out", str(exported)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["store", "import", str(exported), *target])
        assert result.exit_code == 0 and "verifies (6 record(s)" in result.output, result.output
    back = tmp_path / "back.jsonl"
    assert runner.invoke(app, ["store", "export", "--store", pg_url, "--out", str(back)]).exit_code == 0
    assert back.read_bytes() == original.read_bytes()  # byte for byte: ids, times and hashes kept
    assert all(verify(open_store(url)).ok for url in (sqlite_url, pg_url, f"jsonl:///{back}"))


def test_an_import_is_all_or_nothing(store_at: str, tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    audit.append_many(other, bodies(3, "OTHER"))
    with open_store(store_at) as store:
        store.append_many(bodies(2))
        before = store.head()
        with pytest.raises(AuditError, match="does not follow the store's last record"):
            store.import_records(json.loads(line) for line in other.read_text(encoding="utf-8").splitlines())
        assert store.head() == before
    lines = other.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("OTHER-2", "OTHER-X")
    other.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["store", "import", str(other), "--store", store_at])
    assert result.exit_code == 1 and "does not verify" in result.output and "nothing imported" in result.output


# ---------------------------------------------------------------------------------------------- choosing the store
def test_the_default_store_is_sqlite_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NCND_AUDIT", "NCND_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NCND_SETTINGS", str(tmp_path / "none.yaml"))
    (tmp_path / "none.yaml").write_text("officer: A\n", encoding="utf-8")
    assert store_url() == f"sqlite:///{tmp_path / 'data' / 'audit.db'}"
    legacy = tmp_path / "data" / "audit.jsonl"  # an officer's log from before the store
    audit.append(legacy, {"kind": "decision"})
    assert isinstance(open_store(), JsonlStore) and store_url() == f"jsonl:///{legacy}"
    (tmp_path / "data" / "audit.db").touch()
    assert isinstance(open_store(), SqlStore)


def test_which_setting_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = tmp_path / "s.yaml"
    settings.write_text(f"store: sqlite:///{tmp_path / 'settings.db'}\n", encoding="utf-8")
    monkeypatch.setenv("NCND_SETTINGS", str(settings))
    for name in ("NCND_AUDIT", "NCND_STORE"):
        monkeypatch.delenv(name, raising=False)
    assert store_url() == f"sqlite:///{tmp_path / 'settings.db'}"
    monkeypatch.setenv("NCND_STORE", "sqlite:///env.db")
    assert store_url() == "sqlite:///env.db"
    monkeypatch.setenv("NCND_AUDIT", "env.jsonl")
    assert store_url() == "jsonl:///env.jsonl"
    assert store_url("sqlite:///option.db") == "sqlite:///option.db"
    assert store_url("sqlite:///option.db", Path("given.jsonl")) == "jsonl:///given.jsonl"


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://", "jsonl:///", "nonsense"])
def test_an_unusable_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(StoreUrlError, match="store"):
        open_url(url)


def test_an_unreachable_server_is_a_one_line_storage_error(tmp_path: Path) -> None:
    store = open_store(f"postgresql://nobody@/nowhere?host={tmp_path}&port=1")
    with pytest.raises(StorageError, match="cannot open the store postgresql://nobody@/nowhere"):
        store.append_many(bodies(1))
    result = runner.invoke(app, ["audit", "verify", "--store", f"postgresql://nobody@/x?host={tmp_path}&port=1"])
    assert result.exit_code == 6 and "Traceback" not in result.output and "Error: cannot" in result.output


def test_a_missing_sqlite_store_is_not_created_by_reading(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    result = runner.invoke(app, ["audit", "verify", "--store", url])
    assert result.exit_code == 1 and "no audit log at" in result.output
    assert not (tmp_path / "none.db").exists()


# ---------------------------------------------------------------------------------------------- schema and layers
def test_the_head_revision_is_the_newest_migration() -> None:
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        values = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign)
                  for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
        revisions.add(values["revision"].value)
        parents.add(values["down_revision"].value)
    assert revisions - parents == {HEAD_REVISION}


def test_a_new_database_gets_the_schema_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    open_store(url).append_many(bodies(1))
    open_store(url).append_many(bodies(1))
    assert sql(url, "select version_num from alembic_version") == [(HEAD_REVISION,)]


def test_store_imports_only_the_base_layer_of_audit() -> None:
    from tests.test_architecture import graph

    edges = graph()
    base = {"ncnd_assistant.audit", "ncnd_assistant.audit.record", "ncnd_assistant.audit.jsonobject",
            "ncnd_assistant.audit.log"}
    from_store = {t for m, ts in edges.items() if m.startswith("ncnd_assistant.store") for t in ts
                  if t.startswith("ncnd_assistant.audit")}
    assert from_store <= base
    assert not any(t.startswith("ncnd_assistant.store") for m in base for t in edges[m])


# ---------------------------------------------------------------------------------------------- processes
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ncnd_assistant.store import open_store

    url, name, count, ready, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5])
    store = open_store(url)
    store.head()  # connected, schema there
    ready.touch()
    while not go.exists():
        time.sleep(0.01)
    for i in range(count):
        store.append({"kind": "decision", "case_ref": f"{name}-{i}", "officer": name})
""")


@pytest.mark.slow  # starts two Python processes
def test_two_processes_appending_at_once_fork_nothing(store_at: str, tmp_path: Path) -> None:
    open_store(store_at).append_many(bodies(1))  # the store exists before the race
    count, go = 40, tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, store_at, name, str(count), str(tmp_path / name),
                               str(go)], cwd=ROOT) for name in ("one", "two")]
    deadline = time.monotonic() + 60
    while not all((tmp_path / n).exists() for n in ("one", "two")) and time.monotonic() < deadline:
        time.sleep(0.02)
    go.touch()
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with open_store(store_at) as store:
        report = verify(store)
        records = list(store.records())
    assert report.ok and report.records == 1 + 2 * count, report.first_bad
    for name in ("one", "two"):  # each writer's records, in its order, all there
        assert [r.to_json()["case_ref"] for r in records if r.to_json().get("officer") == name] == [
            f"{name}-{i}" for i in range(count)]


KILLED = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from ncnd_assistant.store import open_store, sql

    marker = Path(sys.argv[2])

    def die_in_the_transaction():
        marker.touch()
        time.sleep(60)  # killed here: inserted, not committed

    sql._after_insert = die_in_the_transaction
    open_store(sys.argv[1]).append_many([{"kind": "decision", "case_ref": "KILLED", "officer": "A"}] * 3)
""")


@pytest.mark.slow  # starts another Python process
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_writer_killed_mid_insert_loses_no_committed_record(backend: str, request: pytest.FixtureRequest,
                                                               tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}" if backend == "sqlite" else fresh_database(
        request.getfixturevalue("pg_server"))
    committed = open_store(url).append_many(bodies(4))
    marker = tmp_path / "inserted"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, url, str(marker)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists()
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    with open_store(url) as store:
        after = store.append({"kind": "decision", "case_ref": "AFTER", "officer": "A"})  # the dead lock is gone
        records = list(store.records())
        assert verify(store).ok
    assert [r.id for r in records] == [r.id for r in committed] + [after.id]
    assert after.prev_hash == committed[-1].hash


@pytest.mark.slow  # runs the interview
def test_the_interview_records_in_the_store_named_by_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_server: str) -> None:
    url = fresh_database(pg_server)
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NCND_AUDIT", raising=False)
    monkeypatch.setenv("NCND_STORE", url)
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--case-ref", "PG-1",
                                 "--officer", "A. Officer"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "data" / "audit.db").exists()
    assert {case for (case,) in sql(url, "select distinct case_ref from audit_record")} == {"PG-1"}
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "chain is intact" in result.output
    result = runner.invoke(app, ["decide", "--answers", str(SEED), "--record", "--officer", "B"])
    assert result.exit_code == 0, result.output
    assert isinstance(open_store(), Store) and open_store().head()[0] == 2 * sql(
        url, "select count(*) from audit_record where case_ref = 'PG-1'")[0][0]


def test_the_documented_grants_let_an_officer_append_and_nothing_else(pg_server: str) -> None:
    """docs/store.md, "Setting up PostgreSQL for a unit": the owner creates the schema, officers may
    read and append, and cannot change a row or switch the triggers off."""
    n = f"{os.getpid()}_{next(_names)}"
    owner, officer = f"ncnd_owner_{n}", f"alice_{n}"
    url = fresh_database(pg_server)
    db = make_url(url).database
    sql(pg_server, f"CREATE ROLE {owner} LOGIN; CREATE ROLE {officer} LOGIN; ALTER DATABASE {db} OWNER TO {owner}")
    as_owner = make_url(url).set(username=owner).render_as_string(hide_password=False)
    as_officer = make_url(url).set(username=officer).render_as_string(hide_password=False)
    sql(url, f"ALTER SCHEMA public OWNER TO {owner}")
    open_store(as_owner).head()  # creates the schema, owned by the owner
    sql(url, f"REVOKE ALL ON DATABASE {db} FROM PUBLIC; REVOKE ALL ON SCHEMA public FROM PUBLIC; "
             f"GRANT CONNECT ON DATABASE {db} TO {officer}; GRANT USAGE ON SCHEMA public TO {officer}; "
             f"GRANT SELECT, INSERT ON audit_record, requester_identity TO {officer}; "
             f"GRANT SELECT ON alembic_version TO {officer}")
    with open_store(as_officer) as store:
        store.append_many([*bodies(2), {"kind": "decision", "officer": "A", REQUESTER_KEY: "R"}])
        assert verify(store).ok and store.head()[0] == 3
    for statement in ("update audit_record set case_ref = 'X'", "delete from requester_identity",
                      "truncate audit_record cascade", "alter table audit_record disable trigger all"):
        with pytest.raises(psycopg.Error, match="permission denied|must be owner"):
            sql(as_officer, statement)


@pytest.mark.slow  # runs the interview
def test_every_audit_command_works_on_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'team.db'}"
    store = ["--store", url]
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--officer", "A. Officer",
                                 *store, "--notice-out", str(tmp_path / "n.md")])
    assert result.exit_code == 0, result.output
    first = next(open_store(url).records())
    listed = runner.invoke(app, ["audit", "list", *store])
    assert listed.exit_code == 0 and first.id[:10] in listed.output and "team.db" in listed.output
    as_json = runner.invoke(app, ["audit", "list", "--json", "--kind", "decision", *store])
    assert [json.loads(line)["id"] for line in as_json.output.splitlines()][0] == first.id
    assert runner.invoke(app, ["audit", "show", first.id[:8], *store]).exit_code == 0
    exported = runner.invoke(app, ["audit", "export", first.id, "--format", "json", *store])
    assert exported.exit_code == 0 and f"Export recorded in {tmp_path / 'team.db'}" in exported.output
    assert runner.invoke(app, ["audit", "sign-off", first.id, "--by", "B. Signer", *store]).exit_code == 0
    assert runner.invoke(app, ["audit", "pending", *store]).exit_code == 0
    assert runner.invoke(app, ["audit", "replay", "--all", *store]).exit_code == 0
    assert runner.invoke(app, ["notice", first.id, *store]).exit_code == 0
    result = runner.invoke(app, ["audit", "verify", *store])
    assert result.exit_code == 0 and "export: 1" in result.output and "sign-off: 1" in result.output
    shown = runner.invoke(app, ["store", "show", *store])
    assert shown.exit_code == 0 and url in shown.output
