"""Watch lists over the store: made, found by token, described with their links, their
changes as JSON or Atom, their webhooks and the delivery log. Links are built on the
configured public URL: a forged Host header must not reach feeds and links."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from api.problems import Problem
from api.reports.atom import atom_feed
from api.services.audit import Audit
from api.watchlists.schemas import (
    DeliveryRecord,
    WatchListCreate,
    WatchListResponse,
    WebhookCreate,
    WebhookResponse,
)
from api.webhooks.addresses import AddressPolicy
from api.webhooks.registration import add_webhook
from catalog import clock
from catalog.models import WatchList, Webhook, WebhookDelivery, saved_id
from catalog.reports.changes import Change
from catalog.reports.watch import (
    WatchListError,
    create_watch_list,
    describe,
    find_watch_list,
    watched_changes,
)
from catalog.webhooks import SIGNATURE_HEADER, WebhookError, public_error

DELIVERIES_SHOWN = 500


class WatchListService:
    def __init__(self, session: Session, public_url: str, addresses: AddressPolicy) -> None:
        self.session = session
        self.public_url = public_url
        self.addresses = addresses

    def find(self, token: str) -> WatchList:
        """The list with ``token``, or a 404 problem."""
        watch = find_watch_list(self.session, token)
        if watch is None:
            raise Problem(404, "Unknown watch list", f"no watch list has the token {token!r}")
        return watch

    def create(self, data: WatchListCreate, audit: Audit) -> WatchListResponse:
        try:
            watch = create_watch_list(
                self.session,
                data.name,
                owner=data.owner,
                products=data.products,
                categories=data.categories,
                markets=data.markets,
            )
        except WatchListError as exc:
            raise Problem(400, "Invalid watch list", str(exc)) from exc
        audit.record("create", "watch_list", watch.id, None, data)
        self.session.commit()
        return self.view(watch)

    def view(self, watch: WatchList) -> WatchListResponse:
        view = describe(self.session, watch)
        base = self._url(view.token)
        return WatchListResponse(
            token=view.token,
            name=view.name,
            owner=view.owner,
            created_at=clock.local(view.created_at),
            products=list(view.products),
            categories=list(view.categories),
            markets=list(view.markets),
            covered=list(view.covered),
            feed_url=f"{base}/changes",
            atom_url=f"{base}/changes.atom",
        )

    def changes(self, watch: WatchList, since: datetime, limit: int) -> list[Change]:
        return watched_changes(self.session, watch, since, limit=limit)

    def atom(self, watch: WatchList, since: datetime, limit: int) -> bytes:
        return atom_feed(
            self.changes(watch, since, limit),
            feed_id=f"watchlist:{watch.token}",
            title=f"Thay đổi theo dõi: {watch.name}",
            self_url=f"{self._url(watch.token)}/changes.atom",
            base_url=self.public_url,
            generated_at=watch.created_at,
        )

    def add_webhook(self, watch: WatchList, data: WebhookCreate, audit: Audit) -> WebhookResponse:
        try:
            hook = add_webhook(self.session, watch, data.url, data.secret, self.addresses)
        except WebhookError as exc:
            raise Problem(400, "Invalid webhook", str(exc)) from exc
        audit.record("create", "webhook", hook.id, None, {"url": hook.url, "watch": watch.id})
        self.session.commit()
        return WebhookResponse(
            id=saved_id(hook),
            url=hook.url,
            secret=hook.secret,
            signature_header=SIGNATURE_HEADER,
            active=hook.active,
        )

    def deliveries(self, watch: WatchList) -> list[DeliveryRecord]:
        """The delivery log of the list's webhooks, newest first."""
        rows = self.session.exec(
            select(WebhookDelivery)
            .join(Webhook, col(Webhook.id) == WebhookDelivery.webhook_id)
            .where(Webhook.watch_list_id == watch.id)
            .order_by(col(WebhookDelivery.id).desc())
            .limit(DELIVERIES_SHOWN)
        ).all()
        return [
            DeliveryRecord(
                delivery_id=r.delivery_id,
                attempt=r.attempt,
                at=r.at,
                entries=r.entries,
                status_code=r.status_code,
                succeeded=r.succeeded,
                error=public_error(r.status_code, r.error),
                duration_ms=r.duration_ms,
            )
            for r in rows
        ]

    def _url(self, token: str) -> str:
        return f"{self.public_url}/api/v1/watchlists/{token}"
