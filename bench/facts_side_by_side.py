"""Registered products on the bundled data, side by side: the answer with no facts, and with
realistic facts about how each is sold (catalog/answer_facts.py).

For each, the documents in force the answer lists (with no facts: all of them, each either
applying or depending on a question), and with the facts those that still apply or depend
on a question, the number ruled out, and the questions left.

    .venv/bin/python bench/facts_side_by_side.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlmodel import Session  # noqa: E402

from catalog import clock, migrate  # noqa: E402
from catalog.answer_facts import apply_facts  # noqa: E402
from catalog.applicability import applicable_in  # noqa: E402
from catalog.conditions import Verdict  # noqa: E402
from catalog.facts import NO_FACTS, parse_facts  # noqa: E402
from catalog.readmodel import CatalogGraph  # noqa: E402
from catalog.store import make_engine  # noqa: E402
from ingest.jobs import ingest_bundled  # noqa: E402

# (product, how it is sold, the facts)
CASES = (
    ("cam-sanh-ham-yen", "fresh, sold loose at the market by the grower",
     "prepackaged:no,claims:geographical_indication,market:domestic,activity:growing+trading"),
    ("cam-sanh-ham-yen", "VietGAP, packed in plastic by the grower",
     "prepackaged:yes,packaging:plastic,claims:vietgap+geographical_indication,"
     "market:domestic,activity:growing+packing+trading"),
    ("tra-xanh-phin-ho", "100 g box, paper with a plastic inner bag, no additives",
     "packaging:paper+plastic,claims:ocop,market:domestic,activity:processing+packing+trading,"
     "additives:none"),
    ("mat-ong-huong-rung", "beekeeper's honey in glass jars",
     "prepackaged:yes,packaging:glass,claims:ocop,market:domestic,"
     "activity:raising+packing+trading,additives:none"),
    ("ruou-ngo-men-la-na-hang", "bottled in glass, no additives",
     "prepackaged:yes,packaging:glass,claims:geographical_indication,market:domestic,"
     "activity:processing+packing+trading,additives:none"),
    ("thit-trau-gac-bep", "vacuum-packed in plastic, no claims",
     "prepackaged:yes,packaging:plastic,claims:none,market:domestic,"
     "activity:processing+packing+trading,additives:none"),
    ("lon", "pigs raised and slaughtered, meat sold loose",
     "prepackaged:no,claims:none,market:domestic,activity:raising+slaughter+trading"),
)  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bundled.db"
        migrate.upgrade(url)
        engine = make_engine(url)
        ingest_bundled(engine)
        with Session(engine) as session:
            graph = CatalogGraph.load(session)
        engine.dispose()
    today = clock.today()
    print(f"bundled data, as of {today}; documents in force listed (kept: apply or depend)")
    print(f"{'product':<26} {'no facts':>9} {'facts':>6} {'out':>4}  how sold; questions left")
    for slug, how, facts in CASES:
        answer = applicable_in(graph, graph.product_by_slug[slug], today)
        plain = apply_facts(answer, NO_FACTS, graph.facts)
        asked = apply_facts(answer, parse_facts(facts), graph.facts)
        kept = len(asked.kept(answer.entries))
        out = asked.counts()[Verdict.DOES_NOT_APPLY]
        left = ", ".join(f.value for f, _ in asked.questions()) or "none"
        depends = plain.counts()[Verdict.DEPENDS_ON]
        print(
            f"{slug:<26} {len(plain.kept(answer.entries)):>9} {kept:>6} {out:>4}  {how}; "
            f"left: {left} (no facts: {depends} depend on a question)"
        )


if __name__ == "__main__":
    main()
