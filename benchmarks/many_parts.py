"""How `ncnd decide` scales with the number of parts of one answers file.

    python benchmarks/many_parts.py                # 100 and 1,000 parts (~1 min)
    python benchmarks/many_parts.py --full         # also 10,000 parts (~10 min; refused since the file limits)
    python benchmarks/many_parts.py --against ../main   # also run another checkout on the same files
    python benchmarks/many_parts.py --write N OUT  # just write an answers file of N parts
    python benchmarks/many_parts.py --shell [N] [--against ../main]   # `ncnd decide` from the shell

The answers files are copies of the seed's two parts (examples/wmp-16883-18.yaml) with distinct
ids and summaries; every third copy words its public-interest reason differently, so Stage 1 sees
distinct answers too. Each size runs in its own child process (so `ru_maxrss` is that size's
peak) and times, after start-up: reading the file, `Assessor.assess`, the JSON output
(`assessment_record` + `json.dumps(indent=2)` as the CLI does), the Markdown, the terminal
rendering (Rich, to a string) and the draft notice. The table gives per-part times and their
ratio to the first (smallest) size of the same run: 1.0x means linear. With `--against DIR` each
file is also decided by the package in checkout DIR (for example main before a change), in
alternation, and the outputs of the two are compared byte for byte. `--shell` instead decides an
answers file of N parts (default 1,000) with `python -m ncnd_assistant decide --format X` for each
format, start-up included, and reports wall time, CPU time (of the child) and its peak memory; with
`--against` in alternation with the other checkout, outputs compared. Run by hand; not a test.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console

from ncnd_assistant.decide.answers import load_request, read_answers
from ncnd_assistant.decide.assess import Assessor
from ncnd_assistant.decide.serialize import assessment_record
from ncnd_assistant.letter.notice import NoticePart, render_notice
from ncnd_assistant.render.markdown import assessment_markdown
from ncnd_assistant.render.text import render_assessment
from ncnd_assistant.rulebase.loader import load_rulebase

SEED = Path(__file__).resolve().parent.parent / "examples" / "wmp-16883-18.yaml"
PLACES = ("Birmingham", "Coventry", "Wolverhampton", "Dudley", "Walsall", "Solihull", "Sandwell")
PHASES = ("read", "assess", "json", "markdown", "text", "notice")


def write_answers(n: int, out: Path) -> None:
    """An answers file of `n` parts made from the seed's parts."""
    src = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    parts = []
    for i in range(n):
        base = src["parts"][i % 2]
        answers = dict(base["answers"])
        if "ncnd_pi_reason" in answers and i % 3 == 0:
            answers["ncnd_pi_reason"] = f"{answers['ncnd_pi_reason']} (item {i})"
        parts.append({**base, "id": f"p{i:05d}_{base['id']}", "answers": answers, "tags": list(base["tags"]),
                      "summary": f"{base['summary']} in {PLACES[i % 7]} during {2000 + i % 25} (item {i})"})
    out.write_text(yaml.safe_dump({**src, "parts": parts}, sort_keys=False, allow_unicode=True), encoding="utf-8")


def measure(path: Path) -> dict[str, Any]:
    """Time each phase of deciding the file once, in this process."""
    rb = load_rulebase(None)
    cpu = time.process_time()
    times: dict[str, float] = {}
    start = time.perf_counter()
    request = load_request(read_answers(path), rb)
    times["read"] = time.perf_counter() - start
    assessor = Assessor(rb)
    start = time.perf_counter()
    assessment = assessor.assess(request)
    times["assess"] = time.perf_counter() - start
    start = time.perf_counter()
    size = len(json.dumps(assessment_record(assessment), indent=2, ensure_ascii=False))
    times["json"] = time.perf_counter() - start
    start = time.perf_counter()
    assessment_markdown(assessment)
    times["markdown"] = time.perf_counter() - start
    start = time.perf_counter()
    Console(file=io.StringIO(), highlight=False, soft_wrap=False, width=80).print(render_assessment(assessment))
    times["text"] = time.perf_counter() - start
    start = time.perf_counter()
    render_notice(rb, request.case_ref, request.received, request.request,
                  [NoticePart(pa, pa.outcome) for pa in assessment.parts])
    times["notice"] = time.perf_counter() - start
    outputs = hashlib.sha256(json.dumps(assessment_record(assessment)).encode())
    outputs.update(assessment_markdown(assessment).encode())
    return {"parts": len(request.parts), "times": times, "cpu": time.process_time() - cpu, "json_mb": size / 1e6,
            "outputs": outputs.hexdigest(),
            "counts": dict(getattr(assessor, "counts", {})),
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(path: Path, tree: str | None) -> dict[str, Any]:
    """Measure the file in a fresh process, with the package of checkout `tree` (None: this one)."""
    print(f"measuring {path.name} with {tree or 'this checkout'} ...", file=sys.stderr)
    env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())} if tree else None
    done = subprocess.run([sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, env=env)
    if done.returncode:  # e.g. a file over the answers-file limits
        sys.exit(f"{path.name} with {tree or 'this checkout'}: {done.stderr.strip().splitlines()[-1]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def run(sizes: tuple[int, ...], against: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each size in this checkout and (when given) in `against`; outputs checked identical."""
    mine, theirs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"parts-{n}.yaml"
            write_answers(n, path)
            if against:
                theirs.append(run_child(path, against))
            mine.append(run_child(path, None))
            if against and theirs[-1]["outputs"] != mine[-1]["outputs"]:
                print(f"{n} parts: the outputs differ from {against}", file=sys.stderr)
    return mine, theirs


def table(results: list[dict[str, Any]]) -> str:
    """Markdown: total and per-part time of each phase, ratio to the first size, memory."""
    head = "| parts | " + " | ".join(PHASES) + " | all | CPU | per part | vs first | JSON | ru_maxrss | assessments |"
    rows = [head, "|" + "---:|" * (len(PHASES) + 8)]
    first = sum(results[0]["times"].values()) / results[0]["parts"]
    for r in results:
        total = sum(r["times"].values())
        per = total / r["parts"]
        rows.append(f"| {r['parts']:,} | " + " | ".join(f"{r['times'][p]:.2f} s" for p in PHASES)
                    + f" | {total:.2f} s | {r['cpu']:.2f} s | {per * 1e3:.2f} ms | {per / first:.2f}x"
                    f" | {r['json_mb']:.0f} MB"
                    f" | {r['maxrss_mb']:.0f} MB | {r['counts'].get('assess_part', 0):,} |")
    return "\n".join(rows)


def shell_run(path: Path, fmt: str, tree: str | None, scratch: Path) -> tuple[float, float, float, str]:
    """`ncnd decide` on the file from a fresh process: (wall s, CPU s, max RSS MB, output digest)."""
    env = {**os.environ, "NCND_DATA_DIR": str(scratch / "data"), "XDG_CACHE_HOME": str(scratch / "cache")}
    if tree:
        env["PYTHONPATH"] = str(Path(tree).resolve())
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "ncnd_assistant", "decide", "--answers", str(path),
                                  "--format", fmt], stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=tree or None)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak memory
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if child.returncode:
        sys.exit(f"decide --format {fmt} with {tree or 'this checkout'}: exit {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, hashlib.sha256(output).hexdigest()


def shell(n: int, against: str | None) -> str:
    """A Markdown table of `ncnd decide` on an answers file of `n` parts, per format and checkout."""
    rows = [f"| parts | format | {'before (' + against + '): ' if against else ''}wall / CPU / max RSS"
            + (" | after: wall / CPU / max RSS | outputs |" if against else " |"),
            "|---:|---|---|" + ("---|---|" if against else "")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"parts-{n}.yaml"
        write_answers(n, path)
        trees = [against, None] if against else [None]
        for tree in trees:  # warm: byte code and the rule-base cache
            shell_run(SEED, "json", tree, Path(tmp))
        for fmt in ("json", "text", "markdown"):
            got = {}
            for tree in trees:
                print(f"decide --format {fmt} with {tree or 'this checkout'} ...", file=sys.stderr)
                got[tree] = shell_run(path, fmt, tree, Path(tmp))
            cells = [f"{w:.2f} s / {c:.2f} s / {m:.0f} MB" for w, c, m, _ in got.values()]
            same = "" if not against else (" identical |" if got[against][3] == got[None][3] else " DIFFER |")
            rows.append(f"| {n:,} | {fmt} | " + " | ".join(cells) + " |" + same)
    return "\n".join(rows)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(Path(argv[1]))))
    elif argv[:1] == ["--shell"]:
        n = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1000
        print(shell(n, argv[argv.index("--against") + 1] if "--against" in argv else None))
    elif argv[:1] == ["--write"]:
        write_answers(int(argv[1]), Path(argv[2]))
    else:
        sizes = (100, 1000, 10000) if "--full" in argv else (100, 1000)
        against = argv[argv.index("--against") + 1] if "--against" in argv else None
        mine, theirs = run(sizes, against)
        if theirs:
            print(f"Baseline ({against}):\n\n{table(theirs)}\n\nThis checkout:\n")
            pairs = zip(mine, theirs, strict=True)
            print(table(mine) + "\n\n" + "; ".join(
                f"{m['parts']:,} parts {sum(t['times'].values()) / sum(m['times'].values()):.2f}x faster, "
                f"outputs {'identical' if m['outputs'] == t['outputs'] else 'DIFFER'}" for m, t in pairs))
        else:
            print(table(mine))


if __name__ == "__main__":
    main(sys.argv[1:])
