"""Index settings, kept in code and applied idempotently (same settings → no change).

Choices:

- Searchable attributes in ranking order: the code fields first, then titles/names, then
  what a record is about (products it applies to, categories), then long text.
- Typo tolerance: Vietnamese is written in short syllables (``cam``, ``chè``, ``mía``); a
  typo on a 3–4 letter syllable lands on another real word, so one typo needs 5 letters
  and two need 9. Never on codes, HS codes or numbers (``5603`` must not find ``5613``).
- ``localizedAttributes``: every attribute is Vietnamese (``vie``), else unaccented
  Vietnamese is easily taken for another language by detection.
- Synonyms for regional words and abbreviations (Meilisearch folds diacritics, so each
  list is written once, accented).
- A final ranking rule puts documents in force before other editions of equal relevance.
"""

from __future__ import annotations

from typing import Any

from search.documents import DOCUMENTS, PRODUCTS

# Groups of words that mean the same thing to a searcher: every word finds every other.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("chè", "trà"),
    ("lợn", "heo"),
    ("ngô", "bắp"),
    ("dứa", "thơm", "khóm"),
    ("vừng", "mè"),
    ("lạc", "đậu phộng"),
    ("sắn", "khoai mì"),
    ("quýt", "quít"),
    ("mì", "mỳ"),
    ("an toàn thực phẩm", "attp", "vsattp", "vệ sinh an toàn thực phẩm"),
    ("qcvn", "quy chuẩn", "quy chuẩn kỹ thuật quốc gia"),
    ("qcđp", "quy chuẩn kỹ thuật địa phương"),
    ("tccs", "tiêu chuẩn cơ sở"),
    ("vietgap", "thực hành nông nghiệp tốt"),
    ("haccp", "phân tích mối nguy"),
    ("ocop", "mỗi xã một sản phẩm"),
    ("hữu cơ", "organic"),
    ("ghi nhãn", "nhãn hàng hóa", "labelling"),
    ("truy xuất nguồn gốc", "traceability"),
    ("chè", "tea"),
    ("cam", "orange"),
    ("bưởi", "pomelo"),
    ("mật ong", "honey"),
    ("rượu", "spirits"),
    ("đường", "sugar"),
    ("ván dán", "ván ép", "plywood"),
    ("gỗ", "wood"),
)

DOCUMENT_SEARCHABLE = [
    "compact",
    "code",
    "code_variants",
    "title_vi",
    "title_en",
    "applies_to",
    "issuer",
    "ics_names",
    "scope",
]
PRODUCT_SEARCHABLE = [
    "name",
    "aliases",
    "name_en",
    "category_path",
    "hs_codes",
    "locality",
    "producer",
    "kind_label",
    "description",
]
NO_TYPOS = ["compact", "code", "code_variants", "hs_codes", "ics"]

RANKING_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness"]


def synonyms() -> dict[str, list[str]]:
    """Multi-way synonyms: each word maps to the others of every group it is in."""
    table: dict[str, list[str]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            others = [w for w in group if w != word]
            if others:
                table.setdefault(word, [])
                table[word] += [w for w in others if w not in table[word]]
    return table


def _common() -> dict[str, Any]:
    return {
        "synonyms": synonyms(),
        "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["vie"]}],
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnAttributes": NO_TYPOS,
            "disableOnNumbers": True,
            "disableOnWords": [],
        },
        "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "count"}},
        "pagination": {"maxTotalHits": 1000},
    }


def document_settings() -> dict[str, Any]:
    return _common() | {
        "searchableAttributes": DOCUMENT_SEARCHABLE,
        "filterableAttributes": [
            "type",
            "doc_type",
            "status",
            "in_force",
            "superseded",
            "mandatory",
            "year",
            "issuer_code",
            "ics",
            "family",
            "number_key",
        ],
        "sortableAttributes": ["year", "code", "status_rank"],
        "rankingRules": [*RANKING_RULES, "status_rank:desc"],
        "displayedAttributes": ["*"],
    }


def product_settings() -> dict[str, Any]:
    return _common() | {
        "searchableAttributes": PRODUCT_SEARCHABLE,
        "filterableAttributes": [
            "type",
            "kind",
            "ocop_stars",
            "geographical_indication",
            "hs_codes",
            "category_path",
            "locality",
        ],
        "sortableAttributes": ["name", "ocop_stars"],
        "rankingRules": [*RANKING_RULES, "ocop_stars:desc"],
        "displayedAttributes": ["*"],
    }


def meta_settings() -> dict[str, Any]:
    return {"searchableAttributes": ["id"], "displayedAttributes": ["*"]}


SETTINGS = {DOCUMENTS: document_settings, PRODUCTS: product_settings}

# Facet counts returned with every search (each one costs Meilisearch time per query).
DOCUMENT_SHOWN_FACETS = ("doc_type", "status", "mandatory", "year")
PRODUCT_SHOWN_FACETS = ("kind", "ocop_stars")

# Which index each filter key belongs to (the search layer refuses unknown keys).
DOCUMENT_FACETS = ("doc_type", "status", "mandatory", "year", "ics", "issuer_code")
PRODUCT_FACETS = ("kind", "ocop_stars", "geographical_indication", "category_path", "locality")
