"""The rule base as a graph: questions -> rules -> provisions -> outcomes, facts in between.

`build_graph` makes a small, format-free graph; `to_mermaid` and `to_dot` draw it. Labels are
meant for a lawyer: the question text (shortened), the rule id, the provision as notices head it
("S24(2) National Security") and the outcome in words; edges from questions and facts carry the
answer that makes the rule fire. `--provision` keeps only what leads to one provision.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from ncnd_assistant.errors import ExitCode, NcndError
from ncnd_assistant.rulebase import conditions as c
from ncnd_assistant.rulebase.model import Limb, Outcome, Provision, RuleBase, block_targets


class UnknownProvisionError(NcndError):
    """`--provision` names no provision of the rule base."""

    exit_code = ExitCode.USAGE


OUTCOME_LABELS = {**{o.value: o.label for o in Outcome},  # the one vocabulary (model.Outcome.label)
                  "confirm": "Confirm or deny: Stage 2 decides"}
LIMB_OUTCOME = {Limb.NCND: Outcome.NCND.value, Limb.WITHHOLD: Outcome.WITHHOLD.value,
                Limb.REFUSE: Outcome.REFUSE.value}
STAGE_TITLES = {1: "Stage 1: confirm or deny", 2: "Stage 2: disclosure"}
HARM_LABELS = {"would": "would", "would_be_likely_to": "would be likely to"}


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


def _value_label(rb: RuleBase, name: str, value: c.Value) -> str:
    if isinstance(value, bool):
        if rb.has_fact(name):
            return "holds" if value else "does not hold"
        return "Yes" if value else "No"
    if rb.has_question(name):
        label = rb.question(name).display(value)
        return label if len(label) <= 28 else value
    return value


def _leaf_labels(rb: RuleBase, cond: c.Condition, negated: bool = False) -> Iterable[tuple[str, str]]:
    """(name, edge label) for each test in the condition; tests under an odd `not` say so."""
    if isinstance(cond, c.Not):
        yield from _leaf_labels(rb, cond.item, not negated)
        return
    if isinstance(cond, (c.All, c.AnyOf)):
        for item in cond.items:
            yield from _leaf_labels(rb, item, negated)
        return
    values = (cond.value,) if isinstance(cond, c.Eq) else cond.values
    text = " or ".join(_value_label(rb, cond.name, v) for v in values)
    yield cond.name, f"not {text}" if negated else text


def _name_key(rb: RuleBase, name: str) -> str:
    return f"fact:{name}" if rb.has_fact(name) else f"question:{name}"


def _condition_edges(rb: RuleBase, cond: c.Condition, target: str, style: str = "solid") -> list[Edge]:
    labels: dict[str, list[str]] = {}
    for name, label in _leaf_labels(rb, cond):
        seen = labels.setdefault(name, [])
        if label not in seen:
            seen.append(label)
    return [Edge(_name_key(rb, name), target, "; ".join(found), style) for name, found in labels.items()]


def _provision_stage(rb: RuleBase, provision: Provision) -> int | None:
    if provision.limb == Limb.NCND:
        return 1
    if provision.limb == Limb.WITHHOLD:
        return 2
    stages = {r.stage for r in rb.rules if r.then.kind == "engage" and r.then.target == provision.id}
    return stages.pop() if len(stages) == 1 else None


def build_graph(rb: RuleBase, provision: str | None = None) -> Graph:
    """The whole rule base as a graph, or only what leads to `provision` (and where it leads)."""
    graph = Graph(f"{rb.meta.title} ({rb.meta.id} {rb.meta.version})")
    for q in rb.questions:
        graph.add_node(Node(f"question:{q.id}", "question", shorten(q.text), q.stage))
    for f in rb.facts:
        graph.add_node(Node(f"fact:{f.id}", "fact", shorten(f.text), rb.fact_stage(f.id)))
    for r in rb.rules:
        graph.add_node(Node(f"rule:{r.id}", "rule", r.id, r.stage))
    for p in rb.provisions:
        kind = {"absolute": "absolute", "qualified": "qualified"}.get(p.exemption, "not an exemption")
        graph.add_node(Node(f"provision:{p.id}", "provision", f"{shorten(p.label, 90)} ({kind})",
                            _provision_stage(rb, p)))
    outcomes_used: list[str] = []

    def outcome(name: str) -> str:
        if name not in outcomes_used:
            outcomes_used.append(name)
        return f"outcome:{name}"

    for q in rb.questions:
        if q.ask_when is not None:
            for edge in _condition_edges(rb, q.ask_when, f"question:{q.id}", "dashed"):
                graph.add_edge(Edge(edge.source, edge.target, f"asked if {edge.label}", "dashed"))
    for r in rb.rules:
        rule_key = f"rule:{r.id}"
        for edge in _condition_edges(rb, r.when, rule_key):
            graph.add_edge(edge)
        then = r.then
        if then.kind == "engage":
            graph.add_edge(Edge(rule_key, f"provision:{then.target}", HARM_LABELS.get(then.harm or "", "")))
        elif then.kind == "derive":
            graph.add_edge(Edge(rule_key, f"fact:{then.target}"))
        elif then.kind == "outcome":
            graph.add_edge(Edge(rule_key, outcome(then.target)))
        elif then.kind == "block":
            label = {"ncnd": "NCND blocked", "harm_based": "harm-based NCND limbs blocked",
                     "absolute": "absolute NCND limbs blocked"}.get(then.target)
            if label is None:  # provisions made unavailable (s63)
                for target in block_targets(then.target):
                    graph.add_edge(Edge(rule_key, f"provision:{target}", "not available", "dashed"))
            else:
                graph.add_edge(Edge(rule_key, outcome("confirm"), label))
        elif then.kind == "warn":
            continue
        elif then.kind == "contradiction":
            graph.add_edge(Edge(rule_key, f"question:{then.target}", "asked again: answers contradict",
                                "dashed"))
        elif then.target == "maintain":
            graph.add_edge(Edge(rule_key, outcome(Outcome.NCND.value if r.stage == 1 else Outcome.WITHHOLD.value),
                                "public interest: maintain", "dashed"))
        else:
            graph.add_edge(Edge(rule_key, outcome("confirm" if r.stage == 1 else Outcome.DISCLOSE.value),
                                "public interest: " + ("confirm or deny" if r.stage == 1 else "disclose"),
                                "dashed"))
    for p in rb.provisions:
        graph.add_edge(Edge(f"provision:{p.id}", outcome(LIMB_OUTCOME[p.limb])))
        for other in p.in_the_alternative_with:
            graph.add_edge(Edge(f"provision:{p.id}", f"provision:{other}", "cited in the alternative", "dashed"))
    for name in OUTCOME_LABELS:  # a fixed, readable order
        if name in outcomes_used:
            graph.add_node(Node(f"outcome:{name}", "outcome", OUTCOME_LABELS[name], None))
    if provision is None:
        return graph
    key = f"provision:{find_provision(rb, provision).id}"
    keep = graph.ancestors(key)
    keep |= {e.target for e in graph.edges if e.source == key and e.target.startswith("outcome:")}
    return graph.restricted(keep)


# ---------------------------------------------------------------- drawing

PREFIXES = {"question": "q_", "fact": "f_", "rule": "r_", "provision": "p_", "outcome": "out_"}


def node_ids(graph: Graph) -> dict[str, str]:
    """A safe, unique identifier per node: letters, digits and underscores."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for key in graph.nodes:
        kind, _, name = key.partition(":")
        base = PREFIXES[kind] + (re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "x")
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}_{n}", n + 1
        used.add(ident)
        ids[key] = ident
    return ids


def _clusters(graph: Graph) -> list[tuple[int | None, list[Node]]]:
    out: list[tuple[int | None, list[Node]]] = []
    for stage in (1, 2, None):
        members = [n for n in graph.nodes.values() if n.stage == stage]
        if members:
            out.append((stage, members))
    return out


def _wrap(text: str, width: int = 34) -> list[str]:
    return textwrap.wrap(text, width=width, break_on_hyphens=False, break_long_words=False) or [""]


MERMAID_SHAPES = {"question": ('("', '")'), "fact": ('(["', '"])'), "rule": ('["', '"]'),
                  "provision": ('{{"', '"}}'), "outcome": ('[["', '"]]')}
STYLES = {"question": ("#e8f0fe", "#1a56db"), "fact": ("#fef9e7", "#b7950b"), "rule": ("#f4f4f4", "#555555"),
          "provision": ("#fdecea", "#b03a2e"), "outcome": ("#e9f7ef", "#1e8449")}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, #, < and > as entity codes."""
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;"))


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart, left to right, one subgraph per stage."""
    ids = node_ids(graph)
    lines = ["flowchart LR", f"  %% {graph.title}"]
    for stage, members in _clusters(graph):
        indent = "  "
        if stage is not None:
            lines.append(f'  subgraph stage{stage}["{mermaid_text(STAGE_TITLES[stage])}"]')
            lines.append("    direction LR")
            indent = "    "
        for node in members:
            left, right = MERMAID_SHAPES[node.kind]
            label = "<br/>".join(mermaid_text(line) for line in _wrap(node.label))
            lines.append(f"{indent}{ids[node.key]}{left}{label}{right}")
        if stage is not None:
            lines.append("  end")
    for edge in graph.edges:
        arrow = "-.->" if edge.style == "dashed" else "-->"
        label = f'|"{mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    for kind, (fill, stroke) in STYLES.items():
        kind_ids = [ids[n.key] for n in graph.nodes.values() if n.kind == kind]
        if kind_ids:
            lines.append(f"  classDef {kind} fill:{fill},stroke:{stroke},color:#111111")
            lines.append(f"  class {','.join(kind_ids)} {kind}")
    return "\n".join(lines) + "\n"


DOT_SHAPES = {"question": 'shape=box, style="rounded,filled"', "fact": 'shape=ellipse, style=filled',
              "rule": 'shape=box, style=filled', "provision": 'shape=hexagon, style=filled',
              "outcome": 'shape=doubleoctagon, style=filled'}


def dot_text(text: str) -> str:
    """A double-quoted DOT string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: Graph) -> str:
    """A Graphviz digraph, left to right, one cluster per stage."""
    ids = node_ids(graph)
    lines = ["digraph rulebase {",
             f"  graph [rankdir=LR, fontname=Helvetica, labelloc=t, label={dot_text(graph.title)}];",
             "  node [fontname=Helvetica, fontsize=10];",
             "  edge [fontname=Helvetica, fontsize=9];"]
    for stage, members in _clusters(graph):
        indent = "  "
        if stage is not None:
            lines.append(f"  subgraph cluster_stage{stage} {{")
            lines.append(f"    label={dot_text(STAGE_TITLES[stage])}; style=rounded; color=\"#888888\";")
            indent = "    "
        for node in members:
            fill, stroke = STYLES[node.kind]
            label = dot_text("\n".join(_wrap(node.label)))
            lines.append(f'{indent}{ids[node.key]} [label={label}, {DOT_SHAPES[node.kind]}, '
                         f'fillcolor="{fill}", color="{stroke}"];')
        if stage is not None:
            lines.append("  }")
    for edge in graph.edges:
        attrs = []
        if edge.label:
            attrs.append(f"label={dot_text(edge.label)}")
        if edge.style == "dashed":
            attrs.append("style=dashed")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {ids[edge.source]} -> {ids[edge.target]}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
