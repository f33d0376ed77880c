"""The interview without input or output: the question flow for one part (`flow`) and the saved
session that lets an officer stop and resume (`session`). The terminal screens that drive it live
in `cli`. It may import `rulebase`, `decide`, `audit` and `letter`.
"""
