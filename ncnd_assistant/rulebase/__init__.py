"""The rule base as data: located YAML (`yamlsource`), declarative shapes that validate it
(`schema`, with the condition language's shape in `condition_schema` and the wording of hints in
`hints`), the shape of each rule file (`shapes`), the condition language (`conditions`), the frozen
model (`model`) and the loader that turns a folder of rule files into a checked `RuleBase`
(`loader`, which builds the model in `build`, checks it across files in `references` and keeps the
result in the on-disk `cache`); and its
one vocabulary: the words for each term (`wording`), how answers, conditions and conclusions read
(`phrasing`), and the letter's default wording (`notice_text`). Everything else reads a rule base
through this package. It imports nothing else of the package except `errors` and `paths`.
"""
