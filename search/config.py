"""Meilisearch connection settings and where its binary is cached."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from catalog.paths import var_dir as var_dir  # search.config.var_dir is public


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


@dataclass(frozen=True)
class IndexingLimits:
    """How much memory and how many threads the Meilisearch we start may use for indexing.

    Meilisearch's own defaults take two thirds of the machine's memory and every core; on a
    small server shared with PostgreSQL and the API that is far too much. ``None`` leaves
    Meilisearch's default in place.
    """

    memory: str | None = "256 MiB"
    threads: int | None = 1

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> IndexingLimits:
        """TIEUCHUAN_MEILI_INDEXING_MEMORY (e.g. ``512 MiB``, ``1 GiB``; ``0`` for Meilisearch's
        default) and TIEUCHUAN_MEILI_INDEXING_THREADS (``0`` for every core)."""
        env = os.environ if env is None else env
        memory = (env.get("TIEUCHUAN_MEILI_INDEXING_MEMORY") or "").strip() or cls.memory
        threads_text = (env.get("TIEUCHUAN_MEILI_INDEXING_THREADS") or "").strip()
        try:
            threads = int(threads_text) if threads_text else cls.threads
        except ValueError:
            raise ValueError(
                f"TIEUCHUAN_MEILI_INDEXING_THREADS={threads_text!r} is not a whole number"
            ) from None
        if threads is not None and threads < 0:
            raise ValueError(f"TIEUCHUAN_MEILI_INDEXING_THREADS={threads} is negative")
        return cls(memory=None if memory == "0" else memory, threads=threads or None)

    def flags(self) -> list[str]:
        """The meilisearch command-line flags for these limits."""
        flags = []
        if self.memory:
            flags += ["--max-indexing-memory", self.memory]
        if self.threads:
            flags += ["--max-indexing-threads", str(self.threads)]
        return flags


def bin_dir(var: Path | None = None) -> Path:
    """Cache directory for downloaded binaries: <var>/bin."""
    return (var_dir() if var is None else var) / "bin"
