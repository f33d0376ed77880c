"""The case store: where decision-log records live, behind one interface (`base.Store`) with three
backends chosen by one URL: `sqlite:///FILE` (the default, a file in the user's data directory),
`postgresql://...` (a team database, through SQLAlchemy 2 and psycopg 3) and `jsonl:///FILE`
(today's hash-chained JSON Lines log). `open_store` picks one (`--audit`, `--store`, $NCND_AUDIT,
$NCND_STORE, the settings file, the default). It may import `rulebase`, `decide`, `settings` and
the base layer of `audit` (`record`, `jsonobject`, `log`); the rest of `audit` is built on it.
"""

from ncnd_assistant.store.base import Anchor, Store, StoredLine
from ncnd_assistant.store.locate import as_store, open_store, store_url

__all__ = ["Anchor", "Store", "StoredLine", "as_store", "open_store", "store_url"]
