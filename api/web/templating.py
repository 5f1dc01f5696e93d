"""Rendering pages: one Jinja2 environment (through Litestar's Jinja engine) and a helper that
turns a template and its context into an HTML response in the request's language."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from litestar.enums import MediaType
from litestar.plugins.jinja import JinjaTemplateEngine

from api.web.i18n import COOKIE, Labels, Lang, request_lang
from api.web.wording import describe_reason, entry_notes
from catalog import clock
from catalog.codes import DocType
from catalog.facts import FACTS
from catalog.facts_text import verdict_words
from catalog.plan.wording import en_number, vi_number
from catalog.vocab import Equivalence, ProductKind, ReviewState, ReviewSubject, Status

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def format_date(value: date | None, lang: Lang) -> str:
    """Dates as people write them: 01/01/2024 in Vietnamese, 2024-01-01 in English."""
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == Lang.VI else value.isoformat()


def format_moment(value: datetime, lang: Lang) -> str:
    """Times in the configured zone with its offset: 02/12/2026 03:50 (UTC+07:00) in
    Vietnamese, 2026-12-02 03:50 (UTC+07:00) in English."""
    at = clock.local(value)
    shown = at.strftime("%d/%m/%Y %H:%M") if lang == Lang.VI else at.strftime("%Y-%m-%d %H:%M")
    return f"{shown} ({clock.offset_label(at)})"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["status"] = Status
    env.filters["product_kind"] = ProductKind
    env.filters["doc_type"] = DocType
    env.filters["equivalence"] = Equivalence
    env.globals["describe_reason"] = describe_reason
    env.globals["entry_notes"] = entry_notes
    env.globals["local"] = clock.local
    env.globals["review_states"] = tuple(ReviewState)
    env.globals["review_subjects"] = tuple(ReviewSubject)
    env.globals["fact_specs"] = FACTS
    env.globals["verdict_words"] = verdict_words
    return env


ENGINE = JinjaTemplateEngine(engine_instance=_environment())


def url_with(
    request: Request[Any, Any, Any], path: str | None = None, **changes: str | None
) -> str:
    """The current address (or ``path``) with the current query, some parameters changed
    (``None`` removes one)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    query = urlencode(params)
    return (path or request.url.path) + (f"?{query}" if query else "")


def render(
    request: Request[Any, Any, Any],
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response[str]:
    """Render ``template`` in the request's language; ``?lang=`` also sets the cookie."""
    lang = request_lang(request)
    other = Lang.EN if lang == Lang.VI else Lang.VI
    html = ENGINE.get_template(template).render(
        lang=lang.value,
        t=Labels(lang),
        d=lambda value: format_date(value, lang),
        at=lambda value: format_moment(value, lang),
        number=vi_number if lang == Lang.VI else en_number,
        switch_url=url_with(request, lang=other.value),
        other_lang=other.value,
        path=request.url.path,
        **context,
    )
    # Pages depend on the language cookie: never shared by caches, revalidated often.
    cache = "private, max-age=60" if status_code == 200 else "no-store"
    response = Response(
        html,
        media_type=MediaType.HTML,
        status_code=status_code,
        headers={"Cache-Control": cache, "Vary": "Cookie", **(headers or {})},
    )
    asked = request.query_params.get("lang")
    if asked in (Lang.VI, Lang.EN) and asked != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")
    return response
