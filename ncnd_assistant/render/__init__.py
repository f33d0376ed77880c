"""Renderings for people: Rich renderables for the terminal (`text`), Markdown (`markdown`), the
rule book for legal review (`rulebook`, its sections and cross-references in `rulebook_sections`
and `rulebook_index`) and the rule base as a graph (`graph`, drawn by `graph_draw`). The words
come from `rulebase.wording` and `rulebase.phrasing`. Renderers build text or renderables and
never print; the CLI prints. It may import every layer but `interview` and `cli`.
"""
