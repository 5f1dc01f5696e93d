"""The Litestar application: ``create_app()`` wires settings, database, search and routes.

Everything lives under ``/api/v1`` except ``/health`` and ``/ready``. The OpenAPI 3.1 schema
is at ``/api/v1/schema/openapi.json`` with interactive docs at ``/api/v1/schema`` (Scalar) and
``/api/v1/schema/swagger``.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import anyio
from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components
from litestar.stores.base import Store
from sqlalchemy import Engine

from api.allow_header import point_options_at_their_routes
from api.auth import KEY_HEADER, SECURITY_SCHEMES
from api.caching import HttpCachingMiddleware
from api.client_identity import KnownKeys, client_identity
from api.controllers.admin import AdminController, RuleController
from api.controllers.any_product import AnyProductController
from api.controllers.applicable import applicable_by_text
from api.controllers.documents import DocumentController, DraftController
from api.controllers.gtin import get_gtin
from api.controllers.opendata import export_table
from api.controllers.products import ProductController
from api.controllers.reference import categories, issuers
from api.controllers.reviews import ReviewController
from api.controllers.search import search as search_handler
from api.controllers.system import health, ready
from api.declarations.controllers import DeclarationController
from api.deps import DEPENDENCIES
from api.openapi_contract import refine_schema
from api.plan.controllers import RECORD_WRITERS, PlanController
from api.plan.report import PlanReportController
from api.problems import problem_handlers
from api.reindex import Reindexer
from api.reports.controllers import ChangeController, ReportController
from api.request_body import ApiRequest
from api.response_cache import HeldResponses, ResponseCacheMiddleware
from api.security_headers import add_security_headers
from api.services.answers import AnswerService
from api.settings import ApiSettings
from api.state import install, known_keys_of, search_of, set_search
from api.watchlists.controllers import WatchListController
from api.web import web_router
from api.web.errors import not_found as web_not_found
from api.worker.controllers import run_log
from catalog import clock
from catalog.store import make_engine
from search.query import SearchService

API_PREFIX = "/api/v1"
_NO_STORE = ("/health", "/ready")


def rate_limit_stores(settings: ApiSettings) -> dict[str, Store]:
    """The rate limit's counters in Redis when ``REDIS_URL`` is set, so every process and
    replica counts together; otherwise Litestar's default, a memory store per process."""
    if not settings.redis_url:
        return {}
    from litestar.stores.redis import RedisStore

    namespace = f"{settings.redis_namespace}:rate_limit"
    return {"rate_limit": RedisStore.with_client(settings.redis_url, namespace=namespace)}


def create_app(
    settings: ApiSettings | None = None,
    *,
    engine: Engine | None = None,
    search: SearchService | None = None,
) -> Litestar:
    """The application for ``settings`` (default: from the environment).

    ``engine`` and ``search`` may be given (tests, benchmarks); otherwise they are made from
    the settings, and search is off when no Meilisearch URL is configured.
    """
    settings = settings or ApiSettings.from_env()
    clock.zone()  # a TIEUCHUAN_TZ that names no zone stops the app here, not on its first answer
    engine = engine or make_engine(settings.database_url, settings.pool_limits())
    reindex = (
        Reindexer(engine, settings.meili_url, settings.meili_master_key, settings.index_prefix)
        if settings.meili_url and settings.meili_master_key
        else None
    )

    owns_search = search is None and settings.meili_url is not None

    def size_thread_pool(_app: Litestar) -> None:
        """The synchronous handlers' threads: as many as the pool has connections for them."""
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="handler")
        )

    async def read_known_keys(app: Litestar) -> None:
        if settings.rate_limit_per_minute:
            await anyio.to_thread.run_sync(known_keys_of(app.state).load)

    def open_search(app: Litestar) -> None:
        """A search client per run of the app (it holds a connection pool)."""
        if owns_search and settings.meili_url is not None:
            set_search(
                app.state,
                SearchService(settings.meili_url, settings.meili_search_key, settings.index_prefix),
            )

    async def close_search(app: Litestar) -> None:
        opened = search_of(app.state)
        if owns_search and opened is not None:
            await opened.aclose()
            set_search(app.state, None)

    api = Router(
        path=API_PREFIX,
        route_handlers=[
            ProductController,
            applicable_by_text,
            AnyProductController,
            get_gtin,
            DocumentController,
            DraftController,
            RuleController,
            ReviewController,
            AdminController,
            search_handler,
            categories,
            issuers,
            ReportController,
            ChangeController,
            WatchListController,
            DeclarationController,
            PlanController,
            *RECORD_WRITERS,
            PlanReportController,
            run_log,
            export_table,
        ],
    )
    held_responses = HeldResponses(settings.responses_held_mb * 2**20)
    middleware = [
        DefineMiddleware(HttpCachingMiddleware, max_age=settings.cache_max_age, no_store=_NO_STORE)
    ]
    if held_responses.max_bytes:
        middleware.append(DefineMiddleware(ResponseCacheMiddleware, held=held_responses))
    if settings.rate_limit_per_minute:
        middleware.insert(
            0,
            RateLimitConfig(
                rate_limit=("minute", settings.rate_limit_per_minute),
                identifier_for_request=client_identity,
                exclude=["/health", "/ready", f"{API_PREFIX}/schema"],
            ).middleware,
        )
    app = Litestar(
        route_handlers=[health, ready, api, web_router],
        stores=rate_limit_stores(settings),
        dependencies=DEPENDENCIES,
        request_class=ApiRequest,
        before_send=[add_security_headers],
        exception_handlers=problem_handlers(not_found_page=web_not_found),
        middleware=middleware,
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=500, gzip_compress_level=6
        ),
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[KEY_HEADER, "Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
        )
        if settings.cors_origins
        else None,
        openapi_config=OpenAPIConfig(
            title="tieuchuan API",
            version="1.0.0",
            description=(
                "Vietnamese standards (TCVN), technical regulations (QCVN, QCĐP) and legal "
                "instruments, and which of them apply to Tuyên Quang's products, why, and as of "
                "when. Errors are application/problem+json (RFC 9457). Writes need an API key "
                f"in the {KEY_HEADER} header (or as a Bearer token)."
            ),
            path=f"{API_PREFIX}/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin()],
            components=Components(security_schemes=SECURITY_SCHEMES),
        ),
        on_startup=[size_thread_pool, refine_schema, read_known_keys, open_search],
        on_shutdown=[close_search],
        debug=False,
    )
    point_options_at_their_routes(app)
    install(
        app.state,
        settings=settings,
        engine=engine,
        answers=AnswerService(
            engine,
            check_every=settings.catalog_check_seconds,
            held_bytes=settings.answers_held_mb * 2**20,
        ),
        held_responses=held_responses,
        known_keys=KnownKeys(engine),
        reindex=reindex,
        search=search,
    )
    return app
