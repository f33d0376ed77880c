"""Generate synthetic rule-base folders in the real YAML format, for the speed benchmark.

    python benchmarks/generate.py OUT_DIR --rules 1000 [--questions 50] [--seed 0]

The result loads with `load_rulebase(OUT_DIR)` and compiles like the shipped rule base. Given the
same arguments the files are byte-identical (a seeded `random.Random`, no clock, no hashing).

Shape (chosen to look like `rules/foia`, only bigger):

* ~50 questions: about two thirds stage 1, the rest stage 2 (including `held`, which reveals
  holding); two thirds yes/no, the rest choices with 3 or 4 values. Some questions have an
  `ask_when` on an earlier question, a few on a stage-1 derived fact (as the shipped rule base
  gates most stage-1 questions on `assess_confirm_deny`).
* derived facts (N/25, at least 6, at most 60), 70 % derived in stage 1, in three layers: layer-0
  facts read only questions, layer-1 facts read a layer-0 fact, layer-2 facts read a layer-1 fact,
  so a stage compiles to 3 layers of forward chaining. Every fact has at least one deriving rule.
* 20 provisions: 8 NCND limbs (2 absolute class-based, cited in the alternative, like s23(5) and
  s24(2); 6 qualified prejudice-based), 10 withholding limbs, 2 refusals (cost, vexatious).
* rules: 60 % stage 1. About 15 % derive facts; the rest engage provisions (most), balance the
  public interest (unique priorities, so balances never conflict), block NCND (stage 1) or give
  `not_held` (stage 2, always reading `held: false`). Conditions are random `all` / `any` / `not`
  / equality / `in` trees over 1-4 leaves; a stage-1 rule never reads a stage-2 name.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's emitter is ~10x faster; the output is the same YAML
    _Base: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeDumper


class _Dumper(_Base):  # type: ignore[misc]
    """Every value written out in full: rule files may not use anchors and aliases (`yaml-alias`)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

CITE = ["Synthetic benchmark rule base"]
HARM_TESTS = ("prejudice", "endanger")


@dataclass
class _Question:
    id: str
    stage: int
    type: str
    values: list[Any]  # [True, False] or choice values
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Fact:
    id: str
    stage: int
    layer: int


class _Gen:
    def __init__(self, n_rules: int, n_questions: int, seed: int, wide_stage2: bool = False):
        self.wide_stage2 = wide_stage2
        self.rng = random.Random(f"ncnd-bench:{seed}:{n_rules}:{n_questions}")
        self.n_rules = n_rules
        self.n_questions = max(n_questions, 8)
        self.questions: list[_Question] = []
        self.facts: list[_Fact] = []
        self.provisions: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ questions and facts

    def make_facts(self) -> None:
        count = max(6, min(60, self.n_rules // 25))
        n1 = max(3, round(count * 0.7))
        for stage, n in ((1, n1), (2, count - n1)):
            for i in range(n):
                layer = 0 if i < max(1, round(n * 0.5)) else (1 if i < max(2, round(n * 0.8)) else 2)
                self.facts.append(_Fact(f"s{stage}_fact_{i:02d}", stage, layer))

    def make_questions(self) -> None:
        rng = self.rng
        n1 = round(self.n_questions * 2 / 3)
        gate = next(f for f in self.facts if f.stage == 1 and f.layer == 0)
        for i in range(self.n_questions):
            stage = 1 if i < n1 else 2
            if i == self.n_questions - 1:
                q = _Question("held", 2, "yes_no", [True, False])
                q.data = {"id": "held", "text": "Having searched, is information within scope held?",
                          "help": "Asked only once stage 1 is settled.", "type": "yes_no", "stage": 2,
                          "reveals_holding": True}
                self.questions.append(q)
                continue
            qid = f"s{stage}_q{i:02d}"
            if rng.random() < 2 / 3:
                q = _Question(qid, stage, "yes_no", [True, False])
                q.data = {"id": qid, "text": f"Synthetic yes/no question {i}?", "help": "Synthetic.",
                          "type": "yes_no", "stage": stage}
            else:
                values = [f"opt_{chr(97 + k)}" for k in range(rng.choice((3, 4)))]
                q = _Question(qid, stage, "choice", values)
                q.data = {"id": qid, "text": f"Synthetic choice question {i}?", "help": "Synthetic.",
                          "type": "choice",
                          "choices": [{"value": v, "label": f"Option {v[-1].upper()}"} for v in values],
                          "stage": stage}
            earlier = [o for o in self.questions if o.id != "held" and (o.stage <= stage)]
            roll = rng.random()
            if i >= 3 and roll < 0.15 and earlier:
                other = rng.choice(earlier)
                q.data["ask_when"] = self.leaf(other, negate_ok=False)
            elif i >= 3 and roll < 0.25:
                q.data["ask_when"] = {gate.id: True}
            self.questions.append(q)

    # ------------------------------------------------------------------ provisions

    def make_provisions(self) -> None:
        def prov(pid: str, limb: str, exemption: str, test: str, **extra: Any) -> None:
            data: dict[str, Any] = {"id": pid, "act": "Synthetic Act 2000", "title": f"Provision {pid}",
                                    "limb": limb, "exemption": exemption, "test": test,
                                    "summary": f"Synthetic {limb} provision {pid}."}
            data.update(extra)
            if exemption == "qualified":
                data["public_interest"] = {"for": [f"Transparency about {pid}."],
                                           "against": [f"Harm protected by {pid}."]}
            data["citations"] = [f"Synthetic Act 2000 {pid}"]
            self.provisions.append(data)

        prov("s123(5)", "ncnd", "absolute", "class", in_the_alternative_with=["s124(2)"])
        prov("s124(2)", "ncnd", "absolute", "class", in_the_alternative_with=["s123(5)"])
        for k in range(6):
            prov(f"s13{k}(3)", "ncnd", "qualified", "prejudice")
        for k in range(10):
            absolute = k < 3
            prov(f"s15{k}(1)", "withhold", "absolute" if absolute else "qualified",
                 "class" if absolute else "prejudice")
        prov("s112(2)", "refuse", "not_exemption", "cost")
        prov("s114(1)", "refuse", "not_exemption", "vexatious")

    def provisions_for(self, stage: int) -> list[dict[str, Any]]:
        limb = "ncnd" if stage == 1 else "withhold"
        return [p for p in self.provisions if p["limb"] == limb]

    # ------------------------------------------------------------------ conditions

    def leaf(self, q: _Question | _Fact, negate_ok: bool = True) -> dict[str, Any]:
        rng = self.rng
        if isinstance(q, _Fact):
            out: dict[str, Any] = {q.id: rng.random() < 0.85}
        elif q.type == "yes_no":
            out = {q.id: rng.random() < 0.5}
        elif rng.random() < 0.4:
            out = {q.id: {"in": sorted(rng.sample(q.values, 2))}}
        else:
            out = {q.id: rng.choice(q.values)}
        if negate_ok and rng.random() < 0.1:
            return {"not": out}
        return out

    def condition(self, names: list[_Question | _Fact], must: list[dict[str, Any]] | None = None,
                  sizes: tuple[int, ...] = (2, 3, 3, 4, 4, 5)) -> dict[str, Any]:
        """A random condition tree over `sizes` leaves; `must` items are and-ed in at the top."""
        rng = self.rng
        must = must or []
        n = rng.choice(sizes)
        picked = rng.sample(names, min(n, len(names)))
        items: list[dict[str, Any]] = []
        i = 0
        while i < len(picked):
            if i + 1 < len(picked) and rng.random() < 0.15:  # a nested any/all of two leaves
                items.append({rng.choice(("any", "all")): [self.leaf(picked[i]), self.leaf(picked[i + 1])]})
                i += 2
            else:
                items.append(self.leaf(picked[i]))
                i += 1
        items = must + items
        if len(items) == 1:
            return items[0]
        roll = rng.random()
        if roll < 0.08 and not must and len(items) >= 3:  # any of two all-s
            return {"any": [{"all": items[: len(items) // 2]}, {"all": items[len(items) // 2:]}]}
        if roll < 0.12 and not must:
            return {"all": [{"not": {"any": items[:2]}}] + items[2:]} if len(items) > 2 else {"not": {"any": items}}
        return {"all": items}

    def readable(self, stage: int, layer: int | None = None, cross: bool = False) -> list[_Question | _Fact]:
        """Names a rule of `stage` may read: its own stage's questions and facts (a fact-deriving
        rule of `layer` reads no fact at or above its layer), plus stage-1 names when `cross`
        (stage 2 only; the shipped stage-2 rules read no stage-1 name)."""
        stages = {1, 2} if cross and stage == 2 else {stage}
        out: list[_Question | _Fact] = [q for q in self.questions if q.stage in stages and q.id != "held"]
        for f in self.facts:
            if f.stage not in stages:
                continue
            if layer is not None and f.stage == stage and f.layer >= layer:
                continue
            out.append(f)
        return out

    # ------------------------------------------------------------------ rules

    def make_rules(self) -> list[dict[str, Any]]:
        rng = self.rng
        rules: list[dict[str, Any]] = []
        held = next(q for q in self.questions if q.id == "held")
        n_derive = max(len(self.facts), round(self.n_rules * 0.15))
        n_derive = min(n_derive, self.n_rules - 4)
        derive_targets = list(self.facts) + [rng.choice(self.facts) for _ in range(n_derive - len(self.facts))]
        priority = {1: 0, 2: 0}

        def add(stage: int, when: dict[str, Any], then: dict[str, Any], **extra: Any) -> None:
            rule: dict[str, Any] = {"id": f"r{len(rules):05d}-s{stage}-{next(iter(then))}", "stage": stage,
                                    "when": when, "then": then,
                                    "because": f"Synthetic reason {len(rules)}.", "citations": CITE}
            rule.update(extra)
            rules.append(rule)

        for fact in derive_targets:
            names = self.readable(fact.stage, fact.layer, cross=self.wide_stage2)
            must = []
            if fact.layer > 0:  # chain: read a fact of the layer below, in the same stage
                below = [f for f in self.facts if f.stage == fact.stage and f.layer == fact.layer - 1]
                must = [{rng.choice(below).id: True}]
            add(fact.stage, self.condition([n for n in names if not isinstance(n, _Fact)], must,
                                           sizes=(1, 2, 2, 3)), {"derive": fact.id})

        # Refusals, NCND blocks and not-held outcomes are few whatever the size (as in a real rule
        # base); otherwise one of them would fire in nearly every case of a big rule base.
        n = self.n_rules
        special = ["refuse"] * max(2, n // 1000) + ["block"] * max(2, n // 500) + ["not_held"] * max(2, n // 250)
        special = special[: max(0, n - len(rules))]
        kinds = special + ["other"] * max(0, n - len(rules) - len(special))
        rng.shuffle(kinds)
        questions_by_stage = {s: [q for q in self.readable(s) if isinstance(q, _Question)] for s in (1, 2)}
        for kind in kinds:
            stage = 1 if rng.random() < 0.6 else 2
            names = self.readable(stage, cross=self.wide_stage2 or rng.random() < 0.05)
            if kind == "refuse":  # four specific answers
                pid = "s112(2)" if rng.random() < 0.5 else "s114(1)"
                add(stage, {"all": [self.leaf(q, negate_ok=False)
                                    for q in rng.sample(questions_by_stage[stage], 4)]}, {"engage": pid})
            elif kind == "block":
                add(1, self.condition(self.readable(1), sizes=(3, 4)), {"block": "ncnd"})
            elif kind == "not_held":
                add(2, self.condition(self.readable(2), must=[{held.id: False}], sizes=(1, 2, 3)),
                    {"outcome": "not_held"})
            elif rng.random() < 0.12:
                priority[stage] += 1
                add(stage, self.condition(names), {"balance": "maintain" if rng.random() < 0.6 else "disclose"},
                    priority=priority[stage])
            else:
                p = rng.choice(self.provisions_for(stage))
                then: dict[str, Any] = {"engage": p["id"]}
                if p["test"] in HARM_TESTS:
                    then["harm"] = rng.choice(("would", "would_be_likely_to"))
                extra: dict[str, Any] = {}
                if p["exemption"] == "qualified" and rng.random() < 0.3:
                    extra["public_interest"] = {"for": [f"Rule factor for {p['id']}."], "against": []}
                add(stage, self.condition(names), then, **extra)
        return rules


RULES_PER_FILE = 1000  # a file of many more passes the loader's 100,000-values limit (`too-many-values`)


def generate(n_rules: int, n_questions: int = 50, seed: int = 0, wide_stage2: bool = False) -> dict[str, str]:
    """The rule base as {file name: YAML text}.

    `wide_stage2` lets every stage-2 rule read stage-1 questions and facts too (5 % of them do
    otherwise); at 5,000 rules that reproduces durable-rules error 303 (see README.md).
    """
    g = _Gen(n_rules, n_questions, seed, wide_stage2)
    g.make_facts()
    g.make_questions()
    g.make_provisions()
    rules = g.make_rules()

    def dump(data: dict[str, Any]) -> str:
        return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))

    files = {
        "rulebase.yaml": dump({"rulebase": {
            "id": f"synthetic-{n_rules}", "title": f"Synthetic rule base ({n_rules} rules, seed {seed})",
            "version": "0.0.0", "effective": date(2026, 1, 1), "regime": "foia"}}),
        "questions.yaml": dump({"questions": [q.data for q in g.questions]}),
        "facts.yaml": dump({"facts": [{"id": f.id, "text": f"Synthetic fact {f.id} (layer {f.layer})."}
                                      for f in g.facts]}),
        "provisions.yaml": dump({"provisions": g.provisions}),
    }
    for stage in (1, 2):  # files per stage, as the shipped rule base splits its rules
        staged = [r for r in rules if r["stage"] == stage]
        if len(staged) <= RULES_PER_FILE:  # the names the benchmarks have always used
            files[f"rules-stage{stage}.yaml"] = dump({"rules": staged})
            continue
        for n, start in enumerate(range(0, len(staged), RULES_PER_FILE), 1):
            files[f"rules-stage{stage}-{n:02d}.yaml"] = dump({"rules": staged[start:start + RULES_PER_FILE]})
    return files


def write_rulebase(folder: Path | str, n_rules: int, n_questions: int = 50, seed: int = 0,
                   wide_stage2: bool = False) -> Path:
    """Write a generated rule base into `folder` (emptied first); return the folder."""
    out = Path(folder)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, text in generate(n_rules, n_questions, seed, wide_stage2).items():
        (out / name).write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wide-stage2", action="store_true",
                        help="let every stage-2 rule read stage-1 names too (reproduces durable error 303)")
    args = parser.parse_args(argv)
    write_rulebase(args.out, args.rules, args.questions, args.seed, args.wide_stage2)
    print(f"wrote {args.out} ({args.rules} rules, {args.questions} questions, seed {args.seed})")


if __name__ == "__main__":
    main()
