"""Relevance of search over the bundled data: MRR and nDCG@10 per query class, plain
Meilisearch (default settings, federated search over both indexes) against our layer.

    .venv/bin/python bench/relevance.py [--show-misses]

Judgements are in bench/judgements.csv: ``class,query,relevant`` where relevant is
``key=grade;…`` (grade 3 = the answer, 2 = very relevant, 1 = relevant); a key is a
document code or ``p:<product slug>``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_fixture import bundled_setup

from search.admin import MeiliAdmin
from search.documents import DOCUMENTS, PRODUCTS, load_document_records, load_product_records
from search.query import SearchService

JUDGEMENTS = Path(__file__).with_name("judgements.csv")
PREFIX = "relevance_"
K = 10


def read_judgements() -> list[tuple[str, str, dict[str, int]]]:
    rows = []
    with JUDGEMENTS.open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            grades = {}
            for item in row["relevant"].split(";"):
                key, _, grade = item.strip().rpartition("=")
                if not key or not grade.isdigit():
                    raise SystemExit(f"{JUDGEMENTS}:{line}: cannot read {item!r} as key=grade")
                grades[key] = int(grade)
            rows.append((row["class"], row["query"], grades))
    return rows


def ndcg(ranked: list[str], grades: dict[str, int]) -> float:
    gain = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:K]))
    ideal = sorted(grades.values(), reverse=True)[:K]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, key in enumerate(ranked[:K]) if grades.get(key)), 0.0)


def plain_indexes(setup, admin: MeiliAdmin) -> dict[str, str]:
    """The same records in indexes with Meilisearch's default settings."""
    uids = {DOCUMENTS: f"{PREFIX}plain_documents", PRODUCTS: f"{PREFIX}plain_products"}
    records = {
        DOCUMENTS: load_document_records(setup.engine),
        PRODUCTS: load_product_records(setup.engine),
    }
    for name, uid in uids.items():
        if admin.index_exists(uid):
            admin.delete_index(uid)
        admin.create_index(uid)
        admin.add_documents(uid, records[name])
    return uids


def plain_search(admin: MeiliAdmin, uids: dict[str, str], query: str) -> list[str]:
    body = {
        "federation": {"limit": K},
        "queries": [{"indexUid": uid, "q": query} for uid in uids.values()],
    }
    hits = admin.request("POST", "/multi-search", body)["hits"]
    return [
        h["code"] if h["_federation"]["indexUid"] == uids[DOCUMENTS] else f"p:{h['slug']}"
        for h in hits
    ]


async def tuned_search(service: SearchService, query: str) -> list[str]:
    response = await service.search(query, limit=K)
    return [h.code if h.type == "document" else f"p:{h.slug}" for h in response.hits]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="print each query's top 3")
    args = parser.parse_args()
    judgements = read_judgements()
    with bundled_setup(PREFIX) as setup, MeiliAdmin(setup.url, setup.master_key) as admin:
        known = {r["code"] for r in load_document_records(setup.engine)} | {
            f"p:{r['slug']}" for r in load_product_records(setup.engine)
        }
        unknown = {k for _, _, g in judgements for k in g} - known
        if unknown:
            raise SystemExit(f"judged keys not in the bundled data: {sorted(unknown)}")
        uids = plain_indexes(setup, admin)
        plain = {q: plain_search(admin, uids, q) for _, q, _ in judgements}

        async def all_tuned() -> dict[str, list[str]]:
            async with SearchService(setup.url, setup.search_key, PREFIX) as service:
                return {q: await tuned_search(service, q) for _, q, _ in judgements}

        tuned = asyncio.run(all_tuned())
        for uid in uids.values():
            admin.delete_index(uid)

    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for cls, query, grades in judgements:
        for system, ranked in (("plain", plain[query]), ("tuned", tuned[query])):
            for bucket in (cls, "ALL"):
                scores[bucket][f"{system}_mrr"].append(reciprocal_rank(ranked, grades))
                scores[bucket][f"{system}_ndcg"].append(ndcg(ranked, grades))
        if args.show_misses and ndcg(tuned[query], grades) < ndcg(plain[query], grades):
            print(
                f"  [{cls}] {query!r}: nDCG tuned {ndcg(tuned[query], grades):.2f} < "
                f"plain {ndcg(plain[query], grades):.2f}\n    tuned {tuned[query][:5]}"
                f"\n    plain {plain[query][:5]}"
            )

    print(
        f"\n{len(judgements)} judged queries over the bundled data "
        f"({setup.documents} documents, {setup.products} products)\n"
    )
    header = f"| {'class':<20} | {'n':>2} | MRR plain | MRR tuned | nDCG@10 plain | nDCG@10 tuned |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    order = [*sorted(k for k in scores if k != "ALL"), "ALL"]
    for bucket in order:
        s = scores[bucket]
        mean = {k: sum(v) / len(v) for k, v in s.items()}
        print(
            f"| {bucket:<20} | {len(s['plain_mrr']):>2} | {mean['plain_mrr']:9.3f} | "
            f"{mean['tuned_mrr']:9.3f} | {mean['plain_ndcg']:13.3f} | {mean['tuned_ndcg']:13.3f} |"
        )


if __name__ == "__main__":
    main()
