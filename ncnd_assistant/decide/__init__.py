"""From answers to an explained recommendation: answers files and requests (`answers`), the two
stages of the decision (`decision`), why and why not (`explain`), `assess` (the one path from a
rule base and answers to an assessment), checks across a request's parts (`request_wide`) and
the documented JSON form (`serialize`). It may import `rulebase` and `engine`.
"""
