"""The web pages: thin handlers that read the catalog, ask the engine or search, and render.

URLs are Vietnamese and stable, so people can share them: ``/san-pham/<slug>?ngay=YYYY-MM-DD``,
``/van-ban/<code-slug>``, ``/duyet``; ``/tim-kiem`` answers the search box with a fragment.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from sqlmodel import Session

from api.deps import Answers, Search
from api.facts_param import facts_of_form
from api.problems import NotFound
from api.services.documents import DocumentService
from api.services.todo import plan_for
from api.web import views
from api.web.barcode import scanned
from api.web.errors import BadInput, PageNotFound, SearchUnavailable
from api.web.params import day_param
from api.web.templating import render, url_with
from catalog import clock
from catalog.applicability import Standing
from catalog.codes import DocType
from catalog.codes_wto import wto_member
from catalog.facts import FACTS, Facts, FactsError
from catalog.products import ProductNotFound, resolve_product
from catalog.vocab import ProductKind, Status
from search.hits import SearchResponse
from search.query import SearchService

SEARCH_LIMIT = 20
MAX_QUERY = 200
# Filters the search form offers: query parameter → (search facet, allowed values).
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "loai": ("doc_type", tuple(t.value for t in DocType)),
    "tinh-trang": ("status", tuple(s.value for s in Status)),
    "loai-san-pham": ("kind", tuple(k.value for k in ProductKind)),
}


def search_filters(request: Request[Any, Any, Any]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Search facets from the form's parameters; unknown values are bad input."""
    facets: dict[str, list[str]] = {}
    chosen: dict[str, str] = {}
    for param, (facet, allowed) in FILTERS.items():
        value = request.query_params.get(param) or ""
        if not value:
            continue
        if value not in allowed:
            raise BadInput(
                param,
                value,
                f"Bộ lọc «{param}» không nhận giá trị «{value}».",
                f"The filter {param!r} does not take {value!r}.",
            )
        facets[facet] = [value]
        chosen[param] = value
    return facets, chosen


async def run_search(
    request: Request[Any, Any, Any], service: SearchService | None
) -> tuple[str, SearchResponse | None, dict[str, str]]:
    """The query, its results (None without a query) and the filters chosen."""
    q = (request.query_params.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise BadInput(
            "q",
            q[:20] + "…",
            f"Nội dung tìm kiếm quá dài: tối đa {MAX_QUERY} ký tự.",
            f"The search text is too long: at most {MAX_QUERY} characters.",
        )
    facets, chosen = search_filters(request)
    if not q:
        return q, None, chosen
    if service is None:
        raise SearchUnavailable("search is not configured (MEILI_URL)")
    return q, await service.search(q, filters=facets, limit=SEARCH_LIMIT), chosen


class WebController(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="web:home")
    async def home(self, request: Request[Any, Any, Any], search: Search) -> Response[Any]:
        """The search box, with results already rendered when the URL carries a query; a
        scanned barcode of a registered product goes to the product."""
        barcode = await scanned(request)
        if barcode is not None and barcode.product is not None:
            return Redirect(f"/san-pham/{barcode.product.slug}", status_code=303)
        q, results, chosen = await run_search(request, search)
        return render(
            request,
            "home.html",
            q=q,
            results=results,
            chosen=chosen,
            options=FILTER_OPTIONS,
            barcode=barcode,
        )

    @get("/tim-kiem", name="web:search")
    async def search_fragment(
        self, request: Request[Any, Any, Any], search: Search
    ) -> Response[str]:
        """The results block alone: what the search box fetches as the person types."""
        barcode = await scanned(request)
        if barcode is not None and barcode.product is not None:
            q = (request.query_params.get("q") or "").strip()
            hits = barcode.results(q)
            return render(request, "_results.html", q=q, results=hits, barcode=None, go=True)
        q, results, _chosen = await run_search(request, search)
        return render(request, "_results.html", q=q, results=results, barcode=barcode)

    @get("/duyet", name="web:browse", sync_to_thread=True)
    def browse(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str]:
        return render(request, "browse.html", browse=views.browse(db_session))

    @get("/san-pham/{slug:str}", name="web:product", sync_to_thread=True)
    def product(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        answers: Answers,
        slug: FromPath[str],
    ) -> Response[Any]:
        """What the product is and which documents apply to it on the chosen day."""
        day = day_param(request, "ngay", clock.today(), earliest=date.min, latest=date.max)
        found = views.product_by_slug(db_session, slug)
        if found is None:
            try:  # a name or alias typed into the URL leads to the product's own address
                found = resolve_product(db_session, slug)
            except ProductNotFound as exc:
                links = [(f"/san-pham/{s.slug}", s.name_vi) for s in exc.suggestions]
                raise PageNotFound(slug, links) from None
            return Redirect(url_with(request, path=f"/san-pham/{found.slug}"), status_code=301)
        facts = views.product_facts(db_session, found)
        market = _market(request.query_params.get("thi-truong"))
        key = (found.slug, day, None, False, market)  # the key the checklist downloads use too
        settled = answers.facts(key, page_facts(request))
        return render(
            request,
            "product.html",
            facts=facts,
            answer=settled.answer,
            settled=settled,
            todo=plan_for(db_session, settled.answer, settled),
            day=day,
            today=clock.today(),
            categories=views.category_names(db_session),
            standing_status=STANDING_STATUS,
        )

    @get("/van-ban/{reference:path}", name="web:document", sync_to_thread=True)
    def document(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        reference: FromPath[str],
    ) -> Response[Any]:
        """A document by its slug; other spellings of its code redirect to the slug."""
        reference = reference.strip("/")
        service = DocumentService(db_session)
        try:  # the slug itself first: two spellings may share a compact code (09 / 9)
            doc = views.document_by_slug(db_session, reference) or service.find(reference)
        except NotFound as exc:
            links = [(f"/van-ban/{s['slug']}", s["code"]) for s in exc.fields["suggestions"]]
            raise PageNotFound(reference, links) from None
        if reference != doc.slug:
            return Redirect(url_with(request, path=f"/van-ban/{doc.slug}"), status_code=301)
        return render(request, "document.html", view=service.detail(doc))


def page_facts(request: Request[Any, Any, Any]) -> Facts:
    """The answers given on the page (api/facts_param.py), or bad input naming the wrong one."""
    try:
        return facts_of_form({f.value: request.query_params.getall(f.value, []) for f in FACTS})
    except FactsError as exc:
        raise BadInput(
            "facts",
            exc.item,
            f"Câu trả lời «{exc.item}» không hợp lệ: {exc.reason}.",
            f"The answer {exc.item!r} is not valid: {exc.reason}.",
        ) from None


# How an entry stands on the day asked, in the words of a document status.
STANDING_STATUS = {
    Standing.IN_FORCE.value: Status.IN_FORCE,
    Standing.UPCOMING.value: Status.NOT_YET_IN_FORCE,
    Standing.WITHDRAWN.value: Status.WITHDRAWN,
    Standing.OUT_OF_SCOPE.value: Status.IN_FORCE,
}
FILTER_OPTIONS = {
    "loai": [(t.value, t) for t in DocType],
    "tinh-trang": [(s.value, s) for s in Status],
    "loai-san-pham": [(k.value, k) for k in ProductKind],
}


def _market(value: str | None) -> str | None:
    """The export market of the page's ``thi-truong`` parameter; an unknown one is ignored."""
    try:
        return wto_member(value) if value else None
    except ValueError:
        return None
