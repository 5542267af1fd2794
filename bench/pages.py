"""
Time each public page, export and API list in-process, with its query count and size.

    DATABASE_URL=sqlite:////tmp/ijtech-100k.sqlite3 .venv/bin/python bench/pages.py
    ... bench/pages.py --runs 5 --only milestones --queries   # print each query and its time

DEBUG is off (the settings' production path), so the figures are those of a served page
less the network. Each page is requested once to warm caches, then `--runs` times; the
table gives the best and median of those, the number of queries and the bytes sent.
Nothing is asserted or recorded: it is for looking at where a page's time goes.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SECRET_KEY", "bench-pages-only-" + "0" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ijtech.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# (key, path); None is filled in with a representative record from the database.
PAGES = [
    ("home", "/"),
    ("agreements", "/agreements/"),
    ("milestones", "/milestones/"),
    ("milestones_years", "/milestones/?year_from=2018&year_to=2020"),
    ("milestones_sector", "/milestones/?sector=space"),
    ("milestones_page_40", "/milestones/?page=40"),
    ("timeline", "/milestones/timeline/"),
    ("disagreements", "/disagreements/"),
    ("institutions", "/actors/"),
    ("sectors", "/sectors/"),
    ("sector_detail", "/sectors/space/"),
    ("institution_detail", None),
    ("sources", "/sources/"),
    ("source_detail", "/sources/sane-2025-bridging-innovation/"),
    ("search", "/search/?q=satellite"),
    ("pledges", "/pledges/"),
    ("export_csv", "/milestones/export.csv"),
    ("export_csv_2020", "/milestones/export.csv?year=2020"),
    ("export_json_2020", "/milestones/export.json?year=2020"),
    ("api_milestones", "/api/milestones/"),
    ("api_agreements", "/api/agreements/"),
    ("api_actors", "/api/actors/"),
    ("sitemap", "/sitemap.xml"),
    ("sitemap_milestones", "/sitemap-milestones.xml"),
    ("feed", "/feeds/changes/"),
]


def busiest_institution() -> str:
    from django.db.models import Count

    from actors.models import Actor

    actor = (
        Actor.objects.published()
        .annotate(n=Count("milestones"))
        .order_by("-n")
        .values_list("slug", flat=True)
        .first()
    )
    return f"/actors/{actor}/"


def measure(client, path: str, runs: int):
    response = client.get(path)
    size = len(b"".join(response.streaming_content) if response.streaming else response.content)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
    return response.status_code, times, len(queries.captured_queries), size, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="page keys to measure")
    parser.add_argument("--queries", action="store_true", help="print each query's SQL")
    parser.add_argument("--sql-chars", type=int, default=400, help="how much of each to print")
    args = parser.parse_args()
    client = Client()
    print(f"{'page':22} {'status':>6} {'best ms':>9} {'median':>9} {'queries':>7} {'bytes':>10}")
    for key, path in PAGES:
        if args.only and key not in args.only:
            continue
        path = path or busiest_institution()
        status, times, count, size, queries = measure(client, path, args.runs)
        print(
            f"{key:22} {status:>6} {min(times):>9.1f} {statistics.median(times):>9.1f} "
            f"{count:>7} {size:>10}",
            flush=True,
        )
        if args.queries:
            for i, query in enumerate(queries.captured_queries, 1):
                print(f"   {i:>2}. [{query['time']}] {query['sql'][: args.sql_chars]}")


if __name__ == "__main__":
    main()
