"""Running the rules: the compiler to durable-rules rulesets (`compiler`), the durable adapter
(`durable`, the only module that imports durable-rules), the plain-Python evaluator (`evaluator`,
the test oracle), the choice between them (`runner`) and question gating (`gating`: which
questions apply to a part, and when a part is settled). It may import only `rulebase`.
"""
