"""What running one stage of the rules produced, whichever engine ran them."""

from __future__ import annotations

from ncnd_assistant.lazy_dataclass import dataclass


@dataclass(frozen=True)
class StageResult:
    """What one stage produced for one case."""

    fired: tuple[str, ...]
    derived: dict[str, bool]
