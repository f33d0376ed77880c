"""Renderings for people: Rich renderables for the terminal (`text`), Markdown (`markdown`), the
rule book for legal review (`rulebook`) and the rule base as a graph (`graph`). Renderers build
text or renderables and never print; the CLI prints. It may import every layer but `interview`
and `cli`.
"""
