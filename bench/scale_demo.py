"""
ijtech past one machine: a PostgreSQL primary and a streaming replica, two app servers
reading from the replica, Redis as their shared cache. Run with `make scale-demo`.

It creates both clusters with pg_createcluster (the replica with pg_basebackup -R), loads
the corpus into the primary, starts two gunicorn servers with DATABASE_URL=primary and
DATABASE_REPLICA_URLS=replica, and then a reviewer signs in to the first server and
publishes a record. With the replica's replay paused, the second server still answers 404
for it, although the primary has it: public pages are read from the replica. Once replay
resumes and the replica has caught up, the second server shows the record.

Every step is printed; any failure exits non-zero. Clusters and servers are removed on
exit, however it ends. Needs root (or the postgres user), postgresql-common and Redis.
"""

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "scale-demo-only-" + "d" * 50
REVIEWER, PASSWORD = "demo-reviewer", "a-demo-only-password-7781"
SLUG = "2026-scale-demo-replica-milestone"
TITLE = "Scale demo: a milestone published through the primary"


class Failed(Exception):
    pass


STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"==> [{time.monotonic() - STARTED:5.1f} s] {message}", flush=True)


def show(message: str) -> None:
    print(f"    {message}", flush=True)


def sh(*command, env=None, timeout=300, **kwargs) -> str:
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT, **kwargs
    )
    if result.returncode != 0:
        raise Failed(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_for(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise Failed(f"timed out after {seconds:.0f} s waiting for {what}")


class Cluster:
    """A PostgreSQL cluster of its own on a loopback port, trusting local connections."""

    def __init__(self, version: str, role: str, port: int):
        self.version, self.port = version, port
        self.name = f"ijtech_demo_{role}_{os.getpid()}"
        self.data = Path(f"/var/lib/postgresql/{version}/{self.name}")
        self.created = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/ijtech"

    def create(self) -> None:
        sh(
            "pg_createcluster", self.version, self.name, "--port", str(self.port),
            "-o", "wal_level=replica",  # enough WAL for a standby to replay
            "-o", "max_wal_senders=4",
            "-o", "hot_standby=on",  # the replica answers queries while it replays
            # Throwaway clusters: not waiting for the disk makes loading the corpus fast.
            "-o", "fsync=off",
            "-o", "synchronous_commit=off",
            "--", "--auth=trust",
        )  # fmt: skip
        self.created = True
        hba = Path(f"/etc/postgresql/{self.version}/{self.name}/pg_hba.conf")
        hba.write_text(
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            "host replication all 127.0.0.1/32 trust\n"
        )

    def start(self) -> None:
        sh("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start")
        wait_for(self.ready, f"the cluster on port {self.port}")

    def ready(self) -> bool:
        command = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(command).returncode == 0

    def sql(self, query: str, database: str = "ijtech") -> str:
        return sh(
            "psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
            "-p", str(self.port), "-U", "postgres", "-d", database, "-c", query,
        ).strip()  # fmt: skip

    def drop(self) -> None:
        if self.created:
            subprocess.run(
                ["pg_dropcluster", "--stop", self.version, self.name],
                capture_output=True,
                timeout=120,
            )


class Browser:
    """Just enough of a browser for the admin: cookies (Secure ones too) and CSRF."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";")[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        connection.close()
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **form}
        return self.request("POST", path, form)


def redis_cli(url: str, *command) -> str:
    return sh("redis-cli", "-u", url, *command).strip()


def public_get(port: int, path: str):
    return Browser(port).get(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--primary-port", type=int, default=5443)
    parser.add_argument("--replica-port", type=int, default=5453)
    parser.add_argument("--app-ports", default="8103,8113", help="two ports, comma-separated")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument(
        "--without-corpus", action="store_true", help="skip loading the corpus (faster, for CI)"
    )
    args = parser.parse_args()
    app_ports = [int(port) for port in args.app_ports.split(",")]
    if len(app_ports) != 2:
        parser.error("--app-ports takes two ports")
    for tool in ("pg_createcluster", "pg_basebackup", "psql", "redis-cli"):
        if shutil.which(tool) is None:
            raise Failed(f"{tool} is not installed (postgresql-common, redis-tools)")

    version = max(os.listdir("/usr/lib/postgresql"), key=int)
    primary = Cluster(version, "primary", args.primary_port)
    replica = Cluster(version, "replica", args.replica_port)
    servers: list[subprocess.Popen] = []
    logs = Path(tempfile.mkdtemp(prefix="ijtech-scale-demo-"))
    try:
        step(f"Redis at {args.cache_url}: {redis_cli(args.cache_url, 'PING')}, emptied")
        redis_cli(args.cache_url, "FLUSHDB")

        step(f"PostgreSQL {version} primary on 127.0.0.1:{primary.port} (wal_level=replica)")
        primary.create()
        primary.start()
        primary.sql("CREATE DATABASE ijtech", database="postgres")

        # Made before the load, so that the replica replays it while it happens.
        step(f"Streaming replica on 127.0.0.1:{replica.port} (pg_basebackup -R)")
        replica.create()
        # pg_basebackup fills the new cluster's (emptied) data directory with the primary's.
        for path in replica.data.iterdir():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        sh(
            "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1",
            "-p", str(primary.port), "-U", "postgres", "-D", str(replica.data),
            "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        replica.start()
        show(f"replica in recovery: {replica.sql('SELECT pg_is_in_recovery()')}")
        show(
            "primary sees: "
            + primary.sql(
                "SELECT state || ' from ' || client_addr || ', sync_state ' || sync_state "
                "FROM pg_stat_replication"
            )
        )
        if primary.sql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1":
            raise Failed("the replica is not streaming from the primary")

        env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "DATABASE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="ijtech.settings",
            DATABASE_URL=primary.url,
            DEBUG="false",
            SECRET_KEY=SECRET,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            CACHE_URL=args.cache_url,
            LOG_LEVEL="WARNING",
        )
        python = sys.executable
        step("Schema and corpus loaded into the primary")
        sh(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
        show(f"migrated [{time.monotonic() - STARTED:.1f} s]")
        if not args.without_corpus:
            sh(python, "manage.py", "load_corpus", "-v0", env=env, timeout=600)
            show(f"corpus loaded [{time.monotonic() - STARTED:.1f} s]")
        sh(python, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
        milestones = primary.sql("SELECT count(*) FROM agreements_milestone")
        show(f"{milestones} milestones on the primary")
        count = "SELECT count(*) FROM agreements_milestone"
        wait_for(lambda: replica.sql(count) == milestones, "the replica to replay the load")
        show(f"{milestones} milestones on the replica, replayed as they were loaded")

        step("Two app servers, both on the primary with the replica for public reads")
        env.update(DATABASE_REPLICA_URLS=replica.url, WEB_CONCURRENCY="2", ACCESS_LOG="")
        for port in app_ports:
            with open(logs / f"gunicorn-{port}.log", "w") as log:
                servers.append(
                    subprocess.Popen(
                        [python, "-m", "gunicorn", "-c", "ijtech/gunicorn.conf.py"],
                        env={**env, "BIND": f"127.0.0.1:{port}"},
                        cwd=ROOT,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
        for port in app_ports:

            def up(port=port):
                try:
                    return public_get(port, "/readyz")[0] == 200
                except OSError:
                    return False

            wait_for(up, f"the app server on port {port}", 60)
            show(f"http://127.0.0.1:{port}/ ready")

        step("An editor's cited draft, and a reviewer to publish it (on the primary)")
        sh(
            python, "manage.py", "shell", "-c",
            "from django.contrib.auth.models import Group, User; "
            "from agreements.models import Milestone; "
            "from ijtech.models import Citation, Source; "
            "from ijtech.roles import REVIEWERS, ensure_roles; ensure_roles(); "
            f"u = User.objects.create_user({REVIEWER!r}, password={PASSWORD!r}, is_staff=True); "
            "u.groups.add(Group.objects.get(name=REVIEWERS)); "
            f"m = Milestone.objects.create(slug={SLUG!r}, title={TITLE!r}, kind='summit', "
            "year=2026, editorial_status='draft'); "
            "s = Source.objects.order_by('pk').first() or Source.objects.create("
            "slug='scale-demo', title='Scale demo source', kind='report'); "
            "Citation.objects.create(target=m, locator='Chapter 1', source=s)",
            env={k: v for k, v in env.items() if k != "DATABASE_REPLICA_URLS"},
        )  # fmt: skip
        pk = primary.sql(f"SELECT id FROM agreements_milestone WHERE slug = '{SLUG}'")
        show(f"draft milestone {pk} ({SLUG}), reviewer {REVIEWER}")

        detail = f"/milestones/{SLUG}/"
        first, second = app_ports
        wait_for(
            lambda: (
                replica.sql(f"SELECT count(*) FROM agreements_milestone WHERE id = {pk}") == "1"
            ),
            "the replica to replay the draft",
        )
        step("Replica replay paused, to see which database each server reads")
        replica.sql("SELECT pg_wal_replay_pause()")
        wait_for(lambda: replica.sql("SELECT pg_get_wal_replay_pause_state()") == "paused", "pause")

        step(f"The reviewer signs in on :{first} and publishes it (admin action, a POST)")
        browser = Browser(first)
        browser.get("/admin/login/")
        status, headers, _ = browser.post(
            "/admin/login/?next=/admin/", {"username": REVIEWER, "password": PASSWORD}
        )
        if status != 302 or headers["Location"] != "/admin/":
            raise Failed(f"the reviewer could not sign in ({status})")
        changelist = "/admin/agreements/milestone/"
        browser.get(changelist)
        status, headers, _ = browser.post(
            changelist, {"action": "publish", "_selected_action": pk, "index": "0"}
        )
        status, _, page = browser.get(changelist + f"?q={SLUG}")
        if "1 record(s) published." not in page:
            raise Failed(f"the admin did not publish the milestone ({status})")
        show("admin: “1 record(s) published.”")
        on_primary = primary.sql(f"SELECT editorial_status FROM agreements_milestone WHERE id={pk}")
        on_replica = replica.sql(f"SELECT editorial_status FROM agreements_milestone WHERE id={pk}")
        show(f"primary says {on_primary}; replica (paused) says {on_replica}")
        if (on_primary, on_replica) != ("published", "draft"):
            raise Failed("the primary should have the record published, the paused replica not")

        status, _, _ = public_get(second, detail)
        show(f"public GET http://127.0.0.1:{second}{detail} -> {status} (read from the replica)")
        if status != 404:
            raise Failed(f"expected 404 from the lagging replica, got {status}")
        status, _, page = browser.get(f"/admin/agreements/milestone/{pk}/change/")
        show(f"the signed-in reviewer on :{first} reads the primary: change form {status}")
        if status != 200 or "published" not in page.lower():
            raise Failed("the reviewer should see the published record on the primary")

        step("Replica replay resumed; waiting for it to reach the primary's WAL position")
        target = primary.sql("SELECT pg_current_wal_lsn()")
        replica.sql("SELECT pg_wal_replay_resume()")
        replay_started = time.monotonic()
        wait_for(
            lambda: replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t",
            "the replica to replay the publication",
        )
        show(
            f"replayed up to {target} in {time.monotonic() - replay_started:.2f} s; "
            "primary's view: "
            + primary.sql(
                "SELECT state || ', replay_lag ' || coalesce(replay_lag::text, 'none') "
                "FROM pg_stat_replication"
            )
        )

        status, _, page = public_get(second, detail)
        show(f"public GET http://127.0.0.1:{second}{detail} -> {status}")
        if status != 200 or TITLE not in page:
            raise Failed(f"the second server should now show the record ({status})")
        status, _, page = public_get(second, "/milestones/?year_from=2026&year_to=2026")
        listed = re.search(re.escape(TITLE), page) is not None
        show(f"public list on :{second} shows “{TITLE}”: {listed}")
        if not listed:
            raise Failed("the milestone list on the replica should show the record")

        for server in servers:
            if server.poll() is not None:
                raise Failed(f"an app server exited ({server.returncode}); see {logs}")
        log = "".join(p.read_text() for p in logs.iterdir())
        if "Traceback" in log:
            raise Failed(f"an app server logged a traceback:\n{log}")
        step("Done")
        return 0
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        replica.drop()
        primary.drop()
        with contextlib.suppress(Failed):
            redis_cli(args.cache_url, "FLUSHDB")
        shutil.rmtree(logs, ignore_errors=True)
        print("    (clusters, servers and the cache removed)", flush=True)


def _stop(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        sys.exit(main())
    except Failed as exc:
        print(f"FAILED: {exc}", file=sys.stderr, flush=True)
        sys.exit(1)
