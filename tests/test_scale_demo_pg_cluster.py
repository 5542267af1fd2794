"""
`make scale-demo` end to end: a PostgreSQL primary and a streaming replica of its own, two
app servers, Redis; a record published through the primary shows through the replica.

Runs in the PostgreSQL pass, without the corpus to keep it short. Like the outage test it
needs pg_createcluster and the rights to use it, and Redis; without them it skips, unless
IJTECH_REQUIRE_PG_CLUSTER=1 (as .ci/run sets), where that is a failure.
"""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.test_outage_pg_cluster import _unavailable, free_port

pytestmark = pytest.mark.pg_cluster

CACHE_URL = "redis://127.0.0.1:6379/3"


def test_a_record_published_on_the_primary_is_served_through_the_replica():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://...)")
    for tool in ("pg_createcluster", "pg_basebackup", "redis-cli"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed (postgresql-common, redis-tools)")
    if os.geteuid() != 0:
        _unavailable("creating PostgreSQL clusters needs root")
    ping = subprocess.run(["redis-cli", "-u", CACHE_URL, "PING"], capture_output=True, text=True)
    if ping.stdout.strip() != "PONG":
        _unavailable(f"Redis does not answer at {CACHE_URL}")

    primary, replica, first, second = (free_port() for _ in range(4))
    result = subprocess.run(
        [
            sys.executable, "bench/scale_demo.py", "--without-corpus",
            "--primary-port", str(primary), "--replica-port", str(replica),
            "--app-ports", f"{first},{second}", "--cache-url", CACHE_URL,
        ],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=400,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "replica in recovery: t" in out
    assert "primary sees: streaming" in out
    assert "primary says published; replica (paused) says draft" in out
    assert f":{second}/milestones/2026-scale-demo-replica-milestone/ -> 404 (read from" in out
    assert f":{second}/milestones/2026-scale-demo-replica-milestone/ -> 200" in out
    assert "shows “Scale demo: a milestone published through the primary”: True" in out
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    ports = {line.split()[2] for line in clusters.splitlines()}
    assert not ports & {str(primary), str(replica)}, "the demo's clusters were not dropped"
