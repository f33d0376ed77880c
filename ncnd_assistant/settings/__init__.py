"""The authority's and the officer's settings: one YAML file per user (or the one `NCND_SETTINGS`
names) with the particulars letters need, the officer's name and the case store. The rule base
keeps the law's wording; settings never change its digest."""
