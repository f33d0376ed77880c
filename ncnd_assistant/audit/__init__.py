"""The decision log and what is built on it: the typed record (`record`, on the exactly reversible
JSON objects of `jsonobject`), a decision record built from an assessment (`decision_record`), the hash-chained JSONL
file (`log`), the chain check (`verify`), reading and querying (`query`), sign-off (`signoff`),
export (`export`), replay under a rule base (`replay`) and precedents (`precedent`). It may import
`rulebase` and `decide`.
"""
