"""
A real outage: the site under gunicorn on a PostgreSQL cluster of its own, which is
restarted, stopped and started again while the site keeps running.

Runs in the PostgreSQL pass. It needs pg_createcluster (postgresql-common) and the rights
to use it (root or postgres); without them it skips, unless IJTECH_REQUIRE_PG_CLUSTER=1
(as .ci/run sets), where that is a failure. The main cluster is never touched.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.pg_cluster, pytest.mark.django_db]

WORKERS = 2
SECRET = "outage-test-only-" + "k" * 50


def _unavailable(reason: str):
    if os.environ.get("IJTECH_REQUIRE_PG_CLUSTER") == "1":
        pytest.fail(f"{reason} (IJTECH_REQUIRE_PG_CLUSTER=1, so this is a failure)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sh(*command, timeout=120):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stdout}{result.stderr}"
    return result


def wait_for(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


class Cluster:
    """A throwaway PostgreSQL cluster on its own port, trusting local TCP connections."""

    def __init__(self, version: int):
        self.version = str(version)
        self.name = f"ijtech_outage_{os.getpid()}"
        self.port = free_port()

    def ctl(self, action: str, *extra):
        sh("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *extra)

    def ready(self) -> bool:
        command = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(command).returncode == 0

    def create(self):
        sh(
            "pg_createcluster", self.version, self.name, "--port", str(self.port),
            "--", "--auth=trust",
        )  # fmt: skip
        self.start()
        sh("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "ijtech")

    def start(self):
        self.ctl("start")
        wait_for(self.ready, "the cluster to accept connections")

    def stop(self):
        self.ctl("stop", "-m", "fast")

    def drop(self):
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.name], capture_output=True, timeout=120
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/ijtech"


def get(base: str, path: str):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def site(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://...)")
    if shutil.which("pg_createcluster") is None:
        _unavailable("pg_createcluster is not installed (apt-get install postgresql-common)")
    if os.geteuid() != 0 and os.environ.get("USER") != "postgres":
        _unavailable("creating a PostgreSQL cluster needs root or the postgres user")
    cluster = Cluster(connection.pg_version // 10000)
    server = None
    log_path = tmp_path / "gunicorn.log"
    try:
        cluster.create()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DEBUG"))}
        env.update(
            DJANGO_SETTINGS_MODULE="ijtech.settings_test",
            DATABASE_URL=cluster.url,
            # Connections kept between requests: a restart must still cost nobody a 500.
            DB_CONN_MAX_AGE="60",
            DEBUG="false",
            SECRET_KEY=SECRET,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
        )
        manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        migrated = subprocess.run(
            manage, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=600
        )
        assert migrated.returncode == 0, migrated.stderr
        # With records, as a site has: an empty list's count, facets and charts all come
        # from the cache of fragments (ijtech/fragments.py), so within a second of the last
        # read of the content version it would be answered without the database at all.
        loaded = subprocess.run(
            [sys.executable, "manage.py", "load_corpus", "-v0"],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert loaded.returncode == 0, loaded.stderr
        port = free_port()
        env.update(BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(WORKERS), ACCESS_LOG="")
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "ijtech/gunicorn.conf.py"],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"

        def up():
            try:
                return get(base, "/healthz")[0] == 200
            except OSError:
                return False

        wait_for(up, "gunicorn to answer", 120)
        yield cluster, base, server, log_path
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        cluster.drop()


PAGES = ["/", "/agreements/", "/milestones/", "/api/agreements/"]


def test_pages_answer_503_while_the_database_is_down_and_recover_without_a_restart(site):
    cluster, base, server, log_path = site

    # Up, with every worker holding a connection.
    for path in PAGES * WORKERS + ["/readyz"]:
        assert get(base, path)[0] == 200, path

    # Restarted while idle: kept connections are dead, and are checked before reuse.
    cluster.ctl("restart", "-m", "fast")
    wait_for(cluster.ready, "the restarted cluster")
    assert [get(base, "/agreements/")[0] for _ in range(WORKERS * 3)] == [200] * (WORKERS * 3)

    # Down.
    cluster.stop()
    for _ in range(WORKERS):
        status, headers, body = get(base, "/agreements/")
        assert status == 503, body[:500]
        assert headers["Retry-After"] == "30"
        assert "The database is not answering" in body
        status, headers, body = get(base, "/api/agreements/")
        assert status == 503
        assert headers["Content-Type"] == "application/json"
        assert headers["Retry-After"] == "30"
        assert "detail" in json.loads(body)
        assert get(base, "/healthz")[0] == 200
        assert get(base, "/readyz")[0] == 503

    # Back, with the same server process.
    cluster.start()
    for path in PAGES * WORKERS + ["/readyz"]:
        assert get(base, path)[0] == 200, path
    assert server.poll() is None

    log = log_path.read_text()
    assert "database unavailable" in log
    assert "Traceback" not in log
