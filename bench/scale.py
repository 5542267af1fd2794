"""
Side-by-side throughput: ijtech under gunicorn and Datasette on the same SQLite file.

Run with `make bench-scale` (part of `make bench`) or `.venv/bin/python bench/scale.py`.
For each size (1,000 and 100,000 generated milestones on top of the corpus) it builds a
SQLite file (cached under bench/.cache/), copies it to a temporary directory, serves the
copy with ijtech under gunicorn (DEBUG off, 2 workers) and with Datasette (from a virtualenv
of its own, bench/.venv-datasette), and drives every target with wrk. The figures, the
ratios and the targets of the scale issue (pass/fail) go to bench/results/scale-latest.json
and scale-latest.md. See bench/README.md.

A missed target is a figure, not an error: the exit status is non-zero only if the harness
itself could not run (no wrk, a server that would not start, a build that failed).
"""

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
CACHE = BENCH / ".cache"
DATASETTE_VENV = BENCH / ".venv-datasette"
# Pinned, so that runs before and after a change compare against the same Datasette.
DATASETTE = "datasette==0.65.5"
HOST = "127.0.0.1"
SIZES = (1_000, 100_000)
SEED = 0
WORKERS = 2

# The faceted milestone list with a year range, and Datasette's table view of the same
# rows: the same year range, published records only, faceted by kind and by year, the two
# facets ijtech's list draws from columns of the milestone table (see bench/README.md).
FACETED = "/milestones/?year_from=2018&year_to=2020"
DATASETTE_TABLE = "/bench/agreements_milestone"
DATASETTE_FACETED = (
    f"{DATASETTE_TABLE}?year__gte=2018&year__lte=2020&editorial_status=published"
    "&_facet=kind&_facet=year"
)

# (key, path): every public page and API list, for the 1k -> 100k cost ratio.
PAGES = [
    ("home", "/"),
    ("agreements", "/agreements/"),
    ("milestones", "/milestones/"),
    ("timeline", "/milestones/timeline/"),
    ("institutions", "/actors/"),
    ("sectors", "/sectors/"),
    ("sector", "/sectors/space/"),
    ("milestones_sector", "/milestones/?sector=space"),
    ("sources", "/sources/"),
    ("disagreements", "/disagreements/"),
    ("pledges", "/pledges/"),
    ("search", "/search/?q=semiconductor"),
    ("api_milestones", "/api/milestones/"),
    ("api_agreements", "/api/agreements/"),
    ("sitemap", "/sitemap.xml"),
    ("export_csv", "/milestones/export.csv?year=2020"),
]

# Exports hold every row their filters match, so their size grows with the corpus by
# design: their cost is judged per byte sent, and their queries, run once per chunk of 500
# rows (ijtech/exports.py), are not compared between sizes.
EXPORTS = {"export_csv"}

# The repeat view: the page a returning reader asks for again, with the validator it got.
REPEAT = FACETED
STATIC_NAME = "css/site.css"

# Targets of the issue, as ratios measured in this run.
TARGET_VS_DATASETTE = 10.0
TARGET_COST_GROWTH = 3.0
TARGET_304_VS_STATIC = 0.5
TARGET_RSS_MIB = 200.0

# Counts the status of every response, so a 304 rate is a rate of 304s and an error
# page is not mistaken for a fast page.
WRK_SCRIPT = """
-- Global, not local: thread:get() reads a thread's globals.
counts = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      io.write(string.format("bench-status %d %d\\n", status, n))
    end
  end
end
"""

MIB = 1024 * 1024


class HarnessError(Exception):
    """Something broke: the run cannot carry on (as opposed to a slow page or a missed target)."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Environment -------------------------------------------------------------------------------


def serve_env(database: Path) -> dict:
    """The environment of `make serve` (DEBUG off), on the given SQLite file."""
    env = os.environ.copy()
    env.update(
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECRET_KEY="local-bench-only-" + "0" * 50,
        DATABASE_URL=f"sqlite:///{database}",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(database: Path, *args: str) -> None:
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=serve_env(database),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise HarnessError(f"manage.py {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk not found: installing it with apt-get")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    raise HarnessError(
        "wrk is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y wrk; "
        "macOS: brew install wrk) and run again."
    )


def require_datasette() -> Path:
    """Datasette lives in a virtualenv of its own: it is not a dependency of ijtech."""
    binary = DATASETTE_VENV / "bin" / "datasette"
    stamp = DATASETTE_VENV / ".installed"
    if binary.exists() and stamp.exists() and stamp.read_text().strip() == DATASETTE:
        return binary
    log(f"installing {DATASETTE} into {DATASETTE_VENV.relative_to(ROOT)}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(DATASETTE_VENV)], check=True)
    pip = DATASETTE_VENV / "bin" / "pip"
    proc = subprocess.run(
        [str(pip), "install", "--quiet", DATASETTE], capture_output=True, text=True
    )
    if proc.returncode != 0 or not binary.exists():
        raise HarnessError(f"pip install {DATASETTE} failed:\n{proc.stderr.strip()[-1500:]}")
    stamp.write_text(DATASETTE + "\n")
    return binary


def datasette_version(binary: Path) -> str:
    proc = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return proc.stdout.strip()


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


# --- Databases ---------------------------------------------------------------------------------


def cache_key(size: int) -> str:
    """Changes whenever what the built file holds would: schema, corpus, generator, index."""
    digest = hashlib.sha256(f"{size}:{SEED}".encode())
    inputs = sorted(ROOT.glob("*/migrations/*.py"))
    inputs += sorted(path for path in (ROOT / "fixtures").rglob("*") if path.is_file())
    inputs += [
        ROOT / "agreements/management/commands/generate_corpus.py",
        ROOT / "ijtech/management/commands/load_corpus.py",
        ROOT / "ijtech/corpus.py",
        ROOT / "ijtech/search.py",
    ]
    for path in inputs:
        if path.exists():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole database."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def built_database(size: int, rebuild: bool) -> tuple[Path, dict]:
    """The cached SQLite file for `size` milestones, built first if missing or out of date."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = cache_key(size)
    path = CACHE / f"milestones-{size}-{key}.sqlite3"
    info = {"milestones_generated": size, "cache_key": key, "file": str(path.relative_to(ROOT))}
    if path.exists() and not rebuild:
        info["built"] = "cached"
        info["size_mib"] = round(path.stat().st_size / MIB, 1)
        return path, info
    for old in CACHE.glob(f"milestones-{size}-*.sqlite3"):
        old.unlink()
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    log(f"building the {size:,}-milestone database (migrate, load_corpus, generate_corpus)")
    start = time.monotonic()
    manage(partial, "migrate", "--noinput", "--verbosity", "0")
    manage(partial, "load_corpus", "--verbosity", "0")
    manage(
        partial,
        "generate_corpus",
        "--milestones",
        str(size),
        "--seed",
        str(SEED),
        "--allow-real-records",
        "--verbosity",
        "0",
    )
    checkpoint(partial)
    partial.rename(path)
    info["built"] = "now"
    info["build_seconds"] = round(time.monotonic() - start, 1)
    info["size_mib"] = round(path.stat().st_size / MIB, 1)
    log(f"built in {info['build_seconds']} s ({info['size_mib']} MiB)")
    return path, info


def count_rows(database: Path) -> dict:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("agreements_milestone", "agreements_agreement", "actors_actor")
        }


# --- Servers -----------------------------------------------------------------------------------


class Server:
    """A server process in a session of its own, so that it and its workers stop together."""

    name = ""

    def __init__(self, port: int, logfile: Path):
        self.port, self.logfile, self.proc = port, logfile, None

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict:
        return os.environ.copy()

    def start(self, ready_path: str, timeout: float = 120) -> None:
        if not port_free(self.port):
            raise HarnessError(f"port {self.port} is in use; {self.name} cannot start there")
        with self.logfile.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError(f"{self.name} exited at start; see {self.logfile}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if get(self.port, ready_path, timeout=5)["status"] < 500:
                    self.warm_up()
                    return
            time.sleep(0.3)
        self.stop()
        raise HarnessError(f"{self.name} did not answer within {timeout:.0f} s; see {self.logfile}")

    warm_up_path = None

    def warm_up(self) -> None:
        """One request per worker at once, so that no measured request is a worker's first
        (imports, templates, the database connection)."""
        if not self.warm_up_path:
            return
        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            for _ in pool.map(
                lambda _: get(self.port, self.warm_up_path, timeout=120), range(WORKERS)
            ):
                pass

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, self.stop_signal)
        try:
            # A worker inside a long SQLite query does not see the signal until the query
            # ends; it is not waited for.
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)

    stop_signal = signal.SIGTERM

    def worker_rss_mib(self) -> list[float]:
        return []

    def restart(self, ready_path: str) -> None:
        self.stop()
        # The kernel may hold the port for a moment after the listener closes.
        for _ in range(50):
            if port_free(self.port):
                break
            time.sleep(0.1)
        self.start(ready_path)


class Gunicorn(Server):
    name = "ijtech (gunicorn)"
    # Quick shutdown: a worker busy with a minute-long page is not waited for.
    stop_signal = signal.SIGQUIT
    warm_up_path = FACETED

    def __init__(self, port, logfile, database):
        super().__init__(port, logfile)
        self.database = database

    def command(self):
        return [sys.executable, "-m", "gunicorn", "-c", "ijtech/gunicorn.conf.py"]

    def env(self):
        env = serve_env(self.database)
        env.update(
            BIND=f"{HOST}:{self.port}",
            WEB_CONCURRENCY=str(WORKERS),
            # No recycling during a run: recycling every 1,000 requests would restart a
            # worker every second on the static file and reset the memory measured.
            GUNICORN_MAX_REQUESTS="0",
            ACCESS_LOG="",
            LOG_LEVEL="WARNING",
        )
        return env

    def worker_rss_mib(self) -> list[float]:
        if self.proc is None:
            return []
        rss = []
        for child in Path("/proc").glob("[0-9]*"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                status = (child / "status").read_text()
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                if int(fields["PPid"].strip()) == self.proc.pid:
                    rss.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(rss)


class Datasette(Server):
    name = "Datasette"
    warm_up_path = DATASETTE_FACETED

    def __init__(self, port, logfile, database, binary):
        super().__init__(port, logfile)
        self.database, self.binary = database, binary

    def command(self):
        # The defaults, but for the time limits: at the defaults (1 s per query, 200 ms per
        # facet) Datasette gives up on facets at 100,000 rows and serves a page without them,
        # which is not the work ijtech's list does.
        return [
            str(self.binary),
            "serve",
            str(self.database),
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--setting",
            "sql_time_limit_ms",
            "60000",
            "--setting",
            "facet_time_limit_ms",
            "60000",
        ]


# --- Requests ----------------------------------------------------------------------------------


def get(port: int, path: str, timeout: float, headers: dict | None = None) -> dict:
    """One GET, body read to the end. Raises OSError on a timeout or refused connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        start = time.perf_counter()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        size = len(response.read())
        seconds = time.perf_counter() - start
        return {
            "status": response.status,
            "seconds": round(seconds, 4),
            "bytes": size,
            "etag": response.getheader("ETag"),
            "last_modified": response.getheader("Last-Modified"),
            "cache_control": response.getheader("Cache-Control"),
            "content_type": response.getheader("Content-Type"),
        }
    finally:
        connection.close()


def parse_wrk(output: str, duration: float) -> dict:
    figures = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    figures["rps"] = float(match.group(1)) if match else 0.0
    match = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    if match:
        figures["requests"] = int(match.group(1))
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if match:
        figures["socket_errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True)
        )
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if match:
            figures[f"p{pct}_ms"] = round(float(match.group(1)) * units[match.group(2)], 2)
    statuses = {}
    for status, count in re.findall(r"^bench-status (\d+) (\d+)$", output, re.MULTILINE):
        statuses[status] = statuses.get(status, 0) + int(count)
    figures["statuses"] = statuses
    # Requests/sec counts every answer; a rate of good answers leaves error pages out.
    answered = sum(statuses.values())
    good = sum(n for status, n in statuses.items() if status in ("200", "304"))
    figures["ok_rps"] = round(figures["rps"] * good / answered, 2) if answered else 0.0
    return figures


class Runner:
    def __init__(self, args, wrk: str, workdir: Path):
        self.args, self.wrk, self.workdir = args, wrk, workdir
        self.script = workdir / "status.lua"
        self.script.write_text(WRK_SCRIPT)

    def run_wrk(self, port: int, path: str, headers: dict | None, duration: float) -> dict:
        command = [
            self.wrk,
            f"-t{self.args.threads}",
            f"-c{self.args.connections}",
            f"-d{duration:.0f}s",
            f"--timeout={self.args.wrk_timeout}s",
            "--latency",
            "-s",
            str(self.script),
        ]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://{HOST}:{port}{path}")
        proc = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
        if proc.returncode != 0:
            raise HarnessError(f"wrk failed on {path}: {proc.stderr.strip()[-500:]}")
        return parse_wrk(proc.stdout, duration) | {"wrk_seconds": duration}

    def measure(
        self, server: Server, ready_path: str, path: str, conditional=False, steady=False
    ) -> dict:
        """Probes (one GET at a time, timed), then wrk; for a page slower than the run, the
        probes only.

        The first request may fill a per-process cache, so a slow first request is followed
        by a second one, and the second decides. After wrk stops, the requests it left
        queued still run on the server; the runner waits them out (or restarts the server
        when that would take longer than a restart) so that they do not slow the next
        target down. A `steady` target (the two sides of the comparison with Datasette) runs
        long enough for about ten requests, up to three times --duration, so that a rate of
        a few requests per second is not a count of four.
        """
        row = {"path": path}
        first = self.probe(server, ready_path, path, row)
        if first is None:
            return row
        probe = first
        if self.args.duration >= first["seconds"] > 0.5:
            probe = self.probe(server, ready_path, path, row)
            if probe is None:
                return row
        row.update(
            status=probe["status"],
            first_seconds=first["seconds"],
            probe_seconds=probe["seconds"],
            bytes=probe["bytes"],
            etag=probe["etag"],
            last_modified=probe["last_modified"],
            cache_control=probe["cache_control"],
            content_type=probe["content_type"],
        )
        row["worker_rss_mib"] = server.worker_rss_mib()
        if probe["status"] != 200:
            row["note"] = f"HTTP {probe['status']}"
            return row
        headers = None
        if conditional:
            if not probe["etag"]:
                row["note"] = "no ETag"
                return row
            headers = {"If-None-Match": probe["etag"]}
            again = self.probe(server, ready_path, path, row, headers)
            if again is None:
                return row
            row["conditional_status"] = again["status"]
            row["conditional_seconds"] = again["seconds"]
            if again["status"] != 304:
                row["note"] = f"If-None-Match answered {again['status']}, not 304"
        if probe["seconds"] > self.args.duration:
            row["note"] = "slower than the run, no wrk"
            return row
        duration = self.args.duration
        if steady:
            duration = min(3 * duration, max(duration, 10 * probe["seconds"]))
        row.update(self.run_wrk(server.port, path, headers, duration))
        row["worker_rss_mib"] = server.worker_rss_mib()
        self.settle(server, ready_path, probe["seconds"])
        return row

    def probe(self, server, ready_path, path, row, headers=None) -> dict | None:
        """One GET. A request that does not finish is recorded, and the server restarted."""
        timeout = self.args.probe_timeout
        start = time.perf_counter()
        try:
            return get(server.port, path, timeout=timeout, headers=headers)
        except TimeoutError:
            note = f"one request took over {timeout:.0f} s"
        except (OSError, http.client.HTTPException) as exc:
            # gunicorn kills a worker busy for longer than its timeout: the connection drops.
            seconds = time.perf_counter() - start
            note = f"connection lost after {seconds:.0f} s ({type(exc).__name__})"
        row.update(probe_seconds=None, note=note, worker_rss_mib=server.worker_rss_mib())
        log(f"    {path}: {note}; restarting {server.name}")
        server.restart(ready_path)
        return None

    def settle(self, server: Server, ready_path: str, seconds: float) -> None:
        # wrk leaves up to one request per connection behind, run two at a time by the workers.
        queued = seconds * self.args.connections / WORKERS
        if queued > 8:
            server.restart(ready_path)
        elif queued > 0.05:
            time.sleep(queued + 0.2)


# --- One size ----------------------------------------------------------------------------------


def static_path() -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][STATIC_NAME]


def run_size(size: int, args, runner: Runner, datasette_binary: Path, tmp: Path) -> dict:
    cached, build = built_database(size, args.rebuild)
    # A copy per run: the cached file stays as built, whatever a server writes.
    database = tmp / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(cached, database)
    result = {"build": build, "rows": count_rows(database), "ijtech": {}, "datasette": {}}
    log(f"{size:,} milestones: {result['rows']}")

    ijtech = Gunicorn(args.ijtech_port, tmp / "gunicorn.log", database)
    datasette = Datasette(args.datasette_port, tmp / "datasette.log", database, datasette_binary)
    ready = static_path()
    try:
        ijtech.start(ready)
        rss_seen = []

        def measure(key, path, **kwargs):
            log(f"  ijtech {key}: {path}")
            row = runner.measure(ijtech, ready, path, **kwargs)
            result["ijtech"][key] = row
            rss_seen.extend((mib, key) for mib in row.get("worker_rss_mib") or [])
            log(f"    {summary(row)}")

        measure("faceted", FACETED, steady=True)
        measure("static", ready)
        measure("repeat_304", REPEAT, conditional=True)
        for key, path in PAGES:
            measure(key, path)
        result["rss_after_run_mib"] = ijtech.worker_rss_mib()
        peak = max(rss_seen, default=(None, None))
        result["rss_peak_mib"], result["rss_peak_after"] = peak
        ijtech.stop()
        if args.queries:
            result["queries"] = count_queries(database, result["ijtech"], args)

        datasette.start(DATASETTE_TABLE + "?_size=1")
        log(f"  datasette faceted: {DATASETTE_FACETED}")
        row = runner.measure(
            datasette, DATASETTE_TABLE + "?_size=1", DATASETTE_FACETED, steady=True
        )
        with contextlib.suppress(OSError, ValueError, http.client.HTTPException):
            row.update(datasette_checks(args.datasette_port))
        result["datasette"]["faceted"] = row
        log(f"    {summary(row)}")
    finally:
        ijtech.stop()
        datasette.stop()
        result["server_errors"] = {
            "ijtech": server_errors(ijtech.logfile),
            "datasette": server_errors(datasette.logfile),
        }
        # Kept (gitignored) for the tracebacks behind the errors counted above.
        logs = CACHE / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for server, logfile in (("gunicorn", ijtech.logfile), ("datasette", datasette.logfile)):
            if logfile.exists():
                shutil.move(logfile, logs / f"scale-{args.label}-{size}-{server}.log")
    return result


ERROR_LINE = re.compile(r"^(?:[\w.]+(?:Error|Exception)\b.*|.*WORKER TIMEOUT.*)$")


def server_errors(logfile: Path) -> dict:
    """Each distinct error a server logged (a traceback's last line), with how often."""
    counts = {}
    with contextlib.suppress(OSError):
        for line in logfile.read_text(errors="replace").splitlines():
            if ERROR_LINE.match(line):
                # gunicorn's lines start with a time and a pid: keep what follows.
                text = re.sub(r"^\[[^]]*\] \[\d+\] |\s*\(pid:\d+\)", "", line)[:200]
                counts[text] = counts.get(text, 0) + 1
    return counts


def count_queries(database: Path, rows: dict, args) -> dict:
    """SQL queries per page, counted in a child process through Django's test client.

    Pages that took longer than --queries-limit seconds over HTTP (or did not finish) are
    left out: counting them would add minutes to the run and say nothing new.
    """
    paths = {
        key: row["path"]
        for key, row in rows.items()
        if key in dict(PAGES) or key == "faceted"
        if row.get("probe_seconds") is not None and row["probe_seconds"] <= args.queries_limit
    }
    log(f"  counting queries on {len(paths)} pages")
    env = serve_env(database)
    env["ALLOWED_HOSTS"] = "testserver"
    # A process reads the content version at most once a second (CONTENT_VERSION_SECONDS):
    # whether that read falls inside the counted request depends on how long the warm-up
    # took, not on the corpus. Remembered for the whole count, it is left out of every page.
    env["CONTENT_VERSION_SECONDS"] = "3600"
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--count-queries-child", *paths.values()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"query count failed (exit {proc.returncode}): {tail}"[:300]}
    counted = json.loads(proc.stdout.strip().splitlines()[-1])
    skipped = {key: "slower than the limit" for key in rows if key not in paths}
    return {key: counted[path] for key, path in paths.items()} | {
        key: {"skipped": why}
        for key, why in skipped.items()
        if key in dict(PAGES) or key == "faceted"
    }


def count_queries_child(paths: list[str]) -> None:
    """Print, as JSON, the queries each path runs after one warm-up request."""
    import logging

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ijtech.settings")
    django.setup()
    logging.disable(logging.CRITICAL)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = {}
    for path in paths:
        drain(client.get(path))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            drain(response)
        out[path] = {"queries": len(queries.captured_queries), "status": response.status_code}
    print(json.dumps(out))


def drain(response) -> None:
    if response.streaming:
        for _ in response.streaming_content:
            pass
    response.close()


def datasette_checks(port: int) -> dict:
    """What Datasette's page computed: the row count and facets, and whether any timed out."""
    path = DATASETTE_FACETED.replace(DATASETTE_TABLE, DATASETTE_TABLE + ".json", 1)
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request("GET", path)
        data = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    facets = data.get("facet_results", {})
    return {
        "rows_matched": data.get("filtered_table_rows_count"),
        "facets": sorted(facets),
        "facets_timed_out": data.get("facets_timed_out", []),
    }


def summary(row: dict) -> str:
    parts = []
    if row.get("probe_seconds") is not None:
        parts.append(f"one request {row['probe_seconds'] * 1000:.0f} ms, {row['bytes']:,} B")
    if "rps" in row:
        parts.append(f"{row['ok_rps']:.1f} req/s ({row['statuses']})")
    if row.get("note"):
        parts.append(row["note"])
    return "; ".join(parts)


# --- Figures and targets -----------------------------------------------------------------------


def rate(row: dict | None) -> float | None:
    """Good answers per second under wrk; None when wrk did not run."""
    if not row or "ok_rps" not in row:
        return None
    return row["ok_rps"]


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 2)


def cost_growth(small: dict | None, large: dict | None, per_byte: bool = False) -> dict:
    """How much more a request (or, `per_byte`, a byte of it) costs at the large size: by
    wrk rates, else by one request."""
    small_rate, large_rate = rate(small), rate(large)
    scale = 1.0
    if per_byte:
        small_bytes, large_bytes = (small or {}).get("bytes"), (large or {}).get("bytes")
        if not small_bytes or not large_bytes:
            return {"ratio": None, "by": None, "note": "no size to divide by"}
        scale = small_bytes / large_bytes
    by = "wrk" if not per_byte else "wrk, per byte"
    if small_rate and large_rate:
        return {"ratio": round(scale * small_rate / large_rate, 2), "by": by}
    small_s = (small or {}).get("probe_seconds") if (small or {}).get("status") == 200 else None
    large_s = (large or {}).get("probe_seconds") if (large or {}).get("status") == 200 else None
    if small_s and large_s:
        by = "one request" if not per_byte else "one request, per byte"
        return {"ratio": round(scale * large_s / small_s, 2), "by": by}
    note = (large or {}).get("note") or (small or {}).get("note") or "not measured"
    return {"ratio": None, "by": None, "note": note}


def figures(sizes: dict) -> dict:
    small, large = min(sizes), max(sizes)
    out = {"vs_datasette": {}, "cost_growth": {}, "repeat_vs_static": {}}
    for size, result in sizes.items():
        ours = rate(result["ijtech"].get("faceted"))
        theirs = rate(result["datasette"].get("faceted"))
        out["vs_datasette"][size] = ratio(ours, theirs)
        repeat = result["ijtech"].get("repeat_304", {})
        static = rate(result["ijtech"].get("static"))
        repeat_rate = rate(repeat) if repeat.get("statuses", {}).get("304") else None
        out["repeat_vs_static"][size] = {
            "ratio": ratio(repeat_rate, static),
            "note": repeat.get("note"),
        }
    if small != large:
        for key, _ in [("faceted", FACETED), *PAGES]:
            out["cost_growth"][key] = cost_growth(
                sizes[small]["ijtech"].get(key),
                sizes[large]["ijtech"].get(key),
                per_byte=key in EXPORTS,
            )
    return out


def targets(sizes: dict, derived: dict) -> list[dict]:
    large = max(sizes)
    checks = []
    vs = derived["vs_datasette"].get(large)
    checks.append(
        {
            "target": f"faceted list at {large:,}: >= {TARGET_VS_DATASETTE:g}x Datasette's rate",
            "value": vs,
            "pass": vs is not None and vs >= TARGET_VS_DATASETTE,
        }
    )
    if derived["cost_growth"]:
        for key, growth in derived["cost_growth"].items():
            value = growth.get("ratio")
            what = "cost per byte" if key in EXPORTS else "cost"
            checks.append(
                {
                    "target": f"{key}: {what} grows <= {TARGET_COST_GROWTH:g}x from "
                    f"{min(sizes):,} to {large:,}",
                    "value": value,
                    "by": growth.get("by"),
                    "note": growth.get("note"),
                    "pass": value is not None and value <= TARGET_COST_GROWTH,
                }
            )
    small = min(sizes)
    if small != large:
        for key, _ in [("faceted", FACETED), *PAGES]:
            if key in EXPORTS:
                continue
            few = (sizes[small].get("queries") or {}).get(key, {}).get("queries")
            many = (sizes[large].get("queries") or {}).get(key, {}).get("queries")
            if few is None and many is None:
                continue
            checks.append(
                {
                    "target": f"{key}: same number of queries at {small:,} and {large:,}",
                    "value": f"{few if few is not None else '-'} -> "
                    f"{many if many is not None else '-'}",
                    "pass": few is not None and few == many,
                }
            )
    repeat = derived["repeat_vs_static"].get(large, {})
    checks.append(
        {
            "target": f"repeat view (If-None-Match) at {large:,}: 304s at >= "
            f"{TARGET_304_VS_STATIC:g}x the static file's rate",
            "value": repeat.get("ratio"),
            "note": repeat.get("note"),
            "pass": repeat.get("ratio") is not None and repeat["ratio"] >= TARGET_304_VS_STATIC,
        }
    )
    peak = sizes[large].get("rss_peak_mib")
    checks.append(
        {
            "target": f"RSS per worker at {large:,}: < {TARGET_RSS_MIB:g} MiB (peak seen)",
            "value": peak,
            "pass": peak is not None and peak < TARGET_RSS_MIB,
        }
    )
    return checks


# --- Output ------------------------------------------------------------------------------------


def context(args, datasette_binary: Path) -> dict:
    commit = ""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "label": args.label,
        "commit": commit,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "datasette": datasette_version(datasette_binary),
        "wrk": (wrk_version.stdout or wrk_version.stderr).splitlines()[0].strip(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "load_before": load_average(),
        "workers": WORKERS,
        "wrk_args": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
        "quick": args.quick,
    }


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def fmt(value, spec=".1f", none="-") -> str:
    if isinstance(value, str):
        return value
    return none if value is None else format(value, spec)


def cell(row: dict | None) -> str:
    """A target's req/s, or what happened instead."""
    if not row:
        return "not run"
    if "ok_rps" in row:
        bad = {s: n for s, n in row.get("statuses", {}).items() if s not in ("200", "304")}
        text = fmt(row["ok_rps"])
        return text + (f" ({bad} not 200/304)" if bad else "")
    if row.get("note") and row.get("status") == 200 and row.get("probe_seconds") is not None:
        return f"{row['note']} (one request {row['probe_seconds']:.1f} s)"
    return row.get("note") or "-"


def markdown(report: dict) -> str:
    ctx, sizes = report["context"], report["sizes"]
    order = sorted(sizes)
    lines = [
        f"# Scale benchmark: {ctx['label']}",
        "",
        f"{ctx['date']}, commit {ctx['commit']}; {ctx['cpu_count']} CPUs ({ctx['cpu_model']}); "
        f"load average {ctx['load_before']} before, {ctx.get('load_after', '-')} after; "
        f"wrk {ctx['wrk_args']}; gunicorn {ctx['workers']} workers, DEBUG off; "
        f"{ctx['datasette']}; SQLite {ctx['sqlite']}; {ctx['seconds']:.0f} s in all.",
        "",
        "## Requests per second (200 or 304 answers)",
        "",
        "| target | " + " | ".join(f"{size:,} milestones" for size in order) + " | 1k→100k cost |",
        "|---|" + "---|" * len(order) + "---|",
    ]
    growth = report["derived"]["cost_growth"]

    def growth_cell(key):
        item = growth.get(key)
        if not item:
            return "-"
        if item.get("ratio") is None:
            return item.get("note") or "-"
        suffix = "" if item.get("by") == "wrk" else f" ({item.get('by')})"
        return f"{item['ratio']:.1f}×{suffix}"

    rows = [
        ("faceted", f"ijtech `{FACETED}`"),
        ("static", "ijtech static file (whitenoise)"),
        ("repeat_304", f"ijtech repeat view, If-None-Match, `{REPEAT}`"),
        *[(key, f"ijtech `{path}`") for key, path in PAGES],
    ]
    for key, label in rows[:1]:
        cells = [cell(sizes[s]["ijtech"].get(key)) for s in order]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {growth_cell(key)} |")
    cells = [cell(sizes[s]["datasette"].get("faceted")) for s in order]
    lines.append("| Datasette, same rows, facets kind and year | " + " | ".join(cells) + " | - |")
    cells = [fmt(report["derived"]["vs_datasette"].get(s), ".2f") for s in order]
    lines.append("| **ratio ijtech / Datasette** | " + " | ".join(cells) + " | - |")
    for key, label in rows[1:]:
        cells = [cell(sizes[s]["ijtech"].get(key)) for s in order]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {growth_cell(key)} |")
    cells = []
    for s in order:
        repeat = report["derived"]["repeat_vs_static"].get(s, {})
        cells.append(fmt(repeat.get("ratio"), ".2f", none=repeat.get("note") or "-"))
    lines.append("| **ratio 304s / static file** | " + " | ".join(cells) + " | - |")
    lines += [
        "",
        "## One request (seconds, response size) and SQL queries",
        "",
        "| target | "
        + " | ".join(f"{size:,}" for size in order)
        + " | "
        + " | ".join(f"queries {size:,}" for size in order)
        + " |",
        "|---|" + "---|" * len(order) * 2,
    ]
    for key, label in rows:
        cells = []
        for s in order:
            row = sizes[s]["ijtech"].get(key)
            if not row:
                cells.append("not run")
            elif row.get("probe_seconds") is None:
                cells.append(row.get("note") or "-")
            else:
                first = row.get("first_seconds")
                warm = f" (first {first:.3f} s)" if first and first != row["probe_seconds"] else ""
                cells.append(f"{row['probe_seconds']:.3f} s{warm}, {row['bytes'] / 1024:,.0f} KiB")
        for s in order:
            counted = (sizes[s].get("queries") or {}).get(key) or {}
            cells.append(str(counted.get("queries", counted.get("skipped", "-"))))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Memory (RSS per gunicorn worker, MiB)", ""]
    for s in order:
        after = ", ".join(fmt(v) for v in sizes[s].get("rss_after_run_mib") or []) or "-"
        lines.append(
            f"- {s:,} milestones: peak seen {fmt(sizes[s].get('rss_peak_mib'))} (after "
            f"{sizes[s].get('rss_peak_after') or '-'}); after the run {after}"
        )
    lines += ["", "## Targets", ""]
    for check in report["targets"]:
        mark = "PASS" if check["pass"] else "FAIL"
        note = f" ({check['note']})" if check.get("note") else ""
        lines.append(f"- {mark} {check['target']}: {fmt(check['value'], '.2f')}{note}")
    lines += ["", "## Validators seen", ""]
    for s in order:
        row = sizes[s]["ijtech"].get("repeat_304", {})
        lines.append(
            f"- {s:,}: ETag {row.get('etag') or 'none'}; Last-Modified "
            f"{row.get('last_modified') or 'none'}; "
            f"Cache-Control {row.get('cache_control') or 'none'}"
        )
    lines += ["", "## Errors the servers logged", ""]
    for s in order:
        for side, errors in (sizes[s].get("server_errors") or {}).items():
            for text, count in errors.items():
                lines.append(f"- {s:,}, {side}: {count} × `{text}`")
    if not any(
        (sizes[s].get("server_errors") or {}).get(k) for s in order for k in ("ijtech", "datasette")
    ):
        lines.append("- none")
    datasette_rows = [sizes[s]["datasette"].get("faceted", {}) for s in order]
    lines += ["", "## Datasette's page", ""]
    for s, row in zip(order, datasette_rows, strict=True):
        lines.append(
            f"- {s:,}: {row.get('rows_matched', '-')} rows matched, facets "
            f"{row.get('facets', '-')}, timed out {row.get('facets_timed_out', '-')}"
        )
    return "\n".join(lines) + "\n"


def print_targets(checks: list[dict]) -> None:
    print("\nTargets (scale issue):")
    for check in checks:
        mark = "PASS" if check["pass"] else "FAIL"
        note = f"  ({check['note']})" if check.get("note") else ""
        print(f"  {mark}  {check['target']}: {fmt(check['value'], '.2f')}{note}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="Seconds of wrk per target.")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (-t).")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (-c).")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=list(SIZES),
        help="Generated milestones, comma-separated (default 1000,100000).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="A smoke run: 2 s of wrk per target, 10 s at most for one request.",
    )
    parser.add_argument(
        "--probe-timeout",
        type=float,
        default=30,
        help="Give up on a single request after this many seconds (the page is recorded as "
        "slower than that).",
    )
    parser.add_argument("--wrk-timeout", type=float, default=30, help="wrk's --timeout.")
    parser.add_argument("--label", default="latest", help="Results go to scale-<label>.json/.md.")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the cached databases.")
    parser.add_argument("--no-save", action="store_true", help="Print only; write no files.")
    parser.add_argument(
        "--ijtech-port", type=int, default=int(os.environ.get("BENCH_IJTECH_PORT", 8104))
    )
    parser.add_argument(
        "--datasette-port", type=int, default=int(os.environ.get("BENCH_DATASETTE_PORT", 8114))
    )
    parser.add_argument(
        "--no-queries",
        dest="queries",
        action="store_false",
        help="Do not count SQL queries per page.",
    )
    parser.add_argument(
        "--queries-limit",
        type=float,
        default=5,
        help="Count queries only on pages that answered within this many seconds.",
    )
    parser.add_argument("--count-queries-child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = min(args.duration, 2)
        args.probe_timeout = min(args.probe_timeout, 10)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.count_queries_child is not None:
        count_queries_child(args.count_queries_child)
        return 0
    started = time.monotonic()
    try:
        wrk = require_wrk()
        datasette_binary = require_datasette()
        report = {"context": context(args, datasette_binary), "sizes": {}}
        with tempfile.TemporaryDirectory(prefix="ijtech-scale-") as tmpdir:
            tmp = Path(tmpdir)
            log("collectstatic")
            manage(tmp / "unused.sqlite3", "collectstatic", "--noinput", "--verbosity", "0")
            runner = Runner(args, wrk, tmp)
            for size in sorted(args.sizes):
                report["sizes"][size] = run_size(size, args, runner, datasette_binary, tmp)
    except HarnessError as exc:
        print(f"bench/scale.py: {exc}", file=sys.stderr)
        return 1
    report["context"]["load_after"] = load_average()
    report["context"]["seconds"] = round(time.monotonic() - started, 1)
    report["derived"] = figures(report["sizes"])
    report["targets"] = targets(report["sizes"], report["derived"])
    text = markdown(report)
    print("\n" + text)
    print_targets(report["targets"])
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stem = RESULTS / f"scale-{args.label}"
        json_report = json.loads(json.dumps(report, default=str))
        Path(f"{stem}.json").write_text(json.dumps(json_report, indent=2) + "\n")
        Path(f"{stem}.md").write_text(text)
        print(f"\nWrote {stem.relative_to(ROOT)}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
