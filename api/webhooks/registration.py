"""Registering a webhook: its URL must pass the address policy, its host resolved."""

from __future__ import annotations

from sqlmodel import Session

from api.webhooks.addresses import AddressPolicy, UrlRefused
from catalog.models import WatchList, Webhook
from catalog.webhooks import WebhookError, new_webhook


def add_webhook(
    session: Session,
    watch_list: WatchList,
    url: str,
    secret: str | None = None,
    addresses: AddressPolicy | None = None,
) -> Webhook:
    """Register ``url`` for the list's changes; a secret is generated when none is given.

    The URL must pass ``addresses`` (default: from the environment), its host resolved."""
    addresses = addresses or AddressPolicy.from_env()
    try:
        target = addresses.target(url)
    except UrlRefused as exc:
        raise WebhookError(str(exc)) from exc
    hook = new_webhook(watch_list, str(target.url), secret)
    session.add(hook)
    session.flush()
    return hook
