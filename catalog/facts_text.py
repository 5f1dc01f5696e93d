"""Facts and verdicts in words, Vietnamese and English, for checklists and the terminal."""

from __future__ import annotations

from catalog.answer_facts import EntryFacts, FactsAnswer
from catalog.conditions import Condition, Verdict
from catalog.facts import FACTS, Fact, Facts

VERDICTS = {
    Verdict.APPLIES: ("Áp dụng", "Applies"),
    Verdict.DOES_NOT_APPLY: ("Không áp dụng", "Does not apply"),
    Verdict.DEPENDS_ON: ("Tùy theo", "Depends on"),
}


def values_text(fact: Fact, values: frozenset[str], lang: str) -> str:
    spec = FACTS[fact]
    if not values:
        return spec.label("none", lang)
    return ", ".join(spec.label(v, lang) for v in spec.values if v in values)


def facts_text(facts: Facts, lang: str) -> str:
    """``Bao gói sẵn: Có, bao gói sẵn; Vật liệu bao bì: Thủy tinh``."""
    return "; ".join(
        f"{FACTS[fact].title(lang)}: {values_text(fact, values, lang)}"
        for fact, values in facts.given
    )


def condition_text(condition: Condition, lang: str) -> str:
    fact = condition.fact
    return f"{FACTS[fact].title(lang)}: {values_text(fact, condition.values, lang)}"


def verdict_words(verdict: EntryFacts, lang: str) -> str:
    """``Không áp dụng (cần Vật liệu bao bì: Thủy tinh, Gốm, sứ)``, ``Tùy theo: Bao gói sẵn``."""
    label = VERDICTS[verdict.verdict][0 if lang == "vi" else 1]
    if verdict.verdict == Verdict.DOES_NOT_APPLY:
        needs = "cần" if lang == "vi" else "needs"
        return (
            f"{label} ({needs} "
            + "; ".join(condition_text(c, lang) for c in verdict.ruled_out_by)
            + ")"
        )
    if verdict.verdict == Verdict.DEPENDS_ON:
        return f"{label}: " + ", ".join(FACTS[q].title(lang) for q in verdict.questions)
    return label


def verdict_text(verdict: EntryFacts) -> str:
    """Both languages, for checklists."""
    return f"{verdict_words(verdict, 'vi')} / {verdict_words(verdict, 'en')}"


def facts_lines(settled: FactsAnswer) -> list[list[str]]:
    """The checklist heading's lines about the facts: given, defaults, what they rule out and
    the questions still open."""
    lines = [
        ["Dữ kiện đã trả lời / Facts given", _both(settled.given) or "—"],
    ]
    if settled.defaults:
        lines.append(["Dữ kiện theo danh mục sản phẩm / Registry's facts", _both(settled.defaults)])
    out = [e for e in settled.answer.entries if settled.of(e).verdict == Verdict.DOES_NOT_APPLY]
    if out:
        lines.append(
            [
                "Không áp dụng theo dữ kiện / Ruled out by the facts",
                "; ".join(f"{e.document.code} ({verdict_text(settled.of(e))})" for e in out),
            ]
        )
    if questions := settled.questions():
        lines.append(
            [
                "Câu hỏi còn mở / Questions still open",
                " ".join(
                    f"{FACTS[f].question('vi')} / {FACTS[f].question('en')}" for f, _ in questions
                ),
            ]
        )
    return lines


def _both(facts: Facts) -> str:
    return f"{facts_text(facts, 'vi')} / {facts_text(facts, 'en')}" if facts else ""
