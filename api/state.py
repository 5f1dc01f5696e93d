"""The app's long-lived services in ``app.state``, typed: :func:`install` puts them there once
(``create_app``) and the accessors below are the one way to read them.

Handlers do not call these: they receive the services as dependencies (:mod:`api.deps`).
Guards and middleware, which Litestar gives no dependencies, read them here. The service
types are imported for the type checker only, because the guards' and middleware's own
modules are among what those services import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar.datastructures import State

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from api.client_identity import KnownKeys
    from api.reindex import Reindexer
    from api.response_cache import HeldResponses
    from api.services.answers import AnswerService
    from api.settings import ApiSettings
    from search.query import SearchService


def install(
    state: State,
    *,
    settings: ApiSettings,
    engine: Engine,
    answers: AnswerService,
    held_responses: HeldResponses,
    known_keys: KnownKeys,
    reindex: Reindexer | None,
    search: SearchService | None,
) -> None:
    state.settings = settings
    state.engine = engine
    state.answers = answers
    state.held_responses = held_responses
    state.known_keys = known_keys
    state.reindex = reindex
    state.search = search


def settings_of(state: State) -> ApiSettings:
    settings: ApiSettings = state.settings
    return settings


def engine_of(state: State) -> Engine:
    engine: Engine = state.engine
    return engine


def answers_of(state: State) -> AnswerService:
    answers: AnswerService = state.answers
    return answers


def held_responses_of(state: State) -> HeldResponses:
    held: HeldResponses = state.held_responses
    return held


def known_keys_of(state: State) -> KnownKeys:
    keys: KnownKeys = state.known_keys
    return keys


def reindexer_of(state: State) -> Reindexer | None:
    reindex: Reindexer | None = state.get("reindex")
    return reindex


def search_of(state: State) -> SearchService | None:
    """The search client, opened at start-up (None without Meilisearch, or after shutdown)."""
    search: SearchService | None = state.get("search")
    return search


def set_search(state: State, search: SearchService | None) -> None:
    state.search = search
