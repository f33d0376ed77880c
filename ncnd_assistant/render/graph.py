"""The rule base as a graph: questions -> rules -> provisions -> outcomes, facts in between.

`build_graph` makes a small, format-free graph; `graph_draw.to_mermaid` and `to_dot` draw it. Labels are
meant for a lawyer: the question text (shortened), the rule id, the provision as notices head it
("S24(2) National Security") and the outcome in words; edges from questions and facts carry the
answer that makes the rule fire. `--provision` keeps only what leads to one provision.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import field
from typing import assert_never

from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.kinds import ConclusionKind
from ncnd_assistant.rulebase.model import Limb, Outcome, Provision, Rule, RuleBase, block_targets
from ncnd_assistant.rulebase.phrasing import condition_labels
from ncnd_assistant.rulebase.wording import BALANCE_CHOICES, BLOCK_LABELS, EXEMPTION_KINDS, harm_text


class UnknownProvisionError(NcndError):
    """`--provision` names no provision of the rule base."""

    exit_code = ExitCode.USAGE


OUTCOME_LABELS = {**{o.value: o.label for o in Outcome},  # the one vocabulary (model.Outcome.label)
                  "confirm": "Confirm or deny: Stage 2 decides"}
LIMB_OUTCOME = {Limb.NCND: Outcome.NCND.value, Limb.WITHHOLD: Outcome.WITHHOLD.value,
                Limb.REFUSE: Outcome.REFUSE.value}


@dataclass(frozen=True)
class Node:
    key: str  # "question:held", "rule:not-held", "provision:s24(2)", "outcome:ncnd"
    kind: str  # question, fact, rule, provision, outcome
    label: str
    stage: int | None  # the cluster it is drawn in (None: outside the stages)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    style: str = "solid"  # solid, or dashed for "asked only when"


@dataclass
class Graph:
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add_node(self, node: Node) -> None:
        self.nodes.setdefault(node.key, node)

    def add_edge(self, edge: Edge) -> None:
        if edge not in self.edges:
            self.edges.append(edge)

    def ancestors(self, key: str) -> set[str]:
        """Every node with a path to `key`, and `key` itself."""
        into: dict[str, list[str]] = {}
        for edge in self.edges:
            into.setdefault(edge.target, []).append(edge.source)
        seen = {key}
        todo = [key]
        while todo:
            for source in into.get(todo.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    todo.append(source)
        return seen

    def restricted(self, keep: set[str]) -> Graph:
        """The subgraph on `keep`, in the original order."""
        return Graph(self.title, {k: n for k, n in self.nodes.items() if k in keep},
                     [e for e in self.edges if e.source in keep and e.target in keep])


def shorten(text: str, width: int = 100) -> str:
    """One line of at most `width` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    return textwrap.shorten(flat, width=width, placeholder="…") if len(flat) > width else flat


def find_provision(rb: RuleBase, wanted: str) -> Provision:
    """The provision `wanted` names: its id in any case, with or without the leading 's'."""
    def norm(text: str) -> str:
        text = re.sub(r"\s+", "", text.lower())
        return text[1:] if text.startswith("s") and text[1:2].isdigit() else text
    for provision in rb.provisions:
        if norm(provision.id) == norm(wanted):
            return provision
    known = ", ".join(p.id for p in rb.provisions)
    raise UnknownProvisionError(f"no provision '{wanted}' in rule base {rb.meta.id}; known: {known}")


def _name_key(rb: RuleBase, name: str) -> str:
    return f"fact:{name}" if rb.has_fact(name) else f"question:{name}"


def _condition_edges(rb: RuleBase, cond: c.Condition, target: str, style: str = "solid") -> list[Edge]:
    labels: dict[str, list[str]] = {}
    for name, label in condition_labels(rb, cond):
        seen = labels.setdefault(name, [])
        if label not in seen:
            seen.append(label)
    return [Edge(_name_key(rb, name), target, "; ".join(found), style) for name, found in labels.items()]


def _provision_stage(rb: RuleBase, provision: Provision) -> int | None:
    if provision.limb == Limb.NCND:
        return 1
    if provision.limb == Limb.WITHHOLD:
        return 2
    stages = {r.stage for r in rb.rules if r.then.kind is ConclusionKind.ENGAGE and r.then.target == provision.id}
    return stages.pop() if len(stages) == 1 else None


def _nodes(rb: RuleBase, graph: Graph) -> None:
    """Questions, facts, rules and provisions, each in the stage it is drawn in."""
    for q in rb.questions:
        graph.add_node(Node(f"question:{q.id}", "question", shorten(q.text), q.stage))
    for f in rb.facts:
        graph.add_node(Node(f"fact:{f.id}", "fact", shorten(f.text), rb.fact_stage(f.id)))
    for r in rb.rules:
        graph.add_node(Node(f"rule:{r.id}", "rule", r.id, r.stage))
    for p in rb.provisions:
        kind = EXEMPTION_KINDS.get(p.exemption, "not an exemption")
        graph.add_node(Node(f"provision:{p.id}", "provision", f"{shorten(p.label, 90)} ({kind})",
                            _provision_stage(rb, p)))


def _balance_edge(rule_key: str, rule: Rule) -> Edge:
    if rule.then.target == "maintain":
        return Edge(rule_key, f"outcome:{Outcome.NCND.value if rule.stage == 1 else Outcome.WITHHOLD.value}",
                    "public interest: maintain", "dashed")
    return Edge(rule_key, f"outcome:{'confirm' if rule.stage == 1 else Outcome.DISCLOSE.value}",
                f"public interest: {BALANCE_CHOICES[(rule.stage, 'disclose')]}", "dashed")


def _conclusion_edges(rule: Rule) -> list[Edge]:
    """Where the rule's conclusion leads (a warning leads nowhere)."""
    rule_key, then = f"rule:{rule.id}", rule.then
    match then.kind:
        case ConclusionKind.ENGAGE:
            return [Edge(rule_key, f"provision:{then.target}", harm_text(then.harm) if then.harm else "")]
        case ConclusionKind.DERIVE:
            return [Edge(rule_key, f"fact:{then.target}")]
        case ConclusionKind.OUTCOME:
            return [Edge(rule_key, f"outcome:{then.target}")]
        case ConclusionKind.BLOCK if then.target in BLOCK_LABELS:
            return [Edge(rule_key, "outcome:confirm", BLOCK_LABELS[then.target])]
        case ConclusionKind.BLOCK:  # provisions made unavailable (s63)
            return [Edge(rule_key, f"provision:{target}", "not available", "dashed")
                    for target in block_targets(then.target)]
        case ConclusionKind.WARN:
            return []
        case ConclusionKind.CONTRADICTION:
            return [Edge(rule_key, f"question:{then.target}", "asked again: answers contradict", "dashed")]
        case ConclusionKind.BALANCE:
            return [_balance_edge(rule_key, rule)]
        case _:
            assert_never(then.kind)


def _edges(rb: RuleBase, graph: Graph) -> None:
    """The edges: "asked only when" conditions, each rule's conditions and conclusion, provisions to outcomes."""
    for q in rb.questions:
        if q.ask_when is not None:
            for edge in _condition_edges(rb, q.ask_when, f"question:{q.id}", "dashed"):
                graph.add_edge(Edge(edge.source, edge.target, f"asked if {edge.label}", "dashed"))
    for r in rb.rules:
        for edge in _condition_edges(rb, r.when, f"rule:{r.id}") + _conclusion_edges(r):
            graph.add_edge(edge)
    for p in rb.provisions:
        graph.add_edge(Edge(f"provision:{p.id}", f"outcome:{LIMB_OUTCOME[p.limb]}"))
        for other in p.in_the_alternative_with:
            graph.add_edge(Edge(f"provision:{p.id}", f"provision:{other}", "cited in the alternative", "dashed"))


def build_graph(rb: RuleBase, provision: str | None = None) -> Graph:
    """The whole rule base as a graph, or only what leads to `provision` (and where it leads)."""
    graph = Graph(f"{rb.meta.title} ({rb.meta.id} {rb.meta.version})")
    _nodes(rb, graph)
    _edges(rb, graph)
    used = {e.target for e in graph.edges}
    for name in OUTCOME_LABELS:  # a fixed, readable order
        if f"outcome:{name}" in used:
            graph.add_node(Node(f"outcome:{name}", "outcome", OUTCOME_LABELS[name], None))
    if provision is None:
        return graph
    key = f"provision:{find_provision(rb, provision).id}"
    keep = graph.ancestors(key)
    keep |= {e.target for e in graph.edges if e.source == key and e.target.startswith("outcome:")}
    return graph.restricted(keep)
