"""Everything that checks a rule base rather than a request: scenarios kept beside the rules
(`scenarios`, the one runner and pass rule), coverage (`coverage`), the linter (`lint`; its checks
in `lint_*`, its search over gating's own walk in `reachability`, `search` and `stage_conditions`),
the combined problem report of `rules check` (`report`), the evaluation set of real decisions
(`evaluation`), the impact of a rule change (`impact`) and the JSON Schema for editors
(`json_schema`). It may import every layer below the renderers.
"""
