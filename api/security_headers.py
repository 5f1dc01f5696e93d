"""Security headers on every answer: pages, the API, errors and static files.

The pages load their one script and their style sheets from ``/static`` and use no inline
script, style or event handler, so their policy allows only this origin; answers of the API
are data and get a policy that allows nothing. The interactive schema pages
(``/api/v1/schema``, ``/api/v1/schema/swagger``) load their renderer from a CDN with an
inline bootstrap, so they get the headers but no Content-Security-Policy.
"""

from __future__ import annotations

from litestar.types import Message, Scope

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)
_DATA_PATHS = ("/api/", "/health", "/ready")
_SCHEMA_PAGES = ("/api/v1/schema", "/api/v1/schema/swagger", "/api/v1/schema/")


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: the headers above on each response start (a handler's own
    Referrer-Policy, as a watch list's, wins)."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or ())
    present = {name.lower() for name, _ in headers}
    headers.extend(pair for pair in _ALWAYS if pair[0] not in present)
    policy = _policy(scope["path"])
    if policy is not None and b"content-security-policy" not in present:
        headers.append((b"content-security-policy", policy))
    message["headers"] = headers


def _policy(path: str) -> bytes | None:
    if path in _SCHEMA_PAGES:
        return None
    return (DATA_POLICY if path.startswith(_DATA_PATHS) else PAGE_POLICY).encode()
