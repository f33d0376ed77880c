"""Drawing a rule-base graph (`graph.build_graph`): Mermaid for Markdown viewers, DOT for Graphviz.

Both lay it out left to right with one cluster per stage, node shapes and colours by kind
(question, fact, rule, provision, outcome), and dashed edges for "asked only when", the public
interest and provisions made unavailable.
"""

from __future__ import annotations

import re
import textwrap

from ncnd_assistant.render.graph import Graph, Node
from ncnd_assistant.rulebase.wording import STAGE_NAMES

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


def _stage_title(stage: int) -> str:
    return f"Stage {stage}: {STAGE_NAMES[stage]}"


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
            lines.append(f'  subgraph stage{stage}["{mermaid_text(_stage_title(stage))}"]')
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
            lines.append(f"    label={dot_text(_stage_title(stage))}; style=rounded; color=\"#888888\";")
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
