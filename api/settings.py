"""What the API server is configured with: the database, Meilisearch, CORS, limits, caching."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from api.client_identity import Network, trusted_networks
from api.webhooks.addresses import AddressPolicy
from catalog.store import PoolLimits, database_url

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"  # where `make run` / `tieuchuan serve` answer


def public_base_url(text: str) -> str:
    """``text`` as a base URL for links: http(s), a host, maybe a path; no query or fragment."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(
            f"TIEUCHUAN_PUBLIC_URL: {text!r} is not an http(s) base URL such as "
            "https://tieuchuan.tuyenquang.gov.vn"
        )
    return text.strip().rstrip("/")


# Connections beyond the handler threads: the catalog graph's loader and the re-indexer.
_BACKGROUND_CONNECTIONS = 4


@dataclass(frozen=True)
class ApiSettings:
    """Settings read from the environment by :meth:`from_env`; tests build them directly."""

    database_url: str = field(default_factory=database_url)
    meili_url: str | None = None
    meili_search_key: str | None = None
    meili_master_key: str | None = None  # only to re-index after writes; never used to search
    index_prefix: str = ""
    cors_origins: tuple[str, ...] = ()
    # Where the public reaches this service: the base of absolute links in feeds and watch
    # lists (never taken from the request's Host header, which the client chooses).
    public_url: str = DEFAULT_PUBLIC_URL
    rate_limit_per_minute: int | None = 600  # per valid API key, else per client address; None: off
    # Proxies whose X-Forwarded-For names the client (addresses or CIDR blocks); none: the peer.
    trusted_proxies: tuple[Network, ...] = ()
    # Where the rate-limit counters live: Redis, shared by every process and replica, when
    # set; otherwise each process counts on its own.
    redis_url: str | None = None
    redis_namespace: str = "tieuchuan"
    cache_max_age: int = 60  # Cache-Control max-age of GET responses, seconds
    # How often the in-memory catalog graph checks for writes made outside the API, seconds.
    catalog_check_seconds: float = 2.0
    # Applicability answers held as JSON (1–9 KB each, as measured); 0: compute every answer.
    answers_held: int = 100_000
    # Threads running the synchronous (database) handlers; the pool holds one connection per
    # thread plus a few for the background loaders, so a handler never waits for a connection.
    threads: int = 16
    # Megabytes of finished public responses held for the catalog version (0: none).
    responses_held_mb: int = 64
    # Seconds a request's statement waits for a lock held by another writer (an ingest run,
    # say) before it answers 503 with Retry-After; a statement's total limit on PostgreSQL.
    lock_timeout: float = 5.0
    statement_timeout: float = 30.0
    # The gap report lists rules and document statuses not confirmed for more than this.
    unconfirmed_months: int = 12
    # Where webhooks may point: public addresses on ports 80 and 443 unless widened.
    webhook_addresses: AddressPolicy = field(default_factory=AddressPolicy)

    def pool_limits(self) -> PoolLimits:
        """The request engine's limits: a connection per handler thread, failing fast."""
        return PoolLimits(
            size=self.threads + _BACKGROUND_CONNECTIONS,
            overflow=0,
            checkout_timeout=self.lock_timeout,
            lock_timeout=self.lock_timeout,
            statement_timeout=self.statement_timeout,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> ApiSettings:
        """DATABASE_URL, MEILI_URL, MEILI_SEARCH_KEY, MEILI_MASTER_KEY, MEILI_INDEX_PREFIX,
        TIEUCHUAN_CORS_ORIGINS (comma-separated), TIEUCHUAN_PUBLIC_URL (the base of links),
        TIEUCHUAN_RATE_LIMIT (requests per minute, 0 = off), TIEUCHUAN_TRUSTED_PROXIES
        (comma-separated addresses or CIDR blocks), REDIS_URL and TIEUCHUAN_REDIS_NAMESPACE
        (shared rate-limit counters), TIEUCHUAN_CACHE_MAX_AGE (seconds),
        TIEUCHUAN_CATALOG_CHECK (seconds between checks for catalog changes made by other
        processes), TIEUCHUAN_ANSWERS_HELD (answers held as JSON, 0 = none), TIEUCHUAN_THREADS
        (handler threads), TIEUCHUAN_RESPONSES_HELD_MB, TIEUCHUAN_LOCK_TIMEOUT and
        TIEUCHUAN_STATEMENT_TIMEOUT (seconds), TIEUCHUAN_UNCONFIRMED_MONTHS (the gap report's
        freshness limit), TIEUCHUAN_WEBHOOK_ALLOW_NETWORKS and
        TIEUCHUAN_WEBHOOK_ALLOW_PORTS (see :mod:`api.webhooks.addresses`)."""
        env = os.environ if env is None else env
        rate = int(env.get("TIEUCHUAN_RATE_LIMIT") or 600)
        values: dict[str, Any] = dict(
            meili_url=(env.get("MEILI_URL") or "").rstrip("/") or None,
            meili_search_key=env.get("MEILI_SEARCH_KEY") or None,
            meili_master_key=env.get("MEILI_MASTER_KEY") or None,
            index_prefix=env.get("MEILI_INDEX_PREFIX") or "",
            cors_origins=tuple(
                o.strip() for o in (env.get("TIEUCHUAN_CORS_ORIGINS") or "").split(",") if o.strip()
            ),
            rate_limit_per_minute=rate or None,
            public_url=public_base_url(env.get("TIEUCHUAN_PUBLIC_URL") or DEFAULT_PUBLIC_URL),
            trusted_proxies=trusted_networks(env.get("TIEUCHUAN_TRUSTED_PROXIES") or ""),
            redis_url=env.get("REDIS_URL") or None,
            redis_namespace=env.get("TIEUCHUAN_REDIS_NAMESPACE") or "tieuchuan",
            cache_max_age=int(env.get("TIEUCHUAN_CACHE_MAX_AGE") or 60),
            catalog_check_seconds=float(env.get("TIEUCHUAN_CATALOG_CHECK") or 2.0),
            answers_held=int(env.get("TIEUCHUAN_ANSWERS_HELD") or 100_000),
            threads=max(1, int(env.get("TIEUCHUAN_THREADS") or 16)),
            responses_held_mb=int(env.get("TIEUCHUAN_RESPONSES_HELD_MB") or 64),
            lock_timeout=float(env.get("TIEUCHUAN_LOCK_TIMEOUT") or 5.0),
            statement_timeout=float(env.get("TIEUCHUAN_STATEMENT_TIMEOUT") or 30.0),
            webhook_addresses=AddressPolicy.from_env(env),
            unconfirmed_months=max(1, int(env.get("TIEUCHUAN_UNCONFIRMED_MONTHS") or 12)),
        )
        values.update(overrides)
        return cls(**values)
