"""The rule base as data: located YAML (`yamlsource`), declarative shapes that validate it
(`schema`), the condition language (`conditions`), the frozen model (`model`) and the loader that
turns a folder of rule files into a checked `RuleBase` (`loader`). Everything else reads a rule
base through this package. It imports nothing else of the package except `errors`.
"""
