"""API keys: issued once in clear, stored as SHA-256; roles reader < editor < admin.

Reads are open; writes need a key in ``X-API-Key`` (or ``Authorization: Bearer …``) whose
role is high enough. The key found is kept on ``request.state.api_key`` for the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import Reference, SecurityScheme
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.problems import Problem
from api.state import engine_of
from catalog.models import ApiKey, saved_id
from catalog.vocab import ApiRole

KEY_HEADER = "X-API-Key"
# The OpenAPI security schemes a key may be sent by (either one), and the requirement that
# every guarded operation declares (attached by api.openapi_contract from the guards).
SECURITY_SCHEMES: dict[str, SecurityScheme | Reference] = {
    "apiKey": SecurityScheme(type="apiKey", name=KEY_HEADER, security_scheme_in="header"),
    "bearer": SecurityScheme(type="http", scheme="bearer"),
}
KEY_SECURITY: list[dict[str, list[str]]] = [{"apiKey": []}, {"bearer": []}]
_RANK = {ApiRole.READER: 0, ApiRole.EDITOR: 1, ApiRole.ADMIN: 2}


@dataclass(frozen=True)
class IssuedKey:
    id: int
    name: str
    role: ApiRole
    prefix: str
    key: str  # shown once, never stored


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(session: Session, name: str, role: ApiRole) -> IssuedKey:
    """Create a key; only its hash and first characters are stored."""
    key = "tq_" + secrets.token_urlsafe(32)
    row = ApiKey(name=name, role=role, key_hash=hash_key(key), prefix=key[:10])
    session.add(row)
    session.commit()
    return IssuedKey(id=saved_id(row), name=name, role=role, prefix=row.prefix, key=key)


def presented_key(connection: ASGIConnection) -> str | None:
    """The key sent with the request, if any."""
    key = connection.headers.get(KEY_HEADER)
    if not key:
        authorization = connection.headers.get("Authorization", "")
        if authorization.lower().startswith("bearer "):
            key = authorization[7:]
    return key.strip() if key and key.strip() else None


def find_key(engine: Engine, key: str) -> ApiKey | None:
    with Session(engine) as session:
        row = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()
    return row if row is not None and row.revoked_at is None else None


def requires(role: ApiRole) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard letting through keys of ``role`` or higher."""

    def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        key = presented_key(connection)
        if key is None:
            raise Problem(
                401,
                "API key required",
                f"this operation needs an API key with role {role} or higher in the "
                f"{KEY_HEADER} header",
                headers={"WWW-Authenticate": 'Bearer realm="tieuchuan"'},
            )
        row = find_key(engine_of(connection.app.state), key)
        if row is None:
            raise Problem(401, "Unknown API key", "the API key is unknown or was revoked")
        if _RANK[ApiRole(row.role)] < _RANK[role]:
            raise Problem(
                403,
                "Insufficient role",
                f"the key {row.prefix}… has role {row.role}; this operation needs {role}",
            )
        connection.state.api_key = row

    return guard
