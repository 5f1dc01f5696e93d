"""Who a rate limit counts: a valid API key, else the client's address.

A key earns its own bucket only when it is one the catalog issued and has not revoked: a
made-up ``X-API-Key`` or ``Bearer`` value per request would otherwise get a fresh bucket
each time. The valid keys' hashes are held in memory and re-read in a worker thread every
:data:`REFRESH_SECONDS` (the event loop never waits on the database for this); a key issued
or revoked meanwhile is counted by address until then, and requests it makes are still
checked against the database by the guards (:mod:`api.auth`).

``X-Forwarded-For`` names the client only when the connection comes from a configured
trusted proxy; otherwise anyone could name a fresh address per request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Iterable

from litestar.connection import ASGIConnection
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.auth import hash_key, presented_key
from api.state import known_keys_of, settings_of
from catalog.models import ApiKey

log = logging.getLogger(__name__)

REFRESH_SECONDS = 10.0
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class KnownKeys:
    """The hashes of the keys that are issued and not revoked, re-read every so often."""

    def __init__(self, engine: Engine, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.engine = engine
        self.refresh_seconds = refresh_seconds
        self.hashes: frozenset[str] = frozenset()
        self.read_at = float("-inf")
        self._reading: asyncio.Future | None = None

    def load(self) -> None:
        """Read the valid keys now (in the calling thread)."""
        with Session(self.engine) as session:
            rows = session.exec(select(ApiKey.key_hash).where(col(ApiKey.revoked_at).is_(None)))
            self.hashes = frozenset(rows)
        self.read_at = time.monotonic()

    def is_valid(self, key_hash: str) -> bool:
        """Whether ``key_hash`` was valid when last read; starts a re-read when that is old."""
        if time.monotonic() - self.read_at > self.refresh_seconds:
            self._refresh_in_background()
        return key_hash in self.hashes

    def _refresh_in_background(self) -> None:
        if self._reading is None or self._reading.done():
            self._reading = asyncio.get_running_loop().run_in_executor(None, self.load)
            self._reading.add_done_callback(_log_failure)


def trusted_networks(text: str) -> tuple[Network, ...]:
    """The networks named in a comma-separated list of addresses and CIDR blocks."""
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(
                    f"TIEUCHUAN_TRUSTED_PROXIES: {item!r} is not an address or CIDR block"
                ) from None
    return tuple(networks)


def client_address(connection: ASGIConnection, trusted: Iterable[Network]) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the nearest
    address in ``X-Forwarded-For`` that is not itself a trusted proxy."""
    peer = connection.client.host if connection.client else "unknown"
    trusted = tuple(trusted)
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = ",".join(connection.headers.getall("X-Forwarded-For", []))
    nearest = peer
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if _address(hop) is None:
            break  # not an address: what lies before it cannot be trusted either
        nearest = hop
        if not _is_trusted(hop, trusted):
            break
    return nearest


def client_identity(connection: ASGIConnection) -> str:
    """The rate limit's bucket: ``key:`` and a valid key's hash prefix, else ``addr:`` and the
    client's address."""
    state = connection.app.state
    key = presented_key(connection)
    if key:
        key_hash = hash_key(key)
        if known_keys_of(state).is_valid(key_hash):
            return "key:" + key_hash[:16]
    return "addr:" + client_address(connection, settings_of(state).trusted_proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(text: str, trusted: tuple[Network, ...]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in trusted)


def _log_failure(future: asyncio.Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("reading the valid API keys failed", exc_info=future.exception())
