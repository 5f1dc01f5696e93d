"""Facts about a product and how it is sold, which decide the rules that carry a condition.

A rule may apply only "if the product is prepackaged" or "when it is certified organic"
(catalog/conditions.py types such conditions). The vocabulary is kept as small as the
bundled rules need: each fact is one question to a producer, with its answers labelled in
Vietnamese and English. Values are stable ASCII identifiers.

A fact may hold several values at once (a tea packed in plastic and glass, grown and
processed by the same business) unless it is a yes/no question; ``none`` answers that no
value holds (no claims, no additives).

Facts are given as ``key:value`` items joined by commas, several values of one fact joined
by ``+`` (or ``|``, or a space: an unencoded ``+`` in a URL's query reads as one), e.g.
``prepackaged:yes,packaging:glass+metal,claims:none``; ``=`` may stand for ``:``, and a key
given twice adds its values. :func:`parse_facts` reads that syntax for the API's ``facts``
parameter, the CLI's ``--fact`` and the web pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

NONE = "none"  # of a fact with several values: none of them holds
_ITEM_SPLIT = re.compile(r"[,;]")
_VALUE_SPLIT = re.compile(r"[+| ]")  # a "+" in a URL's query reads as a space


class Fact(StrEnum):
    PREPACKAGED = "prepackaged"
    PACKAGING = "packaging"
    CLAIMS = "claims"
    MARKET = "market"
    ACTIVITY = "activity"
    ADDITIVES = "additives"


@dataclass(frozen=True)
class FactSpec:
    """One question: its wording, its answers (value → Vietnamese and English labels)."""

    fact: Fact
    name: tuple[str, str]  # short, for tables: Vietnamese and English
    question_vi: str
    question_en: str
    values: Mapping[str, tuple[str, str]]
    several: bool  # several values may hold at once, and ``none`` may be answered

    def label(self, value: str, lang: str = "vi") -> str:
        labels = _NONE_LABELS if value == NONE else self.values[value]
        return labels[0] if lang == "vi" else labels[1]

    def title(self, lang: str = "vi") -> str:
        return self.name[0] if lang == "vi" else self.name[1]

    def question(self, lang: str = "vi") -> str:
        return self.question_vi if lang == "vi" else self.question_en

    @property
    def answers(self) -> tuple[str, ...]:
        """Every value that may be given, ``none`` last where it may."""
        return (*self.values, NONE) if self.several else tuple(self.values)


_NONE_LABELS = ("Không có", "None")

FACTS: dict[Fact, FactSpec] = {
    spec.fact: spec
    for spec in (
        FactSpec(
            Fact.PREPACKAGED,
            ("Bao gói sẵn", "Prepackaged"),
            "Sản phẩm có được bao gói sẵn khi bán không?",
            "Is the product prepackaged when sold?",
            {
                "yes": ("Có, bao gói sẵn", "Yes, prepackaged"),
                "no": ("Không, bán rời", "No, sold loose"),
            },
            several=False,
        ),
        FactSpec(
            Fact.PACKAGING,
            ("Vật liệu bao bì", "Packaging material"),
            "Bao bì tiếp xúc trực tiếp với sản phẩm làm bằng vật liệu gì?",
            "What is the packaging in direct contact with the product made of?",
            {
                "plastic": ("Nhựa tổng hợp", "Plastic"),
                "glass": ("Thủy tinh", "Glass"),
                "ceramic": ("Gốm, sứ", "Ceramic, porcelain"),
                "metal": ("Kim loại", "Metal"),
                "paper": ("Giấy, bìa", "Paper, cardboard"),
                "other": ("Vật liệu khác", "Another material"),
            },
            several=True,
        ),
        FactSpec(
            Fact.CLAIMS,
            ("Chứng nhận, công bố", "Claims"),
            "Sản phẩm có chứng nhận hoặc công bố nào sau đây?",
            "Which of these does the product claim or hold a certificate for?",
            {
                "organic": ("Hữu cơ", "Organic"),
                "vietgap": ("VietGAP", "VietGAP"),
                "ocop": ("OCOP", "OCOP"),
                "geographical_indication": ("Chỉ dẫn địa lý", "Geographical indication"),
                "food_safety_system": (
                    "Hệ thống quản lý an toàn thực phẩm (HACCP, ISO 22000)",
                    "Food safety management system (HACCP, ISO 22000)",
                ),
                "traceability": (
                    "Hệ thống truy xuất nguồn gốc",
                    "Traceability system",
                ),
            },
            several=True,
        ),
        FactSpec(
            Fact.MARKET,
            ("Thị trường", "Market"),
            "Sản phẩm được bán ở đâu?",
            "Where is the product sold?",
            {
                "domestic": ("Trong nước", "In Viet Nam"),
                "export": ("Xuất khẩu", "Exported"),
            },
            several=True,
        ),
        FactSpec(
            Fact.ACTIVITY,
            ("Công đoạn", "Activities"),
            "Cơ sở làm những công đoạn nào với sản phẩm?",
            "Which of these does the business do with the product?",
            {
                "growing": ("Trồng trọt", "Growing crops"),
                "raising": ("Chăn nuôi, nuôi ong", "Raising animals or bees"),
                "harvesting": ("Khai thác lâm sản", "Harvesting forest products"),
                "breeding_stock": (
                    "Sản xuất, kinh doanh giống",
                    "Producing or selling breeding stock",
                ),
                "slaughter": ("Giết mổ", "Slaughter"),
                "preprocessing": ("Sơ chế", "Preliminary processing"),
                "processing": ("Chế biến", "Processing"),
                "packing": ("Bao gói, đóng chai", "Packing, bottling"),
                "transport": ("Vận chuyển", "Transport"),
                "trading": ("Mua bán, kinh doanh", "Buying and selling"),
            },
            several=True,
        ),
        FactSpec(
            Fact.ADDITIVES,
            ("Phụ gia thực phẩm", "Food additives"),
            "Sản phẩm có dùng phụ gia thực phẩm nào sau đây?",
            "Which food additives does the product contain?",
            {
                "flavour_enhancer": ("Chất điều vị", "Flavour enhancers"),
                "colour": ("Phẩm màu", "Colours"),
                "preservative": ("Chất bảo quản", "Preservatives"),
                "other": ("Phụ gia khác", "Other additives"),
            },
            several=True,
        ),
    )
}


class FactsError(ValueError):
    """A fact or value that is not in the vocabulary, or values that cannot go together."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item!r}: {reason}")
        self.item = item
        self.reason = reason


def fact_named(name: str, item: str) -> Fact:
    """The fact ``name`` names, or a :class:`FactsError` on ``item`` listing the known ones."""
    try:
        return Fact(name.strip().lower())
    except ValueError:
        known = ", ".join(f.value for f in Fact)
        raise FactsError(item, f"unknown fact {name.strip()!r}; known facts: {known}") from None


def checked_values(fact: Fact, values: Iterable[str], item: str) -> frozenset[str]:
    """``values`` of ``fact`` as given (``none`` as the empty set), or a :class:`FactsError`
    naming the value that is not an answer to it."""
    spec = FACTS[fact]
    found: set[str] = set()
    said_none = False
    for raw in values:
        value = raw.strip().lower()
        if value == NONE and spec.several:
            said_none = True
        elif value in spec.values:
            found.add(value)
        else:
            allowed = ", ".join(spec.answers)
            raise FactsError(item, f"{value!r} is not an answer to {fact.value}; one of {allowed}")
    if said_none and found:
        raise FactsError(item, f"{NONE!r} cannot go with other values of {fact.value}")
    if not said_none and not found:
        raise FactsError(item, f"no value given for {fact.value}")
    if not spec.several and len(found) > 1:
        raise FactsError(item, f"{fact.value} takes one value")
    return frozenset(found)


@dataclass(frozen=True)
class Facts:
    """The facts given about one product, each with the values that hold (empty: none)."""

    given: tuple[tuple[Fact, frozenset[str]], ...] = ()  # in vocabulary order
    # Facts of several values known only in part (a product's defaults: the registry says it
    # is OCOP, not that it claims nothing else): their values confirm, never rule out.
    partial: frozenset[Fact] = frozenset()

    def get(self, fact: Fact) -> frozenset[str] | None:
        """The values given for ``fact`` (empty: ``none``), or None when it was not asked."""
        for name, values in self.given:
            if name == fact:
                return values
        return None

    def __bool__(self) -> bool:
        return bool(self.given)

    def __contains__(self, fact: object) -> bool:
        return any(name == fact for name, _ in self.given)

    def over(self, defaults: Facts) -> Facts:
        """These facts, and ``defaults`` for the facts not given here: known in part where
        the fact may hold several values, since a default names only some of them."""
        merged = dict(defaults.given)
        merged.update(self.given)
        partial = {f for f, _ in defaults.given if FACTS[f].several and f not in self}
        return _ordered(merged, frozenset(partial) | self.partial)

    def canonical(self) -> str:
        """The facts in the query syntax, in one spelling for equal facts (a cache key)."""
        return ",".join(
            f"{fact.value}:{'+'.join(sorted(values)) if values else NONE}"
            for fact, values in self.given
        )


NO_FACTS = Facts()


def parse_facts(text: str | Iterable[str] | None) -> Facts:
    """Facts in the syntax of the module docstring: one string, or several (repeated query
    parameters or CLI options), each of one or more items. Raises :class:`FactsError`
    naming the item that is wrong and why."""
    if text is None:
        return NO_FACTS
    parts = [text] if isinstance(text, str) else list(text)
    collected: dict[Fact, set[str]] = {}
    for part in parts:
        for raw in _ITEM_SPLIT.split(part):
            item = raw.strip()
            if not item:
                continue
            name, sep, values = _split_item(item)
            if not sep:
                raise FactsError(item, "expected fact:value, e.g. prepackaged:yes")
            fact = fact_named(name, item)
            given = [v for v in _VALUE_SPLIT.split(values) if v.strip()]
            checked = checked_values(fact, given, item)
            if fact in collected and (not checked) != (not collected[fact]):
                raise FactsError(item, f"{NONE!r} cannot go with other values of {fact.value}")
            if fact in collected and not FACTS[fact].several and checked != collected[fact]:
                raise FactsError(item, f"{fact.value} takes one value, and was given another")
            collected.setdefault(fact, set()).update(checked)
    return _ordered({f: frozenset(v) for f, v in collected.items()})


def _split_item(item: str) -> tuple[str, str, str]:
    for sep in (":", "="):
        if sep in item:
            return item.partition(sep)
    return item, "", ""


def _ordered(
    values: Mapping[Fact, frozenset[str]], partial: frozenset[Fact] = frozenset()
) -> Facts:
    return Facts(tuple((fact, values[fact]) for fact in Fact if fact in values), partial)
