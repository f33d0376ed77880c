"""Mutation fuzzing of rule files, answers files and sessions (issue 13, item 9).

`mutate` turns a seed text into a hostile one (text-level and tree-level mutations), `targets`
feeds a mutant to the real entry points in-process, `runner` runs a seeded campaign and sorts every
outcome into accepted, clear error or internal error. `tests/test_fuzz.py` runs a bounded campaign;
`benchmarks/fuzz.py` a long one.
"""
