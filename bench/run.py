"""
Benchmark harness for ijtech: corpus load time and memory, page and API latency.

Run with `make bench` (or `.venv/bin/python bench/run.py`). It uses whatever database
DATABASE_URL names (SQLite by default), which must already hold the corpus. The figures are
printed as a table, written to bench/results/<vendor>-latest.json and appended as one row to
bench/results/history.csv. See bench/README.md for what each figure means.

Nothing here asserts on timings: it records them.
"""

import argparse
import contextlib
import csv
import datetime as dt
import gc
import json
import logging
import math
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HISTORY = RESULTS / "history.csv"
MIB = 1024 * 1024

# (key, path). None paths are filled in from the database: a representative record.
PAGES = [
    ("home", "/"),
    ("agreements", "/agreements/"),
    ("agreements_filtered", "/agreements/?sector=space&year_from=2000"),
    ("milestones", "/milestones/"),
    ("timeline", "/milestones/timeline/"),
    ("actors", "/actors/"),
    ("sectors", "/sectors/"),
    ("sources", "/sources/"),
    ("disagreements", "/disagreements/"),
    ("pledges", "/pledges/"),
    ("search", "/search/?q=space"),
    ("agreement_detail", None),
    ("actor_detail", None),
    ("api_agreements", "/api/agreements/"),
    ("api_milestones", "/api/milestones/"),
    ("export_csv", "/agreements/export.csv"),
    ("sitemap", "/sitemap.xml"),
]

# Run-wide columns of history.csv; per-page columns follow, three per page.
HISTORY_RUN_COLUMNS = [
    "date",
    "vendor",
    "db_version",
    "python",
    "django",
    "cpu_count",
    "machine",
    "commit",
    "requests",
    "load_s",
    "load_peak_mib",
    "reload_s",
    "reload_peak_mib",
    "pages_ok",
    "pages_error",
]
PAGE_COLUMNS = ["median_ms", "p95_ms", "queries"]


# --- Setup ------------------------------------------------------------------------------


def setup_django() -> None:
    """Configure the process like production (DEBUG off) and start Django.

    settings_test keeps plain static file storage, so templates render without
    collectstatic. The environment is set before settings are imported, because
    ijtech.settings reads it at import time.
    """
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "ijtech.settings_test"
    os.environ["DEBUG"] = "0"
    if len(os.environ.get("SECRET_KEY", "")) < 50:
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the host django.test.Client sends
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    # WhiteNoise warns that STATIC_ROOT does not exist: expected without collectstatic.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    # 404s and 500s are recorded in the results; no need for a log line per request.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


# --- Corpus load (run in a child process) -------------------------------------------------


def throwaway_test_name(connection, tmpdir: str) -> str:
    if connection.vendor == "sqlite":
        return str(Path(tmpdir) / "bench-load.sqlite3")
    return f"ijtech_bench_load_{os.getpid()}"


def measure_loads(traced: bool) -> dict:
    """Load the corpus twice into the current (empty) database; time or trace each load."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from ijtech.corpus import load

    figures = {}
    for name in ("load", "reload"):
        ContentType.objects.clear_cache()
        gc.collect()
        if traced:
            tracemalloc.start()
            base = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        report = load(Path(settings.FIXTURES_DIR))
        seconds = time.perf_counter() - start
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            figures[name] = {"peak_bytes": peak - base, "traced_seconds": seconds}
        else:
            figures[name] = {
                "seconds": seconds,
                "created": sum(report.created.values()),
                "updated": sum(report.updated.values()),
                "unchanged": sum(report.unchanged.values()),
            }
    return figures


def load_child() -> None:
    """Create a throwaway database, migrate it, measure the loads, drop it. Print JSON.

    Two fresh databases: one for wall time (untraced, since tracemalloc slows Python
    down several-fold) and one for peak memory.
    """
    from django.db import connection

    result = {}
    for traced in (False, True):
        tmpdir = tempfile.mkdtemp(prefix="ijtech-bench-")
        old_name = connection.settings_dict["NAME"]
        connection.settings_dict["TEST"]["NAME"] = throwaway_test_name(connection, tmpdir)
        try:
            start = time.perf_counter()
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            migrate_seconds = time.perf_counter() - start
            figures = measure_loads(traced)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            shutil.rmtree(tmpdir, ignore_errors=True)
        for name, values in figures.items():
            result.setdefault(name, {}).update(values)
        if not traced:
            result["migrate_seconds"] = migrate_seconds
    print(json.dumps(result))


def run_load_child() -> dict:
    """The load runs in a fresh interpreter so its memory and caches start cold."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--load-child"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=ROOT,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"load failed (exit {proc.returncode}): {tail}"[:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- Pages ----------------------------------------------------------------------------------


def body(response) -> bytes:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return data


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with pct% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def detail_paths() -> dict[str, str | None]:
    """The published agreement and actor with the most citations (ties: first slug)."""
    from django.db.models import Count

    from actors.models import Actor
    from agreements.models import Agreement

    paths = {}
    for key, model, prefix in (
        ("agreement_detail", Agreement, "/agreements/"),
        ("actor_detail", Actor, "/actors/"),
    ):
        slug = (
            model.objects.published()
            .annotate(n=Count("citations"))
            .order_by("-n", "slug")
            .values_list("slug", flat=True)
            .first()
        )
        paths[key] = f"{prefix}{slug}/" if slug else None
    return paths


def measure_page(client, key: str, path: str | None, requests: int) -> dict:
    """One untimed warm-up, one request counting queries, then `requests` timed requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = {"key": key, "path": path}
    if path is None:
        row["error"] = "no published record to show"
        return row
    try:
        start = time.perf_counter()
        response = client.get(path)
        body(response)
        row["first_ms"] = (time.perf_counter() - start) * 1000
        row["status"] = response.status_code
        if response.status_code != 200:
            where = response.get("Location")
            row["error"] = f"HTTP {response.status_code}" + (f" -> {where}" if where else "")
            return row

        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            data = body(response)
        row["queries"] = len(queries.captured_queries)
        row["bytes"] = len(data)
        row["content_type"] = response.get("Content-Type", "")

        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(path)
            body(response)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                row["error"] = f"HTTP {response.status_code} on a repeated request"
                return row
    except Exception as exc:  # a page under construction must not stop the run
        row["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        return row
    row["requests"] = requests
    row["median_ms"] = statistics.median(times)
    row["p95_ms"] = percentile(times, 95)
    row["min_ms"] = min(times)
    row["max_ms"] = max(times)
    return row


def measure_pages(requests: int) -> list[dict]:
    from django.test import Client

    client = Client(raise_request_exception=True)
    found = detail_paths()
    rows = []
    for key, path in PAGES:
        rows.append(measure_page(client, key, path if path else found.get(key), requests))
    return rows


# --- Context and output ------------------------------------------------------------------


def environment(requests: int) -> dict:
    import django
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        db_version = sqlite3.sqlite_version
    else:
        connection.ensure_connection()
        major, rest = divmod(connection.pg_version, 10000)
        db_version = f"{major}.{rest}"
    commit = ""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "vendor": connection.vendor,
        "db_version": db_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpu_count": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()}",
        "cpu_model": cpu_model(),
        "commit": commit,
        "requests": requests,
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def fmt(value, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def print_table(env: dict, load: dict | None, pages: list[dict]) -> None:
    print(
        f"\nijtech benchmark  {env['date']}  {env['vendor']} {env['db_version']}  "
        f"Python {env['python']}  Django {env['django']}  {env['cpu_count']} CPUs  "
        f"N={env['requests']}"
    )
    if load is not None:
        print("\nCorpus load                     wall s  peak MiB  records")
        if "error" in load:
            print(f"  ERROR: {load['error']}")
        else:
            for name, label in (("load", "into empty database"), ("reload", "second (no-op)")):
                figures = load[name]
                records = (
                    f"{figures['created']} created"
                    if name == "load"
                    else f"{figures['created'] + figures['updated']} changed"
                )
                print(
                    f"  {label:<28}{figures['seconds']:>7.2f}"
                    f"{figures['peak_bytes'] / MIB:>10.1f}  {records}"
                )
    header = (
        f"\n{'page':<20}{'path':<44}{'median ms':>10}{'p95 ms':>8}{'first ms':>9}"
        f"{'queries':>8}{'KiB':>8}"
    )
    print(header)
    print("-" * (len(header) - 1))
    for row in pages:
        path = row["path"] or ""
        path = path if len(path) <= 43 else path[:42] + "…"
        if "error" in row:
            print(f"{row['key']:<20}{path:<44}ERROR: {row['error']}")
            continue
        print(
            f"{row['key']:<20}{path:<44}{row['median_ms']:>10.1f}{row['p95_ms']:>8.1f}"
            f"{row['first_ms']:>9.1f}{row['queries']:>8}{row['bytes'] / 1024:>8.1f}"
        )


def history_row(env: dict, load: dict | None, pages: list[dict]) -> dict:
    ok = [p for p in pages if "error" not in p]
    row = {key: env[key] for key in HISTORY_RUN_COLUMNS if key in env}
    if load and "error" not in load:
        row["load_s"] = f"{load['load']['seconds']:.3f}"
        row["load_peak_mib"] = f"{load['load']['peak_bytes'] / MIB:.1f}"
        row["reload_s"] = f"{load['reload']['seconds']:.3f}"
        row["reload_peak_mib"] = f"{load['reload']['peak_bytes'] / MIB:.1f}"
    row["pages_ok"] = len(ok)
    row["pages_error"] = len(pages) - len(ok)
    for page in pages:
        for column in PAGE_COLUMNS:
            value = page.get(column)
            if value is not None and column != "queries":
                value = f"{value:.2f}"
            row[f"{page['key']}_{column}"] = "" if value is None else value
    return row


def append_history(row: dict) -> None:
    """Append one row; if the columns changed since the file was started, widen the file."""
    columns = HISTORY_RUN_COLUMNS + [k for k in row if k not in HISTORY_RUN_COLUMNS]
    if HISTORY.exists():
        with HISTORY.open(newline="") as f:
            reader = csv.DictReader(f)
            existing = list(reader.fieldnames or [])
            old_rows = list(reader)
        if existing and set(columns) <= set(existing):
            with HISTORY.open("a", newline="") as f:
                csv.DictWriter(f, fieldnames=existing, restval="").writerow(row)
            return
        columns = existing + [c for c in columns if c not in existing]
    else:
        old_rows = []
    with HISTORY.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows([*old_rows, row])


def save(env: dict, load: dict | None, pages: list[dict]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / f"{env['vendor']}-latest.json"
    figures = {**env, "load": load, "pages": pages}
    latest.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    append_history(history_row(env, load, pages))
    return latest


# --- Entry point --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=30,
        metavar="N",
        help="timed requests per page (default 30)",
    )
    parser.add_argument("--skip-load", action="store_true", help="skip the corpus load figures")
    parser.add_argument(
        "--no-save", action="store_true", help="print the table only; write no results files"
    )
    parser.add_argument("--load-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")

    setup_django()
    if args.load_child:
        load_child()
        return 0

    from agreements.models import Agreement

    if not Agreement.objects.exists():
        print(
            "The database holds no agreements: load the corpus first (make corpus).",
            file=sys.stderr,
        )
        return 2

    env = environment(args.requests)
    load = None
    if not args.skip_load:
        print("Measuring the corpus load into throwaway databases…", file=sys.stderr)
        load = run_load_child()
    print(f"Measuring {len(PAGES)} pages, {args.requests} requests each…", file=sys.stderr)
    pages = measure_pages(args.requests)
    print_table(env, load, pages)
    if not args.no_save:
        latest = save(env, load, pages)
        print(f"\nWrote {latest.relative_to(ROOT)} and appended to {HISTORY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
