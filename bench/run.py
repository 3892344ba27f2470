"""Benchmark Palermo behind gunicorn and write docs/benchmarks.md.

Run from the project directory (/work/main), with nothing else to set up:

    .venv/bin/python bench/run.py                  # the directory at scale, on SQLite
    .venv/bin/python bench/run.py --scale small    # a quick run on a small data set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/palermo_bench .venv/bin/python bench/run.py

Options (all optional): ``--scale full|small`` (the data set, and the default load per URL),
``--requests N --seconds S --concurrency C --warmup W --gzip-requests G`` per measured URL,
``--workers 2`` gunicorn sync workers, ``--reuse-db`` to keep the benchmark database of an
earlier run instead of rebuilding it, ``--output docs/benchmarks.md``. At full scale the whole
run takes about ten minutes on two cores; ``--scale small`` about three.

What it does:

1. Builds a throwaway database with the ``palermo`` management commands ``migrate``,
   ``load_reference``, ``collectstatic`` and ``demo_data`` (at full scale: every State, 101
   fictional authorities each, three contact persons per authority, five profile sections per
   State: about 20,000 authorities and 60,000 contacts), and compiles a copy of the message
   catalogues into ``var/bench/locale``. The database is ``var/bench/bench.sqlite3`` (never the
   development database), or, when ``DATABASE_URL`` names a PostgreSQL database whose name
   contains "bench", that database, dropped and created again (the user needs CREATEDB).
2. Starts gunicorn (sync workers, ``DEBUG`` off) on a free port of 127.0.0.1 with
   ``DJANGO_SETTINGS_MODULE=bench.settings``: Palermo's settings and URLs plus a bare view at
   ``/bench/bare/`` that returns a constant page, the ceiling every result is compared with.
3. Drives it from a second process, ``bench/load.py`` (worker processes, ``http.client``),
   once plainly and once briefly with ``Accept-Encoding: gzip`` for the transfer sizes.
4. Counts SQL queries per request in-process with Django's test Client against the same
   database (``bench/queries.py``): the first request of a fresh process and a warm one.
5. Stops gunicorn whatever happens, writes docs/benchmarks.md, with the targets of the
   directory issue checked against the figures, and prints the tables.

Raw results are kept in ``var/bench/results.json``, gunicorn's log in ``var/bench/gunicorn.log``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BENCH_VAR = ROOT / "var" / "bench"
DB_PATH = BENCH_VAR / "bench.sqlite3"
DEV_DB = ROOT / "var" / "palermo.sqlite3"
HOST = "127.0.0.1"
BARE = "/bench/bare/"
AUTHORITY = "{authority}"  # replaced by the public authority bench/queries.py --pick chooses


@dataclass(frozen=True)
class Scale:
    demo_args: tuple[str, ...]
    description: str
    requests: int
    seconds: float
    warmup: int
    gzip_requests: int


SCALES = {
    "full": Scale(("--all-states", "--authorities", "101", "--contacts", "3", "--sections", "5"),
                  "every State, 101 fictional authorities each, 3 contact persons per "
                  "authority, 5 profile sections per State", 2000, 10.0, 40, 50),
    "small": Scale(("--authorities", "5", "--contacts", "3", "--sections", "5"),
                   "the 8 demo States, 5 fictional authorities each, 3 contact persons per "
                   "authority, 5 profile sections per State", 300, 3.0, 10, 20),
}


@dataclass(frozen=True)
class Page:
    path: str
    kind: str  # what the targets call it; see TARGET_RATIOS and DIRECTORY_KINDS

    def url(self, picked: dict[str, Any]) -> str:
        return self.path.replace(AUTHORITY, str(picked.get("authority")))


def q(text: str) -> str:
    return quote(text, safe="")


PAGES = [
    Page(BARE, "bare"),
    Page("/en/", "reference"),
    Page("/en/states/", "reference"),
    Page("/ar/states/", "reference"),
    Page("/en/states/mex/", "reference"),
    Page("/en/instruments/untoc/", "reference"),
    Page("/en/instruments/untoc/articles/18/", "reference"),
    Page("/en/sources/", "reference"),
    Page("/en/directory/", "home"),
    Page("/en/directory/states/mex/", "state"),
    Page("/fr/directory/states/fra/", "state"),
    Page(f"/en/directory/authorities/{AUTHORITY}/", "authority"),
    Page(f"/ar/directory/authorities/{AUTHORITY}/", "authority"),
    Page("/en/directory/search/?q=mexique", "search"),
    Page(f"/ru/directory/search/?q={q('Мексика')}&function=receive_mla", "search"),
    Page(f"/zh-hans/directory/search/?q={q('墨西哥')}", "search"),
    Page(f"/ar/directory/search/?q={q('المكسيك')}&instrument=uncac", "search"),
    Page("/en/directory/search/?function=extradition&group=AFR&language=fr", "search"),
    Page("/en/directory/search/?q=demo", "search"),
    Page("/en/directory/finder/?requesting=FRA&requested=MEX&measure=mla-f&urgent=on", "finder"),
    Page("/api/v1/authorities", "api-list"),
    Page(f"/api/v1/authorities?q={q('墨西哥')}&function=receive_mla", "api-list"),
    Page("/api/v1/authorities?instrument=uncac&language=fr&page=3", "api-list"),
    Page(f"/api/v1/authorities/{AUTHORITY}", "api-detail"),
    Page("/healthz", "health"),
]

# The targets of the directory issue (issue 3): throughput as a fraction of the bare view's,
# at most 8 SQL queries per page or endpoint, HTML at most 20 KB gzipped.
TARGET_RATIOS = {"state": 0.40, "authority": 0.40, "search": 0.30, "finder": 0.30,
                 "api-list": 0.30}
DIRECTORY_KINDS = ["home", "state", "authority", "search", "finder", "api-list", "api-detail"]
HTML_KINDS = {"home", "state", "authority", "search", "finder"}
MAX_QUERIES = 8
MAX_HTML_GZIP = 20_000  # bytes


def log(message: str) -> None:
    print(message, flush=True)


# --- the database -------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    url: str
    vendor: str  # "sqlite" or "postgresql"

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return f"`{DB_PATH.relative_to(ROOT)}`"
        parts = urlsplit(self.url)
        return f"`{parts.path.lstrip('/')}` on {parts.hostname}:{parts.port or 5432}"


def choose_database() -> Database:
    """SQLite in var/bench/, or the PostgreSQL database DATABASE_URL names (a bench one)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return Database(f"sqlite:///{DB_PATH}", "sqlite")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database for the benchmark; "
                         "leave it unset to benchmark on var/bench/bench.sqlite3.")
    name = unquote(urlsplit(url).path.lstrip("/"))
    if "bench" not in name:
        raise SystemExit(
            f"refusing to rebuild the PostgreSQL database {name!r}: the benchmark drops and "
            "creates its database, so its name must contain 'bench' (e.g. palermo_bench)")
    return Database(url, "postgresql")


def recreate_postgres(database: Database) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database.url)
    name = unquote(parts.path.lstrip("/"))
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    log(f"+ DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def remove_sqlite() -> None:
    db = DB_PATH.resolve()
    if db == DEV_DB.resolve() or BENCH_VAR.resolve() not in db.parents:
        raise SystemExit(f"refusing to use {DB_PATH} as the benchmark database")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)


# --- environment and management commands ------------------------------------------------


DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"


def page_cache_on() -> bool:
    """Whether this run measures Palermo with its page cache (the default) or rendering."""
    return os.environ.get("PALERMO_PAGE_CACHE", "true").lower() not in {"0", "false", "no", "off"}


def bench_env(settings_module: str, database: Database) -> dict[str, str]:
    """The environment for every process of the run: development, DEBUG off, bench database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PALERMO_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PALERMO_ENV": "development",
        "PALERMO_DEBUG": "false",
        "PALERMO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PALERMO_HOME": str(ROOT),
        "PALERMO_VAR": str(BENCH_VAR),
        "PALERMO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database.url,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    })
    if "PALERMO_PAGE_CACHE" in os.environ:  # PALERMO_PAGE_CACHE=false measures rendering
        env["PALERMO_PAGE_CACHE"] = os.environ["PALERMO_PAGE_CACHE"]
    return env


def palermo_command() -> list[str]:
    script = Path(sys.executable).parent / "palermo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "palermo.cli"]


def palermo(
    database: Database, *args: str, settings: str = "palermo.settings",
) -> subprocess.CompletedProcess[str]:
    log("+ palermo " + " ".join(args)
        + (f"  (DJANGO_SETTINGS_MODULE={settings})" if settings != "palermo.settings" else ""))
    result = subprocess.run([*palermo_command(), *args], cwd=ROOT,
                            env=bench_env(settings, database),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"palermo {' '.join(args)} failed with exit code {result.returncode}")
    return result


def timed(database: Database, *args: str) -> dict[str, Any]:
    """Run a palermo command; its wall time, its process's CPU time and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = palermo(database, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"command": "palermo " + " ".join(args), "seconds": time.monotonic() - started,
            "cpu_seconds": cpu, "load_after": os.getloadavg()[0],
            "output": result.stdout.strip().splitlines()[:1]}


def prepare_database(database: Database, scale: Scale, reuse: bool) -> dict[str, Any]:
    """Build the throwaway database; return what was done, for the report."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    reused = reuse and (database.vendor != "sqlite" or DB_PATH.exists())
    info: dict[str, Any] = {"reused": reused, "steps": []}
    if reused:
        log(f"Reusing the benchmark database {database.label} (--reuse-db).")
        info["demo"] = "as left by an earlier run (--reuse-db)"
        info["translations"] = compile_translations(database)
        return info
    if database.vendor == "sqlite":
        remove_sqlite()
    else:
        recreate_postgres(database)
    for step in (("migrate", "--noinput"), ("load_reference",), ("collectstatic", "--noinput")):
        info["steps"].append(timed(database, *step))
    info["translations"] = compile_translations(database)
    demo = timed(database, "demo_data", *scale.demo_args)
    info["steps"].append(demo)
    info["demo"] = f"generated with `{demo['command']}` ({scale.description})"
    info["demo_step"] = demo
    return info


def compile_translations(database: Database) -> list[str]:
    """Copy the message catalogues to var/bench/locale and compile them there.

    ``bench.settings`` points ``LOCALE_PATHS`` at that copy, so translated pages are measured
    translated while nothing is written under src/. Returns the languages compiled.
    """
    source = ROOT / "src" / "palermo" / "locale"
    target = BENCH_VAR / "locale"
    shutil.rmtree(target, ignore_errors=True)
    languages = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        copy = target / po.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(po, copy)
        languages.append(po.parts[-3])
    if languages:
        palermo(database, "compile_translations", settings="bench.settings")
    else:
        log("No message catalogues (src/palermo/locale/*/LC_MESSAGES/*.po); pages stay English.")
    return sorted(set(languages))


def bench_script(database: Database, *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "queries.py"), *args],
        cwd=ROOT, env=bench_env("bench.settings", database), stdout=subprocess.PIPE, text=True,
        check=True,
    )
    return json.loads(result.stdout)


# --- gunicorn ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int, database: Database) -> subprocess.Popen[bytes]:
    log_path = BENCH_VAR / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "palermo.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning",
        "--error-logfile", str(log_path), "--chdir", str(ROOT),
    ]
    log(f"+ gunicorn on {HOST}:{port}, {workers} sync workers, DEBUG off "
        f"(log: {log_path.relative_to(ROOT)})")
    with log_path.open("ab") as log_file:
        return subprocess.Popen(command, cwd=ROOT, env=bench_env("bench.settings", database),
                                stdout=log_file, stderr=subprocess.STDOUT)


def wait_until_up(process: subprocess.Popen[bytes], port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}; "
                             f"see {BENCH_VAR / 'gunicorn.log'}")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", BARE)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {timeout:.0f} s")


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    log("gunicorn stopped.")


# --- measurements -----------------------------------------------------------------------


def run_load(port: int, paths: list[str], *, requests: int, seconds: float, concurrency: int,
             warmup: int, use_gzip: bool, cookies: tuple[str, ...] = ()
             ) -> list[dict[str, Any]]:
    """Drive gunicorn with bench/load.py; ``cookies`` ("name=value") go with every request."""
    command = [
        sys.executable, str(BENCH_DIR / "load.py"), "--port", str(port),
        "--requests", str(requests), "--seconds", str(seconds),
        "--concurrency", str(concurrency), "--warmup", str(warmup), *paths,
    ]
    if use_gzip:
        command.append("--gzip")
    for cookie in cookies:
        command += ["--cookie", cookie]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            stdout, _ = process.communicate()
        except BaseException:
            process.terminate()  # load.py stops its client processes on SIGTERM
            process.wait(timeout=15)
            raise
    if process.returncode != 0:
        raise SystemExit(f"bench/load.py failed with exit code {process.returncode}")
    return json.loads(stdout)


# --- report -----------------------------------------------------------------------------


def versions() -> dict[str, str]:
    import django
    import gunicorn

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count() or "?"),
        "cpus_usable": str(len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity")
        else "?",
        "cpu": cpu or platform.processor() or "unknown",
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
    }


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def fmt_bytes(value: int) -> str:
    return f"{value:,}"


def bare_reference(plain: list[dict[str, Any]]) -> dict[str, float]:
    """The bare view's figures, averaged over its measurements (start and end of the run)."""
    runs = [r for r in plain if r["path"] == BARE]
    return {key: sum(r[key] for r in runs) / len(runs) for key in ("rps", "p50_ms")}


def label(r: dict[str, Any]) -> str:
    return r.get("label") or f"`{unquote(r['path'])}`"


def sql_cell(q: dict[str, Any] | None) -> tuple[str, str]:
    if not q:
        return "—", "—"
    return str(q["queries_cold"]), str(q["queries"])


def cache_cell(r: dict[str, Any]) -> str:
    seen = {k: v for k, v in r.get("page_cache", {}).items() if k != "none"}
    if not seen:
        return "—"
    total = sum(r.get("page_cache", {}).values())
    hits = seen.get("hit", 0)
    return "hit" if hits == total else "miss" if not hits else f"hit {hits / total:.0%}"


def gzipped_size(z: dict[str, Any]) -> int:
    """What the page weighs on the wire when gzip is asked for (or would, if it were used)."""
    return int(z["wire_bytes"] if "gzip" in z["content_encodings"] else z["gzip6_bytes"])


def table(plain: list[dict[str, Any]], zipped: list[dict[str, Any]],
          queries: list[dict[str, Any]]) -> str:
    bare = bare_reference(plain)
    by_path_gzip = {r["path"]: r for r in zipped}
    by_path_queries = {r["path"]: r for r in queries}
    header = (
        "| URL | Status | Requests | req/s | p50 ms | p95 ms | p99 ms | req/s ÷ bare | "
        "p50 ÷ bare | SQL, first request | SQL, warm | Page cache | Body bytes | "
        "Bytes sent, gzip asked | gzip -6 would be | Load (1 min) |"
    )
    lines = [header, "|" + "|".join(["---"] + ["--:"] * 15) + "|"]
    for r in plain:
        z = by_path_gzip.get(r["path"], {})
        cold, warm = sql_cell(by_path_queries.get(r["path"]))
        bad = sum(v for k, v in r["statuses"].items() if not k.startswith("2"))
        bad += sum(r["errors"].values())
        status = ", ".join(r["statuses"]) or "—"
        if bad:
            status += f" ({bad} failed)"
        if z:
            sent = fmt_bytes(z["wire_bytes"])
            if "gzip" not in z["content_encodings"]:
                sent += " (not compressed)"
        else:
            sent = "—"
        lines.append(
            f"| {label(r)} | {status} | {r['requests']:,} | {r['rps']:,.0f} | "
            f"{fmt_ms(r['p50_ms'])} | {fmt_ms(r['p95_ms'])} | {fmt_ms(r['p99_ms'])} | "
            f"{r['rps'] / bare['rps']:.2f} | {r['p50_ms'] / bare['p50_ms']:.1f}× | {cold} | "
            f"{warm} | {cache_cell(r)} | {fmt_bytes(r['body_bytes'])} | {sent} | "
            f"{fmt_bytes(z['gzip6_bytes']) if z else '—'} | {r.get('load_1min', 0):.1f} |"
        )
    return "\n".join(lines)


@dataclass
class Check:
    url: str
    what: str
    value: str
    target: str
    met: bool


def check_targets(pages: list[Page], urls: list[str], plain: list[dict[str, Any]],
                  zipped: list[dict[str, Any]], queries: list[dict[str, Any]]) -> list[Check]:
    """Each directory URL against the issue's targets, from this run's figures."""
    bare = bare_reference(plain)
    first = {r["path"]: r for r in reversed(plain)}  # the first measurement of each path
    by_path_gzip = {r["path"]: r for r in zipped}
    by_path_queries = {r["path"]: r for r in queries}
    checks = []
    for page, url in zip(pages, urls, strict=True):
        if page.kind not in DIRECTORY_KINDS or url not in first:
            continue
        name = f"`{unquote(url)}`"
        ratio = first[url]["rps"] / bare["rps"]
        if page.kind in TARGET_RATIOS:
            target = TARGET_RATIOS[page.kind]
            checks.append(Check(name, "req/s ÷ bare", f"{ratio:.3f}", f"≥ {target:.2f}",
                                ratio >= target))
        q = by_path_queries.get(url)
        if q:
            worst = max(q["queries_cold"], q["queries"])
            checks.append(Check(name, "SQL queries (first, warm)",
                                f"{q['queries_cold']}, {q['queries']}", f"≤ {MAX_QUERIES}",
                                worst <= MAX_QUERIES))
        z = by_path_gzip.get(url)
        if page.kind in HTML_KINDS and z:
            size = gzipped_size(z)
            checks.append(Check(name, "HTML gzipped", f"{size:,} bytes",
                                f"≤ {MAX_HTML_GZIP:,} bytes", size <= MAX_HTML_GZIP))
    return checks


def targets_section(checks: list[Check]) -> list[str]:
    met = sum(check.met for check in checks)
    lines = [
        "## Targets",
        "",
        "The targets of the directory issue, checked by `bench/run.py` against the figures "
        "above (nothing here is written by hand): authority and State pages at least 0.40 of "
        "the bare view's throughput; search, finder and API list at least 0.30; at most "
        f"{MAX_QUERIES} SQL queries per page or endpoint, on the first request of a process and "
        f"on a warm one; HTML pages at most {MAX_HTML_GZIP:,} bytes gzipped (as sent when gzip "
        "is asked for). The directory home and the API detail have no throughput target.",
        "",
        f"**{met} of {len(checks)} checks met.**",
        "",
        "| URL | Measure | This run | Target | Met |",
        "|---|---|--:|--:|---|",
    ]
    lines += [f"| {c.url} | {c.what} | {c.value} | {c.target} | {'yes' if c.met else '**no**'} |"
              for c in checks]
    missed = [c for c in checks if not c.met]
    if missed:
        lines += ["", "Missed: " + "; ".join(f"{c.url} {c.what} {c.value} (target {c.target})"
                                             for c in missed) + "."]
    return lines


def render(*, started: dt.datetime, total_seconds: float, args: argparse.Namespace,
           scale: Scale, machine: dict[str, str], db_info: dict[str, Any],
           database: dict[str, Any], db: Database, picked: dict[str, Any],
           plain: list[dict[str, Any]], zipped: list[dict[str, Any]],
           queries: list[dict[str, Any]], checks: list[Check], warnings: list[str]) -> str:
    rows = database["rows"]
    data_rows = ", ".join(
        f"{name.split('.')[-1]} {count:,}" for name, count in sorted(rows.items())
        if count and not name.split(".")[-1].startswith("Historical")
    ) or "none"
    setup = "; ".join(f"`{s['command']}` {s['seconds']:.1f} s (CPU {s['cpu_seconds']:.1f} s)"
                      for s in db_info["steps"])
    compressed = any("gzip" in r["content_encodings"] for r in zipped)
    load = db_info["load"]
    loads = [r["load_1min"] for r in plain if "load_1min" in r]
    engine = ("SQLite " if db.vendor == "sqlite" else "") + database["version"].split(" on ")[0]
    rebuilt = "rebuilt by each run" if db.vendor == "sqlite" else "dropped and created by each run"
    parts = [
        "# Benchmarks",
        "",
        "Generated by `"
        + ("PALERMO_PAGE_CACHE=false " if not page_cache_on() else "")
        + ".venv/bin/python bench/run.py"
        + (f" --scale {args.scale}" if args.scale != "full" else "")
        + (f" --output {args.output}" if str(args.output) != str(DEFAULT_OUTPUT) else "") + "` "
        + ("with `DATABASE_URL` naming a PostgreSQL database " if db.vendor != "sqlite" else "")
        + "(run from the project directory); do not edit by hand, run it again.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the whole run took {total_seconds:.0f} s.",
        f"- Machine: {machine['nproc']} CPUs (nproc; {machine['cpus_usable']} usable), "
        f"{machine['cpu']}; {machine['system']}. Load average (1 min) {load['before'][0]:.1f} "
        f"before the run, {min(loads, default=0):.1f}–{max(loads, default=0):.1f} while the "
        f"URLs were measured, {load['after'][0]:.1f} after it: other work on the machine "
        "competes with the benchmark when these exceed zero by much.",
        f"- Software: Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}.",
        f"- Database: {engine}, {db.label}, a throwaway database {rebuilt}"
        + (" — this time reused (`--reuse-db`)" if db_info["reused"] else "") + ".",
        f"- Data (scale `{args.scale}`): the real reference data (`load_reference`); fictional "
        f"demo data {db_info['demo']}. Rows: {data_rows}.",
    ]
    if setup:
        parts.append(f"- Setup (wall time, and CPU time of the command's own process): {setup}.")
    if db_info.get("translations"):
        parts.append("- Translations: a copy of `src/palermo/locale` compiled into "
                     "`var/bench/locale` (`bench.settings` reads it) for "
                     + ", ".join(db_info["translations"]) + ".")
    if picked.get("authority"):
        parts.append(f"- The authority measured: no. {picked['authority']}, "
                     f"“{picked['authority_name']}”, public (chosen by `bench/queries.py --pick`).")
    parts += [
        "",
        "## Method",
        "",
        f"gunicorn {machine['gunicorn']} serves Palermo on 127.0.0.1 with {args.workers} sync "
        "workers, `DEBUG` off (`PALERMO_ENV=development`, `PALERMO_DEBUG=false`), "
        "`DJANGO_SETTINGS_MODULE=bench.settings`: Palermo's settings and URLs plus a bare view, "
        f"`{BARE}`, that returns a constant {plain[0]['body_bytes']}-byte HTML page through the "
        "full middleware stack without touching the database or a template. It is the ceiling "
        "every other figure is compared with. Log level WARNING; no Redis (local-memory cache, "
        "one per worker process). The database is given by `DATABASE_URL`, so the SQLite "
        "options of Palermo's default configuration (WAL journal, immediate transactions) do "
        "not apply; the measured pages only read.",
        "",
        "A second process, `bench/load.py`, drives the server: for each URL, "
        f"{args.warmup} warm-up requests that are not recorded, then {args.concurrency} client "
        f"processes send `GET` requests over `http.client` connections until {args.requests:,} "
        f"requests have been answered or {args.seconds:g} s have passed, whichever comes first. "
        "Latency is measured from sending the request to reading the last byte of the body; "
        "req/s is requests answered divided by the wall time of the measured phase. "
        "gunicorn's sync workers close the connection after every response, so each request "
        "also pays for a new loopback TCP connection. The client and the server share the "
        "same CPUs. The requests are anonymous: *Page cache* shows what Palermo's page cache "
        "answered to them (its `X-Palermo-Page-Cache` header), so a \"hit\" row measures "
        "serving a finished page, not rendering it. *Load (1 min)* is the machine's load "
        "average as the URL's measurement began.",
        "",
        "Sizes: *Body bytes* is the uncompressed response body. A second, shorter pass "
        f"({args.gzip_requests} requests per URL) sends `Accept-Encoding: gzip`; *Bytes sent, "
        "gzip asked* is the body as it came over the wire then, and *gzip -6 would be* the "
        "body compressed by the client for comparison. Headers are not counted.",
        "",
        "SQL queries per request are counted separately, in-process, with Django's test "
        "Client and `CaptureQueriesContext` against the same database and settings, in a "
        "fresh process: each URL is requested twice, and both are counted. *SQL, first "
        "request* is the first request for that URL in the process (nothing cached for it "
        "yet, as after a restart or a change of data); *SQL, warm* is the second, as a "
        "long-running worker answers it.",
        "",
        "## Results",
        "",
        table(plain, zipped, queries),
        "",
        "*req/s ÷ bare*: the page's throughput as a fraction of the bare view's (1.00 = as "
        "fast as Django can answer at all). *p50 ÷ bare*: how many times the bare view's "
        "median latency the page's median latency is. The bare view is measured first and "
        "again last; the ratios use the mean of the two, and the difference between the two "
        "rows shows how much conditions drifted during the run.",
        "",
        *targets_section(checks),
        "",
        "## How to run it",
        "",
        "```sh",
        ".venv/bin/python bench/run.py                 # about 20,000 authorities, on SQLite",
        ".venv/bin/python bench/run.py --scale small   # 40 authorities, a shorter load",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/palermo_bench .venv/bin/python "
        "bench/run.py",
        "```",
        "",
        "Without `DATABASE_URL` the run builds `var/bench/bench.sqlite3`. With it, the "
        "PostgreSQL database it names is dropped and created again, so its name must contain "
        "\"bench\" (the run refuses any other) and the user needs the CREATEDB privilege. "
        "`--reuse-db` skips the rebuild and measures the database an earlier run left; "
        "`--requests`, `--seconds`, `--concurrency`, `--warmup` and `--workers` change the "
        "load. Raw figures, with every SQL statement counted, go to `var/bench/results.json`.",
        "",
        "## How to read this",
        "",
        "Absolute times depend on the machine, its load and its CPUs; the ratios to the bare "
        "view, measured in the same run under the same conditions, travel between machines "
        "and are what to compare from one run to the next. A page whose ratio drops between "
        "two runs got slower; one whose SQL query count grows with the data (rather than "
        "staying constant) will get slower as the data grows. p95 and p99 show the tail: "
        "with more clients than workers, requests queue, so they include waiting time. "
        "Page weight matters for delegations on slow or metered connections: compare *Body "
        "bytes* with what gzip would make of it.",
        "",
        "Export, import and the printed edition are measured by `bench/documents.py`: "
        "[docs/benchmarks-documents.md](benchmarks-documents.md); the documents of the "
        "request writer by `bench/writer.py`: [docs/benchmarks-writer.md]"
        "(benchmarks-writer.md); the analysis of reporting cycles and its report by "
        "`bench/reporting.py`: [docs/benchmarks-reporting.md](benchmarks-reporting.md).",
    ]
    notes = list(warnings)
    if not compressed:
        notes.append(
            "The server sent every response uncompressed although the client asked for gzip, "
            "so pages travel at their full size unless a proxy in front compresses them."
        )
    if notes:
        parts += ["", "## Notes from this run", ""]
        parts += [f"- {note}" for note in notes]
    return "\n".join(parts) + "\n"


def check_results(plain: list[dict[str, Any]], queries: list[dict[str, Any]],
                  database: dict[str, Any], db_info: dict[str, Any]) -> list[str]:
    warnings = []
    cpus = os.cpu_count() or 1
    loads = [r["load_1min"] for r in plain if "load_1min" in r]
    busiest = max([db_info["load"]["before"][0], *loads])
    if busiest > 0.5 * cpus:
        warnings.append(
            f"The machine was busy (load average up to {busiest:.1f} on {cpus} CPUs): "
            "absolute figures are lower than on a quiet machine, and even the ratios are less "
            "reliable, since the load changed from one URL to the next."
        )
    if database["debug"]:
        warnings.append("DEBUG was on in the measured settings; the figures are not valid.")
    bare = [r for r in plain if r["path"] == BARE]
    if len(bare) == 2 and abs(bare[0]["rps"] - bare[1]["rps"]) > 0.2 * max(bare[0]["rps"], 1):
        warnings.append(
            f"The bare view's throughput drifted from {bare[0]['rps']:.0f} to "
            f"{bare[1]['rps']:.0f} req/s during the run; the machine was not quiet."
        )
    hits = [r for r in plain if r.get("page_cache", {}).get("hit")]
    if hits:
        warnings.append(
            f"{len(hits)} of the measured URLs were answered from Palermo's page cache after "
            "the warm-up: their throughput is that of serving a stored page; the *SQL, first "
            "request* column shows what rendering it costs."
        )
    for r in plain:
        bad = {k: v for k, v in r["statuses"].items() if not k.startswith("2")}
        if bad or r["errors"]:
            warnings.append(f"`{r['path']}` answered {bad or ''} {r['errors'] or ''}".strip())
        if r["wire_sizes_seen"] > 1:
            warnings.append(f"`{unquote(r['path'])}` varied in size between responses "
                            f"({r['wire_sizes_seen']} different sizes); the most common is "
                            "shown.")
    for q in queries:
        if q["status"] != 200:
            warnings.append(f"`{q['path']}` answered {q['status']} to the test Client.")
    if db_info.get("translations") == []:
        warnings.append("There were no message catalogues to compile, so the page furniture "
                        "of translated pages (e.g. `/ar/`) was in English.")
    return warnings


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so that gunicorn is stopped too


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description="Benchmark Palermo; write docs/benchmarks.md.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="full: about 20,000 authorities in 198 States (the default); "
                        "small: 40 authorities in 8 States, and a shorter load")
    parser.add_argument("--requests", type=int, help="requests per URL")
    parser.add_argument("--seconds", type=float, help="time limit per URL")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--warmup", type=int, help="unrecorded requests per URL")
    parser.add_argument("--gzip-requests", type=int, help="requests per URL in the gzip pass")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--reuse-db", action="store_true",
                        help="keep the benchmark database of an earlier run")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    for name in ("requests", "seconds", "warmup", "gzip_requests"):
        if getattr(args, name) is None:
            setattr(args, name, getattr(scale, name))

    started = dt.datetime.now(dt.UTC)
    clock = time.monotonic()
    load_before = os.getloadavg()
    db = choose_database()
    db_info = prepare_database(db, scale, args.reuse_db)
    picked = bench_script(db, "--pick")
    pages = [page for page in PAGES if AUTHORITY not in page.path or picked.get("authority")]
    urls = [page.url(picked) for page in pages]

    port = free_port()
    server = start_gunicorn(port, args.workers, db)
    try:
        wait_until_up(server, port)
        log(f"+ load: {args.requests} requests or {args.seconds:g} s per URL, "
            f"concurrency {args.concurrency}")
        plain = run_load(port, [*urls, BARE], requests=args.requests, seconds=args.seconds,
                         concurrency=args.concurrency, warmup=args.warmup, use_gzip=False)
        log(f"+ load with Accept-Encoding: gzip, {args.gzip_requests} requests per URL")
        zipped = run_load(port, urls, requests=args.gzip_requests, seconds=2.0,
                          concurrency=args.concurrency, warmup=0, use_gzip=True)
    finally:
        stop_gunicorn(server)

    log("+ counting SQL queries per request (Django test Client, bench.settings)")
    measured = bench_script(db, *urls)
    queries, database = measured["queries"], measured["database"]
    plain[-1]["label"] = f"`{BARE}` again, at the end"
    db_info["load"] = {"before": load_before, "after": os.getloadavg()}
    warnings = check_results(plain, queries, database, db_info)
    checks = check_targets(pages, urls, plain, zipped, queries)
    total = time.monotonic() - clock
    (BENCH_VAR / "results.json").write_text(json.dumps({
        "started": started.isoformat(), "seconds": total, "scale": args.scale, "db": db_info,
        "database": database, "picked": picked, "plain": plain, "gzip": zipped,
        "queries": queries, "targets": [check.__dict__ for check in checks],
    }, indent=1))
    report = render(started=started, total_seconds=total, args=args, scale=scale,
                    machine=versions(), db_info=db_info, database=database, db=db,
                    picked=picked, plain=plain, zipped=zipped, queries=queries, checks=checks,
                    warnings=warnings)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    log("")
    log(table(plain, zipped, queries))
    log("")
    log("\n".join(targets_section(checks)))
    for warning in warnings:
        log(f"! {warning}")
    log(f"\nWrote {args.output} in {total:.0f} s.")


if __name__ == "__main__":
    main()
