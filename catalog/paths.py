"""Where the project keeps its local state (databases, the Meilisearch binary and data)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """``$TIEUCHUAN_VAR`` or ``<repo>/var``; created on first use."""
    path = Path(os.environ.get("TIEUCHUAN_VAR") or REPO_ROOT / "var").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
