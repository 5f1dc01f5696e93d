"""The order this layer gives hits: code matches first (the edition typed, then its other
editions, in force first), and, for a query typed with diacritics, hits with the exact
accented words ahead of look-alikes (``chè`` tea before ``chế biến``)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from catalog.codes import (
    CodeError,
    DocumentCode,
    PartialCode,
    find_codes,
    parse_code,
    parse_partial,
)
from catalog.text import fold
from search.documents import DOCUMENTS

_WORD = re.compile(r"\w+")


def code_in(query: str) -> PartialCode | None:
    """The code a query names: the whole query as a (partial) code, or a full code inside."""
    if not query or not any(ch.isdigit() for ch in query):
        return None
    partial = parse_partial(query)
    if partial is None:
        found = find_codes(query)
        if not found:
            return None
        code = found[0]
        partial = PartialCode(
            code.doc_type, code.prefix, code.number, code.part, code.year, code.issuer
        )
    return partial if partial.number else None


def partial_text(partial: PartialCode | None) -> str | None:
    if partial is None:
        return None
    number = (partial.number or "") + (f"-{partial.part}" if partial.part else "")
    text = f"{partial.prefix + ' ' if partial.prefix else ''}{number}"
    text += f":{partial.year}" if partial.year else ""
    return text + (f"/{partial.issuer}" if partial.issuer else "")


@lru_cache(maxsize=65_536)
def _parsed(code: str) -> DocumentCode | None:
    try:
        return parse_code(code)
    except CodeError:
        return None


def code_order(hits: list[dict[str, Any]], partial: PartialCode) -> list[dict[str, Any]]:
    """Editions of the typed code: the edition typed first, then in force, then newest."""
    any_year = replace(partial, year=None)
    editions = [h for h in hits if (c := _parsed(h["code"])) is not None and any_year.matches(c)]

    def rank(hit: dict[str, Any]) -> tuple[bool, int, int, str]:
        code = _parsed(hit["code"])
        exact = partial.year is not None and code is not None and partial.matches(code)
        return (not exact, -hit.get("status_rank", 0), -(hit.get("year") or 0), hit["code"])

    return sorted(editions, key=rank)


def accented_words(query: str) -> set[str]:
    """The query's words when it is typed with diacritics (then every word is meant as typed)."""
    words = {w for w in _WORD.findall(query.lower()) if not w.isdigit()}
    return words if any(fold(w) != w for w in words) else set()


def prefer_accented(
    hits: list[tuple[str, dict[str, Any]]], accented: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    """Stable re-rank: hits matching a query word only through a look-alike (``chế`` for
    ``chè``) move behind those that match every word as typed or not at all.

    Meilisearch's own order is kept otherwise: exact accents do not outrank relevance.
    """
    folded = {w: fold(w) for w in accented}

    def look_alikes(item: tuple[str, dict[str, Any]]) -> int:
        sets = [_word_sets(text) for text in _texts(*item)]
        return sum(
            1
            for w in accented
            if not any(w in words for words, _ in sets)
            and any(folded[w] in folded_words for _, folded_words in sets)
        )

    return sorted(hits, key=look_alikes)


@lru_cache(maxsize=32_768)
def _word_sets(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The lower-cased words of a text and the same words folded (titles come back often)."""
    words = frozenset(_WORD.findall(text.lower()))
    return words, frozenset(fold(w) for w in words)


def named_exactly(name: str, hit: dict[str, Any], folded_query: str) -> bool:
    """The hit's title or name (Vietnamese or English, or an alias) is the query itself."""
    if name == DOCUMENTS:
        names = [hit.get("title_vi"), hit.get("title_en")]
    else:
        names = [hit.get("name"), hit.get("name_en"), *(hit.get("aliases") or [])]
    return any(n and folded(n) == folded_query for n in names)


@lru_cache(maxsize=32_768)
def folded(text: str) -> str:
    return fold(text)


def _texts(name: str, hit: dict[str, Any]) -> list[str]:
    if name == DOCUMENTS:
        return [hit.get("title_vi") or "", *(hit.get("applies_to") or [])]
    return [hit.get("name") or "", *(hit.get("aliases") or []), *(hit.get("category_path") or [])]
