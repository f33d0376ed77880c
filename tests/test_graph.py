"""`ncnd rules graph`: the rule base drawn for a lawyer, as Mermaid and as Graphviz DOT."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.render.graph import Edge, Graph, Node, UnknownProvisionError, build_graph
from ncnd_assistant.render.graph_draw import to_dot, to_mermaid
from ncnd_assistant.rulebase.model import RuleBase
from tests.conftest import EXAMPLE, SHIPPED

runner = CliRunner()

MERMAID_ID = r"[A-Za-z][A-Za-z0-9_]*"
MERMAID_RESERVED = {"end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click", "direction",
                    "linkStyle", "default"}
MERMAID_SHAPES = [("((", "))"), ("[[", "]]"), ("([", "])"), ("{{", "}}"), ("(", ")"), ("[", "]"), ("{", "}")]


def check_mermaid(text: str) -> tuple[set[str], list[tuple[str, str]]]:
    """A structural parse of the flowchart subset the graph uses; fails on anything else.

    Node ids are plain identifiers (not keywords), labels are quoted with no raw quote inside,
    shape brackets pair up, subgraphs close, and every edge joins declared nodes.
    """
    lines = text.splitlines()
    assert re.fullmatch(r"flowchart (LR|RL|TB|TD|BT)", lines[0]), lines[0]
    label = r'"([^"]*)"'
    nodes: set[str] = set()
    edges: list[tuple[str, str]] = []
    classed: list[str] = []
    depth = 0
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        where = f"line {number}: {raw!r}"
        if not line or line.startswith("%%"):
            continue
        if m := re.fullmatch(rf"subgraph ({MERMAID_ID})\[{label}\]", line):
            assert m.group(1) not in MERMAID_RESERVED, where
            depth += 1
            continue
        if line == "end":
            depth -= 1
            assert depth >= 0, f"unbalanced end at {where}"
            continue
        if re.fullmatch(r"direction (LR|RL|TB|TD|BT)", line):
            assert depth > 0, where
            continue
        if m := re.fullmatch(rf"({MERMAID_ID}) (-->|-\.->)(?:\|{label}\|)? ({MERMAID_ID})", line):
            edges.append((m.group(1), m.group(4)))
            continue
        if re.fullmatch(rf"classDef {MERMAID_ID} [a-z-]+:#[0-9a-fA-F]{{3,6}}(,[a-z-]+:#[0-9a-fA-F]{{3,6}})*", line):
            continue
        if m := re.fullmatch(rf"class ({MERMAID_ID}(?:,{MERMAID_ID})*) {MERMAID_ID}", line):
            classed += m.group(1).split(",")
            continue
        m = re.fullmatch(rf"({MERMAID_ID})(.*)", line)
        assert m, f"unrecognised {where}"
        ident, shape = m.group(1), m.group(2)
        assert ident not in MERMAID_RESERVED, f"reserved id at {where}"
        for left, right in MERMAID_SHAPES:
            if shape.startswith(left + '"') and shape.endswith('"' + right):
                inner = shape[len(left) + 1:-len(right) - 1]
                assert '"' not in inner, f"raw quote in label at {where}"
                break
        else:
            raise AssertionError(f"unbalanced or unknown shape at {where}")
        assert ident not in nodes, f"node declared twice at {where}"
        nodes.add(ident)
    assert depth == 0, "a subgraph is not closed"
    for source, target in edges:
        assert source in nodes and target in nodes, f"edge {source} -> {target} joins an undeclared node"
    assert set(classed) <= nodes
    return nodes, edges


DOT_TOKEN = re.compile(r'\s+|"(?:[^"\\]|\\.)*"|->|[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+(?:\.[0-9]+)?|[{}\[\];,=]')


def _dot_tokens(text: str) -> list[str]:
    """DOT as quoted strings, identifiers, numbers and punctuation; anything else fails."""
    tokens, at = [], 0
    while at < len(text):
        m = DOT_TOKEN.match(text, at)
        assert m, f"unexpected DOT text at {at}: {text[at:at + 20]!r}"
        if not m.group().isspace():
            tokens.append(m.group())
        at = m.end()
    return tokens


def check_dot(text: str) -> tuple[set[str], list[tuple[str, str]]]:
    """Braces and brackets balance outside strings, and every edge joins declared nodes."""
    assert re.match(r"^ *(strict +)?digraph\b", text)
    tokens = _dot_tokens(text)
    stack: list[str] = []
    for token in tokens:
        if token in "{[":
            stack.append(token)
        elif token in "}]":
            assert stack and {"{": "}", "[": "]"}[stack.pop()] == token, "unbalanced brackets"
        elif token.startswith('"'):
            assert token.endswith('"') and len(token) >= 2
    assert not stack, "unclosed bracket"
    nodes = {m.group(1) for m in re.finditer(r"^\s*([A-Za-z_][A-Za-z0-9_]*) \[label=", text, re.MULTILINE)}
    edges = re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*) -> ([A-Za-z_][A-Za-z0-9_]*)", text, re.MULTILINE)
    for source, target in edges:
        assert source in nodes and target in nodes, f"edge {source} -> {target} joins an undeclared node"
    return nodes, edges


def render_dot(text: str, tmp_path: Path) -> None:
    """Render with Graphviz when it is installed (the structure is checked either way)."""
    dot = shutil.which("dot")
    if dot is None:
        return
    source = tmp_path / "graph.dot"
    source.write_text(text, encoding="utf-8")
    done = subprocess.run([dot, "-Tsvg", str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout


@pytest.mark.parametrize("which", ["example", "shipped"])
def test_the_whole_rule_base_draws_as_valid_mermaid_and_dot(which: str, example: RuleBase, shipped: RuleBase,
                                                             tmp_path: Path) -> None:
    rb = example if which == "example" else shipped
    graph = build_graph(rb)
    mermaid = to_mermaid(graph)
    nodes, edges = check_mermaid(mermaid)
    assert len(nodes) == len(graph.nodes) and len(edges) == len(graph.edges)
    dot = to_dot(graph)
    dot_nodes, dot_edges = check_dot(dot)
    assert len(dot_nodes) == len(graph.nodes) and len(dot_edges) == len(graph.edges)
    assert "subgraph cluster_stage1" in dot and 'subgraph stage1["Stage 1: confirm or deny"]' in mermaid
    render_dot(dot, tmp_path)


def test_every_question_rule_provision_and_fact_is_drawn_with_a_readable_label(shipped: RuleBase) -> None:
    graph = build_graph(shipped)
    labels = {key: node.label for key, node in graph.nodes.items()}
    for q in shipped.questions:
        assert labels[f"question:{q.id}"].rstrip("…")[:40] == " ".join(q.text.split())[:40]
    for r in shipped.rules:
        assert labels[f"rule:{r.id}"] == r.id
    for p in shipped.provisions:
        assert labels[f"provision:{p.id}"].startswith(p.label[:40])
    assert labels["provision:s24(2)"] == "S24(2) National Security (qualified)"
    assert labels["outcome:ncnd"] == "Neither confirm nor deny"
    assert all(len(label) <= 110 for label in labels.values())


def test_edges_from_questions_say_which_answer_leads_on(example: RuleBase) -> None:
    edges = {(e.source, e.target): e for e in build_graph(example).edges}
    assert edges[("question:covert_tactic", "rule:crime-prejudice-from-covert-tactic")].label == "Yes"
    harm = edges[("question:crime_harm", "rule:crime-prejudice-from-covert-tactic")].label
    assert harm == "Yes: it would or Yes: it would be likely to"
    assert edges[("rule:ncnd-s31-covert-tactic", "provision:s31(3)")].label == "would be likely to"
    assert edges[("provision:s31(3)", "outcome:ncnd")]
    asked = edges[("question:covert_tactic", "question:crime_harm")]
    assert (asked.label, asked.style) == ("asked if Yes", "dashed")
    assert edges[("rule:not-held", "outcome:not_held")]
    assert edges[("rule:official-confirmation-blocks-ncnd", "outcome:confirm")].label == "NCND blocked"


def test_stages_are_clusters(example: RuleBase) -> None:
    graph = build_graph(example)
    assert graph.nodes["question:held"].stage == 2
    assert graph.nodes["rule:not-held"].stage == 2
    assert graph.nodes["provision:s31(3)"].stage == 1
    assert graph.nodes["outcome:ncnd"].stage is None
    dot = to_dot(graph)
    stage2 = dot[dot.index("subgraph cluster_stage2"):]
    assert "q_held [" in stage2[:stage2.index("}")]


def test_provision_keeps_only_what_leads_there(shipped: RuleBase, tmp_path: Path) -> None:
    whole = build_graph(shipped)
    graph = build_graph(shipped, "S24(2)")
    assert "provision:s24(2)" in graph.nodes
    assert set(graph.nodes) < set(whole.nodes)
    assert "provision:s40(2)" not in graph.nodes and "question:held" not in graph.nodes
    assert "rule:ncnd-s24-2-national-security-required" in graph.nodes
    assert "outcome:ncnd" in graph.nodes
    reaches = graph.ancestors("provision:s24(2)")
    assert set(graph.nodes) - reaches == {"outcome:ncnd"}
    check_mermaid(to_mermaid(graph))
    check_dot(to_dot(graph))
    render_dot(to_dot(graph), tmp_path)
    assert build_graph(shipped, "24(2)").nodes == graph.nodes


def test_an_unknown_provision_is_a_usage_error(shipped: RuleBase) -> None:
    with pytest.raises(UnknownProvisionError, match="no provision 's99'"):
        build_graph(shipped, "s99")
    result = runner.invoke(app, ["rules", "graph", "--provision", "s99", "--rules", str(SHIPPED)])
    assert result.exit_code == 2
    assert "known: s14(1)" in result.output


def test_awkward_text_is_escaped(tmp_path: Path) -> None:
    graph = Graph('A "title" \\ with # and <b>')
    graph.add_node(Node("question:q", "question", 'Is it "secret" | #1 <b>? \\ end', 1))
    graph.add_node(Node("rule:end", "rule", "end", 1))
    graph.add_node(Node("rule:a-b", "rule", "a-b", 2))
    graph.add_node(Node("rule:a_b", "rule", "a_b", 2))
    graph.add_edge(Edge("question:q", "rule:end", 'answer "yes" | #'))
    graph.add_edge(Edge("rule:end", "rule:a-b"))
    graph.add_edge(Edge("rule:end", "rule:a_b", style="dashed"))
    nodes, _ = check_mermaid(to_mermaid(graph))
    assert len(nodes) == 4
    dot = to_dot(graph)
    check_dot(dot)
    assert r'label="Is it \"secret\" | #1 <b>? \\ end"' in dot
    render_dot(dot, tmp_path)


def test_the_checkers_reject_broken_text() -> None:
    good = to_mermaid(build_graph_example())
    for broken in (good.replace("flowchart LR", "flowchart"), good.replace("  end\n", "", 1),
                   good + '  q_x("a "quoted" word")\n', good + "  q_covert_tactic --> nowhere\n",
                   good + '  end("x")\n', good + '  q_y("unclosed"\n'):
        with pytest.raises(AssertionError):
            check_mermaid(broken)
    dot = to_dot(build_graph_example())
    for broken in (dot[:-3], dot + "  q_covert_tactic -> nowhere;\n", dot.replace("digraph", "graph x")):
        with pytest.raises(AssertionError):
            check_dot(broken)


def build_graph_example() -> Graph:
    from ncnd_assistant.rulebase.loader import load_rulebase
    return build_graph(load_rulebase(EXAMPLE))


@pytest.mark.parametrize("fmt,start", [("mermaid", "flowchart LR"), ("dot", "digraph rulebase {")])
def test_the_command_prints_or_writes_the_graph(fmt: str, start: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "graph", "--format", fmt, "--rules", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start)
    out = tmp_path / f"g.{fmt}"
    result = runner.invoke(app, ["rules", "graph", "-f", fmt, "--provision", "s31(3)", "--rules", str(EXAMPLE),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(start)
