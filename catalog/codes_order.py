"""Orders and prefixes of codes: document codes sorted as people read them, and the HS and
ICS codes that enclose a product's own."""

from __future__ import annotations

import re
from functools import lru_cache

from catalog.text import fold

_RUNS = re.compile(r"\d+|\D+")


@lru_cache(maxsize=1 << 16)
def natural_key(code: str) -> tuple:
    """Sort key comparing digit runs as numbers: TCVN 1873 before TCVN 11892."""
    folded = code.lower() if code.isascii() else fold(code)  # fold is lower() for ASCII
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in _RUNS.findall(folded)
    )


def hs_prefixes(code: str) -> list[str]:
    """HS prefixes a rule may name for this product code: ``080510`` → 08, 0805, 08051, 080510."""
    digits = re.sub(r"\D", "", code)
    return [digits[:n] for n in range(2, len(digits) + 1)]


def ics_prefixes(code: str) -> list[str]:
    """ICS fields enclosing this one: ``67.080.10`` → 67, 67.080, 67.080.10."""
    parts = code.strip().split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
