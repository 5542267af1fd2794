"""
Search benchmark: median and p95 of ten realistic queries, on whatever database
DATABASE_URL names (SQLite by default), which must already hold records.

    make bench-search                                      # the corpus, SQLite
    DATABASE_URL=sqlite:////tmp/ijtech-100k.sqlite3 .venv/bin/python bench/search.py --label 100k

For each query it times the search page (/search/?q=, the whole response) and a list
filtered by the same words (/milestones/?q=), and records the figures in
bench/results/search-<vendor>-<label>.json. Nothing here asserts on timings.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import RESULTS, ROOT, body, environment, percentile, setup_django  # noqa: E402

# What researchers type: acronyms, names, topics, a hyphenated word, a misspelling.
QUERIES = [
    "JAXA",
    "semiconductor",
    "hydrogen ammonia",
    "Digital Partnership",
    "cyber-security",
    "space cooperation",
    "Shinkansen",
    "semiconducter",
    "ISRO JAXA moon",
    "quantum",
]
SURFACES = [("search", "/search/?q={}"), ("milestones", "/milestones/?q={}")]


def measure(client, path: str, requests: int) -> dict:
    response = client.get(path)  # warm-up, untimed
    body(response)
    row = {"status": response.status_code}
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        body(client.get(path))
        times.append((time.perf_counter() - start) * 1000)
    row.update(median_ms=statistics.median(times), p95_ms=percentile(times, 95), times=times)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, metavar="N")
    parser.add_argument("--label", default="corpus", help="names the database in the results")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()

    setup_django()
    from urllib.parse import quote_plus

    from django.test import Client

    from agreements.models import Milestone
    from ijtech import search

    client = Client(raise_request_exception=True)
    milestones = Milestone.objects.published().count()
    rows = []
    for query in QUERIES:
        found = search.search_records(query)
        row = {"query": query, "results": found.count, "searched_for": found.plan.searched_for}
        for key, template in SURFACES:
            row[key] = measure(client, template.format(quote_plus(query)), args.requests)
        rows.append(row)

    summary = {}
    for key, _ in SURFACES:
        every = [t for row in rows for t in row[key].pop("times")]
        summary[key] = {"median_ms": statistics.median(every), "p95_ms": percentile(every, 95)}

    print(f"\nSearch, {args.label} ({milestones} published milestones), {args.requests} requests")
    print(f"{'query':<22}{'found':>7}{'search p50':>12}{'p95':>8}{'list p50':>10}{'p95':>8}")
    for row in rows:
        s, m = row["search"], row["milestones"]
        print(
            f"{row['query']:<22}{row['results']:>7}{s['median_ms']:>12.1f}{s['p95_ms']:>8.1f}"
            f"{m['median_ms']:>10.1f}{m['p95_ms']:>8.1f}"
        )
    s, m = summary["search"], summary["milestones"]
    print(
        f"{'all ten':<22}{'':>7}{s['median_ms']:>12.1f}{s['p95_ms']:>8.1f}"
        f"{m['median_ms']:>10.1f}{m['p95_ms']:>8.1f}"
    )
    if not args.no_save:
        env = environment(args.requests)
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"search-{env['vendor']}-{args.label}.json"
        figures = {**env, "label": args.label, "milestones": milestones}
        figures.update(summary=summary, queries=rows)
        out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"\nWrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
