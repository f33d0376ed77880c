"""Running the rules: the compiler to durable-rules rulesets (`compiler`), the durable adapter
(`durable`, the only module that imports durable-rules), the plain-Python evaluator (`evaluator`,
the test oracle), what a stage's run produced (`result`), the choice between them (`runner`) and
question gating (`gating`: which questions apply to a part, when a part is settled, and the
walker the linter shares). It may import only `rulebase`.
"""
