"""HTTP endpoints of watch lists: made by any key holder, read by their token (the token is
the capability, so every answer is private), with feeds, webhooks and the delivery log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.params import JSONBody, Parameter

from api.auth import requires
from api.deps import AuditLog, WatchLists
from api.params import Limit, Since, since_asked
from api.problems import problem_responses
from api.reports.atom import ATOM_MEDIA_TYPE
from api.reports.schemas import ChangesResponse
from api.watchlists.schemas import (
    DeliveryRecord,
    WatchListCreate,
    WatchListResponse,
    WebhookCreate,
    WebhookResponse,
)
from catalog.vocab import ApiRole

Token = Annotated[str, Parameter(min_length=8, max_length=64, description="The watch list token")]


class WatchListController(Controller):
    path = "/watchlists"
    tags = ("watch lists",)
    # The token in the URL is the capability to read the list: its answers are private.
    opt: Mapping[str, Any] | None = {"private": True}

    @post(
        "/",
        summary="Save a watch list of products, categories and export markets (any API key)",
        guards=[requires(ApiRole.READER)],
        sync_to_thread=True,
        responses=problem_responses(400, 401),
    )
    def create(
        self, watch_lists: WatchLists, audit: AuditLog, data: JSONBody[WatchListCreate]
    ) -> WatchListResponse:
        return watch_lists.create(data, audit)

    @get(
        "/{token:str}",
        summary="A watch list",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def read(self, watch_lists: WatchLists, token: Token) -> WatchListResponse:
        return watch_lists.view(watch_lists.find(token))

    @get(
        "/{token:str}/changes",
        summary="Changes touching the list's products",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def watch_changes(
        self, watch_lists: WatchLists, token: Token, since: Since = None, limit: Limit = 200
    ) -> ChangesResponse:
        start = since_asked(since)
        entries = watch_lists.changes(watch_lists.find(token), start, limit)
        return ChangesResponse(since=start, count=len(entries), changes=entries)

    @get(
        "/{token:str}/changes.atom",
        summary="Changes touching the list's products, as Atom",
        media_type=ATOM_MEDIA_TYPE,
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def watch_atom(
        self, watch_lists: WatchLists, token: Token, since: Since = None, limit: Limit = 200
    ) -> Response[bytes]:
        body = watch_lists.atom(watch_lists.find(token), since_asked(since), limit)
        return Response(body, media_type=ATOM_MEDIA_TYPE)

    @post(
        "/{token:str}/webhooks",
        summary="POST the list's changes to a URL, signed with HMAC-SHA256 (any API key)",
        guards=[requires(ApiRole.READER)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 404),
    )
    def add_hook(
        self,
        watch_lists: WatchLists,
        audit: AuditLog,
        token: Token,
        data: JSONBody[WebhookCreate],
    ) -> WebhookResponse:
        return watch_lists.add_webhook(watch_lists.find(token), data, audit)

    @get(
        "/{token:str}/deliveries",
        summary="The delivery log of the list's webhooks, newest first",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def deliveries(self, watch_lists: WatchLists, token: Token) -> list[DeliveryRecord]:
        return watch_lists.deliveries(watch_lists.find(token))
