"""The draft response to the requester: the s17 notice in the layout authorities use, worded by
the rule base (`notice`), and the s10 time limit in working days (`workdays`). It may import
`rulebase`, `decide` and `audit` (`from_records` rebuilds a notice from logged decisions).
"""
