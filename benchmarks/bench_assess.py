"""Speed benchmark for ncnd-assistant: run by hand, not in CI.

    python benchmarks/bench_assess.py            # full run, ~3 minutes
    python benchmarks/bench_assess.py --quick    # shipped, 100 and 1,000 rules, ~30 s
    python benchmarks/bench_assess.py --profile  # also print cProfile top functions
    python benchmarks/bench_assess.py --aims [--against DIR]   # issue 16's per-part aims, CPU time

Everything runs in one process and prints Markdown tables (see benchmarks/README.md):

* full assessment (`Assessor.assess_part`: gating, both stages, decision, explanation) with
  engine="durable" and engine="python", and the ratio durable/python;
* the engine alone (`run_stage` for stage 1 and stage 2 of every case) through our adapter
  (`DurableEngine`), through durable-rules driven directly without the adapter, and through the
  Python evaluator; ratio adapter/direct (aim <= 1.5x);
* latency per assessment (aim < 5 ms on the shipped rule base) and batch throughput
  (`Assessor.assess` on a many-part request, aim >= 1,000 parts/s);
* load, compile and engine construction times (aim: 5,000 rules < 1 s in total);
* peak memory: tracemalloc peak during load + compile + a batch, and ru_maxrss.

durable-rules 2.0.28 can kill the process (segfault) on some rule bases, so before a rule base is
run through durable here it is run through durable once in a child process on exactly the same
cases (`--preflight`); if the child dies, durable rows for that rule base say so and only the
Python evaluator is measured.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import gc
import io
import itertools
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, os.environ.get("NCND_BENCH_TREE", str(ROOT)))  # --against: another checkout's package

import generate  # noqa: E402
from durable import engine as durable_engine  # noqa: E402  (the benchmark's direct baseline)

from ncnd_assistant.decide.answers import Part, Request  # noqa: E402
from ncnd_assistant.decide.assess import Assessor  # noqa: E402
from ncnd_assistant.engine import compiler as compiler_module  # noqa: E402
from ncnd_assistant.engine.compiler import ABSENT, CompiledRuleBase, compile_rulebase  # noqa: E402
from ncnd_assistant.engine.durable import WARM_UP, DurableEngine  # noqa: E402
from ncnd_assistant.engine.evaluator import PythonEngine  # noqa: E402
from ncnd_assistant.engine.gating import relevance  # noqa: E402
from ncnd_assistant.errors import NcndError  # noqa: E402
from ncnd_assistant.rulebase.loader import load_rulebase  # noqa: E402
from ncnd_assistant.rulebase.model import RuleBase  # noqa: E402

SHIPPED = ROOT / "rules" / "foia"
SEED = 20261127
Env = Mapping[str, Any]


# ---------------------------------------------------------------------------- cases

def random_answers(rb: RuleBase, rng: random.Random, p_yes: float = 0.5) -> dict[str, Any]:
    """A valid answer to every question (gating then ignores the ones that do not apply)."""
    out: dict[str, Any] = {}
    for q in rb.questions:
        if q.type == "yes_no":
            out[q.id] = rng.random() < p_yes
        elif q.type == "choice":
            out[q.id] = rng.choice(q.choices).value
        else:
            out[q.id] = "Benchmark text answer."
    return out


def make_parts(rb: RuleBase, n: int, seed: int) -> tuple[list[Part], str]:
    """`n` parts that assess without error: for the shipped rule base the scenarios' answers
    (as given, then completed with random answers), then random answers to every question."""
    rng = random.Random(seed)
    candidates: list[dict[str, Any]] = []
    source = "random answers to every question"
    p_yes = 0.5
    if rb.source is not None and (rb.source / "scenarios").is_dir():
        try:
            from ncnd_assistant.checks.scenarios import load_scenarios
            scenarios = load_scenarios(rb.source, rb)
        except NcndError:
            scenarios = []
        for s in scenarios:
            candidates.append(dict(s.part.answers))
            candidates.append({**random_answers(rb, rng, 0.3), **s.part.answers})
        if scenarios:  # a real rule base: "yes" (vexatious, too costly, ...) is the rarer answer
            p_yes = 0.3
            source = (f"{len(scenarios)} scenarios as given and completed at random, then random answers "
                      f"(yes with p={p_yes})")
    checker = Assessor(rb, engine="python")
    parts: list[Part] = []
    rejected = Counter[str]()
    attempts = 0
    while len(parts) < n and attempts < 20 * n:
        answers = candidates[attempts] if attempts < len(candidates) else random_answers(rb, rng, p_yes)
        attempts += 1
        part = Part(f"p{len(parts)}", "benchmark part", answers)
        try:
            checker.assess_part(part)
        except NcndError as error:  # e.g. a scenario that omits answers, a balance conflict
            rejected[type(error).__name__] += 1
            continue
        parts.append(part)
    if rejected:
        source += "; rejected " + ", ".join(f"{v} ({k})" for k, v in sorted(rejected.items()))
    return parts, source


def stage_envs(rb: RuleBase, parts: list[Part]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Per case, what `assess_part` passes to `run_stage(1, .)` and `run_stage(2, .)`."""
    pe = PythonEngine(rb)
    out = []
    for part in parts:
        rel1 = relevance(rb, 1, part.answers)
        first = pe.run_stage(1, rel1.env)
        rel2 = relevance(rb, 2, part.answers, {**rel1.env, **first.derived})
        out.append((rel1.env, rel2.env))
    return out


# ---------------------------------------------------------------------------- durable, directly

class _NullRunHost(durable_engine.Host):  # type: ignore[misc]
    """durable's Host without its dispatch/timer threads: actions run in the caller."""

    def _run(self) -> None:
        return None


class DirectDurable:
    """The compiled rulesets driven through durable-rules with no adapter: one fact per ruleset
    per case with the adapter's projected properties, `run` callables appending to a list,
    `delete_state` after each assert; derived facts are chained between layers as the adapter
    does. Same rulesets as the adapter, including its warm-up rule (without it durable 2.0.28
    segfaults in `delete_state` on a ruleset that never ran an action, see engine.py)."""

    def __init__(self, compiled: CompiledRuleBase):
        self.log: list[str] = []
        self.host = _NullRunHost()
        definitions: dict[str, dict[str, Any]] = {}
        for ruleset in compiled.rulesets:
            rules = copy.deepcopy(ruleset.rules)
            for rule_id, rule in rules.items():
                rule["run"] = self._append(rule_id)
            rules[WARM_UP] = {"all": [{"m": {WARM_UP: True}}], "run": self._append(WARM_UP)}
            definitions[ruleset.name] = rules
        self.host.set_rulesets(definitions)
        for name in definitions:
            self.host.assert_fact(name, {"sid": WARM_UP, WARM_UP: True})
            self.host.delete_state(name, WARM_UP)
        self.stages = {s: [(rs.name, rs.properties) for rs in compiled.stage(s)] for s in (1, 2)}
        self.derives = {rid: facts[0] for rid, facts in compiled.derived.items() if facts}
        self.stage_facts = compiled.stage_facts
        self.ids = itertools.count(1)

    def _append(self, rule_id: str) -> Callable[[Any], None]:
        log = self.log

        def run(closure: Any) -> None:
            log.append(rule_id)
        return run

    def run_stage(self, stage: int, env: Env) -> list[str]:
        values = dict(env)
        for derived in self.stage_facts.get(stage, ()):
            values[derived] = False
        log, host, derives = self.log, self.host, self.derives
        log.clear()
        for name, properties in self.stages[stage]:
            sid = str(next(self.ids))
            fact = {p: values.get(p, ABSENT) for p in properties}
            fact["sid"] = sid
            start = len(log)
            try:  # noqa: SIM105  (contextlib.suppress costs more in this hot loop)
                host.assert_fact(name, fact)
            except durable_engine.MessageNotHandledException:
                pass
            host.delete_state(name, sid)
            for rule_id in log[start:]:
                if rule_id in derives:
                    values[derives[rule_id]] = True
        return list(dict.fromkeys(log))


# ---------------------------------------------------------------------------- timing

def bench(fns: dict[str, Callable[[], Any]], items: int, budget: float, min_rounds: int) -> dict[str, float]:
    """Seconds per item for each function (each call handles `items` cases): warm up once, then
    interleave rounds until `budget` seconds have passed; the median round wins."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    start = time.perf_counter()
    rounds = 0
    while rounds < min_rounds or (time.perf_counter() - start < budget and rounds < 200):
        for name, fn in fns.items():
            gc.collect()
            t = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) / items)
        rounds += 1
    return {name: statistics.median(ts) for name, ts in times.items()}


def latencies(assessor: Assessor, parts: list[Part], budget: float) -> list[float]:
    """Each assess_part call timed on its own (the assessor is already warm)."""
    out: list[float] = []
    start = time.perf_counter()
    while not out or time.perf_counter() - start < budget:
        for part in parts:
            t = time.perf_counter()
            assessor.assess_part(part)
            out.append(time.perf_counter() - t)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


# ---------------------------------------------------------------------------- one rule base

@dataclass
class Target:
    label: str
    path: Path
    cases: int
    cap: int | None = None  # MAX_RULES_PER_RULESET override (a proposed fix, benchmark-only)


@dataclass
class Result:
    target: Target
    notes: list[str] = field(default_factory=list)
    row: dict[str, Any] = field(default_factory=dict)


class _Cap:
    """Temporarily override the compiler's rules-per-ruleset cap (benchmark process only)."""

    def __init__(self, cap: int | None):
        self.cap, self.saved = cap, compiler_module.MAX_RULES_PER_RULESET

    def __enter__(self) -> None:
        if self.cap is not None:
            compiler_module.MAX_RULES_PER_RULESET = self.cap

    def __exit__(self, *exc: object) -> None:
        compiler_module.MAX_RULES_PER_RULESET = self.saved


def preflight(target: Target) -> tuple[bool, str]:
    """Run the target's cases through durable in a child process; False if the child dies."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--preflight", str(target.path),
           "--cases", str(target.cases)]
    if target.cap is not None:
        cmd += ["--cap", str(target.cap)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode == 0:
        return True, ""
    tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
    how = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
    lines = proc.stderr.splitlines()
    for i, line in enumerate(lines):
        if "error code" in line:
            tail = line.strip()
            break
        if line.startswith("Fatal Python error"):
            frames = [ln.strip() for ln in lines[i + 1:] if ln.strip().startswith("File")]
            tail = line.strip() + (" in " + frames[0] if frames else "")
            break
    return False, f"durable run in a child process died ({how}): {tail[:160]}"


def run_preflight(path: Path, cases: int, cap: int | None) -> None:
    """Child side of `preflight`: the same cases, stage by stage and in full, through durable."""
    import faulthandler
    faulthandler.enable()
    with _Cap(cap):
        rb = load_rulebase(path)
        parts, _ = make_parts(rb, cases, SEED)
        envs = stage_envs(rb, parts)
        engine = DurableEngine(compile_rulebase(rb))
        for _ in range(2):
            for env1, env2 in envs:
                engine.run_stage(1, env1)
                engine.run_stage(2, env2)
        assessor = Assessor(rb, engine="durable")
        for part in parts:
            assessor.assess_part(part)
        assessor.assess(Request("preflight", tuple(parts[:20])))


def measure(target: Target, budget: float, min_rounds: int, profile: bool) -> Result:
    res = Result(target)
    row = res.row
    label = target.label
    print(f"[{label}] loading ...", file=sys.stderr, flush=True)
    with _Cap(target.cap):
        # ---- load, compile, construct (repeated for small rule bases; best of)
        t_load: list[float] = []
        t_comp: list[float] = []
        t_eng: list[float] = []
        t_py: list[float] = []
        while len(t_load) < 3 and (not t_load or t_load[0] < 0.3):  # best of 3 when cheap
            gc.collect()
            t = time.perf_counter()
            rb = load_rulebase(target.path)
            t_load.append(time.perf_counter() - t)
            t = time.perf_counter()
            compiled = compile_rulebase(rb)
            t_comp.append(time.perf_counter() - t)
            t = time.perf_counter()
            DurableEngine(compiled)
            t_eng.append(time.perf_counter() - t)
            t = time.perf_counter()
            PythonEngine(rb)
            t_py.append(time.perf_counter() - t)
        row.update(rules=len(rb.rules), questions=len(rb.questions), facts=len(rb.facts),
                   rulesets=len(compiled.rulesets), load=min(t_load), compile=min(t_comp),
                   engine=min(t_eng), pyengine=min(t_py))

        parts, source = make_parts(rb, target.cases, SEED)
        res.notes.append(f"{len(parts)} cases: {source}")
        envs = stage_envs(rb, parts)
        python = Assessor(rb, engine="python")
        assessed = [python.assess_part(p) for p in parts]
        row.update(cases=len(parts), fired=statistics.mean(len(a.fired) for a in assessed),
                   stage2=sum(a.stage1.outcome is None for a in assessed) / len(parts),
                   outcomes=dict(Counter(a.outcome.value for a in assessed)))

        ok, why = preflight(target)
        row["durable_ok"] = ok
        if not ok:
            res.notes.append(why)
            print(f"[{label}] {why}", file=sys.stderr, flush=True)

        # ---- full assessment: durable vs python
        print(f"[{label}] full assessment ...", file=sys.stderr, flush=True)
        fns: dict[str, Callable[[], Any]] = {"python": lambda: [python.assess_part(p) for p in parts]}
        if ok:
            durable = Assessor(rb, engine="durable")
            for p in parts:  # same outcomes and firings as the Python evaluator
                a, b = durable.assess_part(p), python.assess_part(p)
                if (a.outcome, set(a.fired)) != (b.outcome, set(b.fired)):
                    res.notes.append(f"durable and python disagree on {p.id}")
                    break
            fns["durable"] = lambda: [durable.assess_part(p) for p in parts]
        full = bench(fns, len(parts), budget, min_rounds)
        row.update(assess_py=full["python"], assess_du=full.get("durable"))

        # ---- engine level: adapter vs direct vs python, both stages of every case
        print(f"[{label}] engine level ...", file=sys.stderr, flush=True)
        pe = PythonEngine(rb)
        efns: dict[str, Callable[[], Any]] = {
            "python": lambda: [(pe.run_stage(1, e1), pe.run_stage(2, e2)) for e1, e2 in envs]}
        if ok:
            adapter = DurableEngine(compiled)
            direct = DirectDurable(compiled)
            for e1, e2 in envs:  # the direct driver fires what the adapter fires
                for stage, env in ((1, e1), (2, e2)):
                    if list(adapter.run_stage(stage, env).fired) != direct.run_stage(stage, env):
                        res.notes.append("direct durable and the adapter disagree")
            efns["adapter"] = lambda: [(adapter.run_stage(1, e1), adapter.run_stage(2, e2)) for e1, e2 in envs]
            efns["direct"] = lambda: [(direct.run_stage(1, e1), direct.run_stage(2, e2)) for e1, e2 in envs]
        eng = bench(efns, len(envs), budget, min_rounds)
        row.update(eng_py=eng["python"], eng_adapter=eng.get("adapter"), eng_direct=eng.get("direct"))

        # ---- latency and batch throughput
        if ok:
            print(f"[{label}] latency and batch ...", file=sys.stderr, flush=True)
            lat = latencies(durable, parts, budget / 2)
            row.update(lat_p50=pct(lat, 0.5), lat_p95=pct(lat, 0.95), lat_max=max(lat))
            request = Request("bench", tuple(parts[:40]))
            batch = bench({"assess": lambda: durable.assess(request)}, len(request.parts), budget / 2, min_rounds)
            row["batch"] = batch["assess"]

        # ---- where assess_part's time goes (cProfile, cumulative)
        who = durable if ok else python
        prof = cProfile.Profile()
        sample = parts[:40]
        prof.enable()
        for p in sample:
            who.assess_part(p)
        prof.disable()
        stats = pstats.Stats(prof)
        total = sum(v[3] for k, v in stats.stats.items() if k[2] == "assess_part")  # type: ignore[attr-defined]

        def cum(func: str, module: str) -> float:
            return sum(v[3] for k, v in stats.stats.items()  # type: ignore[attr-defined]
                       if k[2] == func and k[0].endswith(module))
        row["split"] = {
            "gating": cum("relevance", "gating.py") / total,
            "engine": cum("run_stage", "engine.py" if ok else "evaluator.py") / total,
            "decide": (cum("decide_stage1", "decision.py") + cum("decide_stage2", "decision.py")) / total,
            "explain": cum("explain", "explain.py") / total,
        }
        if profile:
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
            print(f"\n### cProfile: assess_part ({'durable' if ok else 'python'}), {label}, "
                  f"{len(sample)} cases, by tottime\n\n```\n{_trim(out.getvalue())}\n```", flush=True)
            if ok:
                prof = cProfile.Profile()
                prof.enable()
                for e1, e2 in envs:
                    adapter.run_stage(1, e1)
                    adapter.run_stage(2, e2)
                prof.disable()
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(14)
                print(f"\n### cProfile: DurableEngine.run_stage, {label}, {len(envs)} cases x 2 stages\n\n"
                      f"```\n{_trim(out.getvalue())}\n```", flush=True)

        # ---- memory: load + compile + engine + a batch, traced
        print(f"[{label}] memory ...", file=sys.stderr, flush=True)
        del fns, efns
        gc.collect()
        tracemalloc.start()
        rb2 = load_rulebase(target.path)
        assessor = Assessor(rb2, engine="durable" if ok else "python")
        for p in parts[:40]:
            assessor.assess_part(p)
        row["tm_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        row["maxrss"] = maxrss_mb()
    return res


def _trim(text: str) -> str:
    lines = [ln.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
             for ln in text.strip().splitlines()]
    keep = [ln for ln in lines if ln.strip() and not ln.startswith(("Ordered by", "   Ordered"))]
    return "\n".join(keep)


# ---------------------------------------------------------------------------- issue 16's aims

def forget(assessor: Assessor, everything: bool = True) -> None:
    """Drop what the assessor (and, with `everything`, its rule base) remembered from answers, so
    that the next part is new to it (compiled rules, predicates and layers stay)."""
    if not everything:
        assessor._stage1_memo.clear()
    elif hasattr(assessor, "forget"):
        assessor.forget()
    else:
        assessor._stage1_memo.clear()  # before issue 16: the two answer-keyed caches
        assessor.rulebase.memo("why_not_cache", dict).clear()


def single_cpu(assessor: Assessor, parts: list[Part], rounds: int, everything: bool) -> tuple[list[float], float]:
    """CPU of each `assess_part`, the part new to the assessor (`forget`), and the share of it spent
    in the engine's `run_stage`."""
    engine_cpu = [0.0]
    run_stage = assessor.engine.run_stage

    def timed_run_stage(stage: int, env: Env) -> Any:
        t = time.process_time()
        try:
            return run_stage(stage, env)
        finally:
            engine_cpu[0] += time.process_time() - t
    single: list[float] = []
    assessor.engine.run_stage = timed_run_stage  # type: ignore[method-assign]
    for _ in range(rounds):
        for part in parts:
            forget(assessor, everything)
            t = time.process_time()
            assessor.assess_part(part)
            single.append(time.process_time() - t)
    assessor.engine.run_stage = run_stage  # type: ignore[method-assign]
    return single, engine_cpu[0] / sum(single)


def cpu_aims(cases: int, rounds: int) -> dict[str, Any]:
    """The per-part figures of issue 16 on the shipped rule base, in CPU time
    (`time.process_time`, so other jobs on the machine count less):

    * single part: mean CPU of one `assess_part`, new to the assessor: every answer-keyed cache
      forgotten first ("cold"), or only Stage 1's ("new Stage 1": the rule base's caches of
      explanation lines warm, as after other parts); and, of it, the share spent in the engine's
      `run_stage`; the same with the Python evaluator as the engine;
    * batch: `Assessor.assess` on a request of all the cases, caches forgotten before each round;
    * held-invariance: the share of `assess()`'s CPU spent inside the check (`_held_invariant`).
    """
    rb = load_rulebase(SHIPPED)
    parts, _ = make_parts(rb, cases, SEED)
    assessor = Assessor(rb, engine="durable")
    python = Assessor(rb, engine="python")
    request = Request("aims", tuple(parts))
    assessor.assess(request)  # warm: compiled predicates, layers
    python.assess(request)
    gc.collect()
    cold, engine_share = single_cpu(assessor, parts, rounds, True)
    warm, warm_engine_share = single_cpu(assessor, parts, rounds, False)
    py_cold, _ = single_cpu(python, parts, rounds, True)
    inside = [0.0]
    checked = assessor._held_invariant

    def timed_check(*args: Any) -> bool:
        t = time.process_time()
        try:
            return checked(*args)
        finally:
            inside[0] += time.process_time() - t
    rounds_cpu: list[float] = []
    assessor._held_invariant = timed_check  # type: ignore[method-assign]
    for _ in range(rounds):
        forget(assessor)
        gc.collect()
        t = time.process_time()
        assessor.assess(request)
        rounds_cpu.append(time.process_time() - t)
    assessor._held_invariant = checked  # type: ignore[method-assign]
    full = statistics.median(rounds_cpu)
    ncnd = sum(a.outcome.value == "ncnd" for a in assessor.assess(request).parts)
    return {"cases": len(parts), "ncnd": ncnd, "cold": statistics.mean(cold), "engine_share": engine_share,
            "warm": statistics.mean(warm), "warm_engine_share": warm_engine_share, "py_cold": statistics.mean(py_cold),
            "batch": full / len(parts), "held_share": inside[0] / sum(rounds_cpu)}


def aims_report(mine: dict[str, Any], theirs: dict[str, Any] | None, against: str | None) -> str:
    """A Markdown table of the aims: this checkout, and `against` when given."""
    def row(label: str, r: dict[str, Any]) -> str:
        return (f"| {label} | {r['cold'] * 1e3:.2f} ms ({r['engine_share']:.0%} engine) | "
                f"{r['warm'] * 1e3:.2f} ms ({r['warm_engine_share']:.0%} engine) | {r['py_cold'] * 1e3:.2f} ms | "
                f"{1 / r['batch']:,.0f} | {r['held_share']:.0%} |")
    lines = [f"Shipped rule base, {mine['cases']} cases ({mine['ncnd']} NCND), CPU time "
             "(`time.process_time`); batch is the median round; held-invariance the CPU inside the check "
             "over all rounds.", "",
             "| checkout | single part, cold (durable) | single part, new Stage 1 (durable) | single part, cold "
             "(Python evaluator) | batch `assess()` parts/s | held-invariance share of `assess()` |",
             "|---|---:|---:|---:|---:|---:|"]
    if theirs is not None:
        lines.append(row(f"before ({against})", theirs))
    lines.append(row("this checkout", mine))
    return "\n".join(lines)


def run_aims(against: str | None, cases: int, rounds: int) -> None:
    """Measure the aims here and (in alternation, each in its own child process) in `against`."""
    results: dict[str, list[dict[str, Any]]] = {"mine": [], "theirs": []}
    trees = [("theirs", against), ("mine", None)] if against else [("mine", None)]
    for _ in range(2):
        for key, tree in trees:
            env = {**os.environ, "NCND_BENCH_TREE": str(Path(tree).resolve())} if tree else None
            print(f"aims with {tree or 'this checkout'} ...", file=sys.stderr, flush=True)
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--aims-child",
                                   "--cases", str(cases), "--rounds", str(rounds)],
                                  capture_output=True, text=True, env=env)
            if done.returncode:
                sys.exit(f"aims with {tree or 'this checkout'} failed: {done.stderr.strip()[-2000:]}")
            results[key].append(json.loads(done.stdout))

    def best(runs: list[dict[str, Any]]) -> dict[str, Any]:  # the less disturbed of the two runs
        return min(runs, key=lambda r: r["batch"])
    print(aims_report(best(results["mine"]), best(results["theirs"]) if against else None, against))


# ---------------------------------------------------------------------------- report

def fmt_rate(seconds_per_item: float | None) -> str:
    return "n/a" if not seconds_per_item else f"{1 / seconds_per_item:,.0f}"


def fmt_us(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1e6:,.0f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.2f} ms"


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}x"


def report(results: list[Result], args: argparse.Namespace, elapsed: float) -> str:
    from importlib.metadata import version
    lines = [f"Run: {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
             f"durable-rules {version('durable-rules')}, {platform.machine()}, {os.cpu_count()} CPUs, "
             f"{'--quick' if args.quick else 'full'} run, {elapsed:.0f} s in all. Times are medians of "
             f"interleaved rounds after a warm-up; ratios compare runs in this process.", ""]
    lines += ["**Full assessment** (`Assessor.assess_part`: gating, both stages, decision, explanation)", "",
              "| rule base | rules | rulesets | cases | fired/case | reach stage 2 | durable cases/s | "
              "python cases/s | durable/python | p50 / p95 latency (durable) | batch `assess()` parts/s |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for r in results:
        w = r.row
        lat = (f"{fmt_us(w['lat_p50'])} / {fmt_us(w['lat_p95'])}" if "lat_p50" in w else "n/a")
        lines.append(f"| {r.target.label} | {w['rules']:,} | {w['rulesets']} | {w['cases']} | {w['fired']:.1f} | "
                     f"{w['stage2']:.0%} | {fmt_rate(w['assess_du'])} | {fmt_rate(w['assess_py'])} | "
                     f"{ratio(w['assess_du'], w['assess_py'])} | {lat} | {fmt_rate(w.get('batch'))} |")
    lines += ["", "**Engine only** (`run_stage(1)` + `run_stage(2)` per case, same facts for all three)", "",
              "| rule base | adapter (`DurableEngine`) per case | durable direct per case | adapter/direct | "
              "python evaluator per case | adapter/python |",
              "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        w = r.row
        lines.append(f"| {r.target.label} | {fmt_us(w['eng_adapter'])} | {fmt_us(w['eng_direct'])} | "
                     f"{ratio(w['eng_adapter'], w['eng_direct'])} | {fmt_us(w['eng_py'])} | "
                     f"{ratio(w['eng_adapter'], w['eng_py'])} |")
    lines += ["", "**Where `assess_part` spends its time** (cProfile, cumulative share; durable engine)", "",
              "| rule base | gating (`relevance`) | engine (`run_stage`) | decide | explain |",
              "|---|---:|---:|---:|---:|"]
    for r in results:
        s = r.row["split"]
        lines.append(f"| {r.target.label} | {s['gating']:.0%} | {s['engine']:.0%} | {s['decide']:.0%} | "
                     f"{s['explain']:.0%} |")
    lines += ["", "**Load and compile; memory**", "",
              "| rule base | load | compile | `DurableEngine()` | `PythonEngine()` | load+compile+engine | "
              "tracemalloc peak | ru_maxrss (process, so far) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        w = r.row
        total = w["load"] + w["compile"] + w["engine"]
        lines.append(f"| {r.target.label} | {fmt_us(w['load'])} | {fmt_us(w['compile'])} | {fmt_us(w['engine'])} | "
                     f"{fmt_us(w['pyengine'])} | {fmt_us(total)} | {w['tm_peak'] / 2**20:.1f} MB | "
                     f"{w['maxrss']:.0f} MB |")
    notes = [f"- {r.target.label}: " + "; ".join(r.notes + [
        "outcomes " + ", ".join(f"{k} {v}" for k, v in sorted(r.row["outcomes"].items()))])
        for r in results]
    lines += ["", "Notes:", *notes]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ncnd-assistant speed benchmark")
    parser.add_argument("--quick", action="store_true", help="smaller run (< 30 s): no 5,000-rule base")
    parser.add_argument("--profile", action="store_true", help="print cProfile top functions per rule base")
    parser.add_argument("--keep", type=Path, help="write the generated rule bases here (default: a temp dir)")
    parser.add_argument("--preflight", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cases", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--cap", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--aims", action="store_true", help="only issue 16's per-part aims (CPU time)")
    parser.add_argument("--against", help="with --aims: also measure the package of this checkout")
    parser.add_argument("--rounds", type=int, default=3, help="with --aims: rounds per figure")
    parser.add_argument("--aims-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.preflight:
        run_preflight(args.preflight, args.cases, args.cap)
        return 0
    if args.aims_child:
        print(json.dumps(cpu_aims(args.cases or 100, args.rounds)))
        return 0
    if args.aims:
        run_aims(args.against, args.cases or 100, args.rounds)
        return 0

    started = time.perf_counter()
    budget, min_rounds = (0.2, 2) if args.quick else (1.5, 2)
    tmp = tempfile.TemporaryDirectory(prefix="ncnd-bench-")
    gen_root = args.keep or Path(tmp.name)
    sizes = [(100, 80 if args.quick else 200), (1000, 10 if args.quick else 50)]
    if not args.quick:
        sizes.append((5000, 8))
    targets: list[Target] = [Target("shipped (rules/foia)", SHIPPED, 100 if args.quick else 300)]
    for n, cases in sizes:
        path = generate.write_rulebase(gen_root / f"gen-{n}", n, seed=0)
        targets.append(Target(f"generated {n:,}", path, cases))
    if not args.quick:  # the proposed fix for the 5,000-rule crash, measured beside it
        targets.append(Target("generated 5,000, 100 rules/ruleset", gen_root / "gen-5000", 8, cap=100))

    results: list[Result] = []
    retry: list[Target] = []
    for target in targets:
        try:
            results.append(measure(target, budget, min_rounds, args.profile))
        except NcndError as error:  # e.g. the shipped rule base is mid-edit and fails to load
            print(f"[{target.label}] skipped: {error}", file=sys.stderr, flush=True)
            retry.append(target)
    for target in retry:  # once more at the end
        try:
            results.append(measure(target, budget, min_rounds, args.profile))
        except NcndError as error:
            print(f"[{target.label}] skipped again: {type(error).__name__}: {error}", file=sys.stderr)
            for problem in getattr(error, "problems", [])[:5]:
                print(f"    {problem}", file=sys.stderr)
    print(report(results, args, time.perf_counter() - started))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
