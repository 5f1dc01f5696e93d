"""The web interface: server-rendered pages in Vietnamese (with an English switch) served by
the same Litestar app as the API, at ``/``.

Register :data:`web_router` in the app's route handlers. The pages take a database session
(``db_session``) and the app's :class:`search.query.SearchService` (``search``) from the
app's dependencies.
"""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from api.web.controllers import WebController
from api.web.errors import EXCEPTION_HANDLERS
from api.web.my_product import MyProductPage
from api.web.plan_pages import PlanPages
from api.web.reports import ReportPages
from api.web.templating import STATIC

static_router = create_static_files_router(
    path="/static",
    directories=[STATIC],
    name="web:static",
    cache_control=CacheControlHeader(max_age=3600, public=True),
    include_in_schema=False,
)

web_router = Router(
    path="/",
    route_handlers=[WebController, MyProductPage, ReportPages, PlanPages, static_router],
    exception_handlers=EXCEPTION_HANDLERS,
    include_in_schema=False,
)

__all__ = ["web_router"]
