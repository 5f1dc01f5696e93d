"""Meilisearch connection settings and where its binary is cached."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from catalog.paths import var_dir


@dataclass(frozen=True)
class MeiliConfig:
    """Connection settings for an externally managed Meilisearch server."""

    url: str | None
    master_key: str | None
    search_key: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MeiliConfig:
        """Read MEILI_URL, MEILI_MASTER_KEY and MEILI_SEARCH_KEY; empty values count as unset."""
        env = os.environ if env is None else env
        url = env.get("MEILI_URL") or None
        return cls(
            url=url.rstrip("/") if url else None,
            master_key=env.get("MEILI_MASTER_KEY") or None,
            search_key=env.get("MEILI_SEARCH_KEY") or None,
        )


def bin_dir(var: Path | None = None) -> Path:
    """Cache directory for downloaded binaries: <var>/bin."""
    return (var_dir() if var is None else var) / "bin"
