"""Benchmark Palermo behind gunicorn and write docs/benchmarks.md.

Run from the project directory (/work/main), with nothing else to set up:

    .venv/bin/python bench/run.py

Options (all optional): ``--requests 2000 --seconds 10 --concurrency 4`` per measured URL,
``--workers 2`` gunicorn sync workers, ``--demo-scale VALUE`` for ``demo_data --scale``,
``--reuse-db`` to keep an existing benchmark database instead of rebuilding it,
``--output docs/benchmarks.md``. The whole run takes about three minutes on two cores.

What it does:

1. Builds a throwaway SQLite database, ``var/bench/bench.sqlite3`` (never the development
   database ``var/palermo.sqlite3``), with the ``palermo`` management commands ``migrate``,
   ``load_reference``, ``collectstatic`` and, if this installation has it, ``demo_data``;
   compiles a copy of the message catalogues into ``var/bench/locale``.
2. Starts gunicorn (sync workers, ``DEBUG`` off) on a free port of 127.0.0.1 with
   ``DJANGO_SETTINGS_MODULE=bench.settings``: Palermo's settings and URLs plus a bare view at
   ``/bench/bare/`` that returns a constant page, the ceiling every result is compared with.
3. Drives it from a second process, ``bench/load.py`` (worker processes, ``http.client``),
   once plainly and once briefly with ``Accept-Encoding: gzip`` for the transfer sizes.
4. Counts SQL queries per request in-process with Django's test Client against the same
   database (``bench/queries.py``).
5. Stops gunicorn whatever happens, writes docs/benchmarks.md and prints the table.

Raw results are kept in ``var/bench/results.json``, gunicorn's log in ``var/bench/gunicorn.log``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BENCH_VAR = ROOT / "var" / "bench"
DB_PATH = BENCH_VAR / "bench.sqlite3"
DEV_DB = ROOT / "var" / "palermo.sqlite3"
HOST = "127.0.0.1"

BARE = "/bench/bare/"
# demo_data --scale is "demo accounts per role and State"; the demo accounts share one password
# hash, so a larger scale costs only rows.
DEFAULT_NUMERIC_SCALE = "2"
URLS = [
    BARE,
    "/en/",
    "/en/states/",
    "/en/states/?instrument=untoc&status=party",
    "/ar/states/",
    "/en/states/mex/",
    "/en/instruments/",
    "/en/instruments/untoc/",
    "/en/instruments/untoc/articles/18/",
    "/en/sources/",
    "/en/directory/",
    "/en/directory/states/chn/",
    "/en/directory/authorities/1/",
    "/en/directory/search/?q=mexique",
    "/ru/directory/search/?q=%D0%BC%D0%B5%D0%BA%D1%81%D0%B8%D0%BA%D0%B0&function=receive_mla",
    "/en/directory/finder/?requesting=FRA&requested=MEX&measure=mla-f&urgent=on",
    "/api/v1/authorities",
    "/api/v1/authorities/1",
    "/healthz",
]


def log(message: str) -> None:
    print(message, flush=True)


# --- environment and management commands ------------------------------------------------


def bench_env(settings_module: str) -> dict[str, str]:
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
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    })
    return env


def palermo_command() -> list[str]:
    script = Path(sys.executable).parent / "palermo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "palermo.cli"]


def palermo(
    *args: str, check: bool = True, quiet: bool = False, settings: str = "palermo.settings"
) -> subprocess.CompletedProcess[str]:
    command = [*palermo_command(), *args]
    if not quiet:
        log("+ palermo " + " ".join(args)
            + (f"  (DJANGO_SETTINGS_MODULE={settings})" if settings != "palermo.settings" else ""))
    result = subprocess.run(command, cwd=ROOT, env=bench_env(settings),
                            capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"palermo {' '.join(args)} failed with exit code {result.returncode}")
    return result


def choose_scale(help_text: str, wanted: str | None) -> str | None:
    """The value for ``demo_data --scale``, or None if the command has no such option."""
    if "--scale" not in help_text:
        return None
    if wanted:
        return wanted
    choices = re.search(r"--scale\s+\{([^}]*)\}", help_text)
    if choices:
        return choices.group(1).split(",")[-1].strip()  # the last choice, the largest
    return DEFAULT_NUMERIC_SCALE


def prepare_database(demo_scale: str | None, all_states: bool, reuse: bool) -> dict[str, Any]:
    """Build the throwaway database; return what was done, for the report."""
    db = DB_PATH.resolve()
    if db == DEV_DB.resolve() or BENCH_VAR.resolve() not in db.parents:
        raise SystemExit(f"refusing to use {DB_PATH} as the benchmark database")
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {"reused": reuse and DB_PATH.exists(), "steps": []}
    if info["reused"]:
        log(f"Reusing {DB_PATH.relative_to(ROOT)} (--reuse-db).")
        info["demo"] = "as left by an earlier run (--reuse-db)"
        return info
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)

    for step in (("migrate", "--noinput"), ("load_reference",), ("collectstatic", "--noinput")):
        started = time.monotonic()
        palermo(*step)
        info["steps"].append({"command": "palermo " + " ".join(step),
                              "seconds": time.monotonic() - started})
    info["translations"] = compile_translations()

    help_result = palermo("help", "demo_data", check=False, quiet=True)
    if help_result.returncode != 0:
        info["demo"] = "not generated: this installation has no demo_data command"
        log("No demo_data command (palermo help demo_data failed); skipping demo data.")
        return info
    scale = choose_scale(help_result.stdout, demo_scale)
    args: tuple[str, ...] = ("demo_data",)
    if scale is not None:
        args += ("--scale", scale)
    if all_states and "--all-states" in help_result.stdout:
        args += ("--all-states",)
    started = time.monotonic()
    result = palermo(*args, check=False)
    if result.returncode != 0 and scale is not None:
        log(f"demo_data --scale {scale} failed; trying without --scale.\n{result.stderr}")
        args = ("demo_data",)
        result = palermo(*args)
    elif result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("palermo demo_data failed")
    info["steps"].append({"command": "palermo " + " ".join(args),
                          "seconds": time.monotonic() - started})
    info["demo"] = "generated with `palermo " + " ".join(args) + "`" + (
        "" if scale is not None else " (the command has no --scale option)"
    )
    return info


def compile_translations() -> list[str]:
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
        palermo("compile_translations", settings="bench.settings")
    else:
        log("No message catalogues (src/palermo/locale/*/LC_MESSAGES/*.po); pages stay English.")
    return sorted(set(languages))


# --- gunicorn ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
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
        return subprocess.Popen(command, cwd=ROOT, env=bench_env("bench.settings"),
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
             warmup: int, use_gzip: bool) -> list[dict[str, Any]]:
    command = [
        sys.executable, str(BENCH_DIR / "load.py"), "--port", str(port),
        "--requests", str(requests), "--seconds", str(seconds),
        "--concurrency", str(concurrency), "--warmup", str(warmup), *paths,
    ]
    if use_gzip:
        command.append("--gzip")
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


def count_queries(paths: list[str]) -> dict[str, Any]:
    log("+ counting SQL queries per request (Django test Client, bench.settings)")
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "queries.py"), *paths],
        cwd=ROOT, env=bench_env("bench.settings"), stdout=subprocess.PIPE, text=True, check=True,
    )
    return json.loads(result.stdout)


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


def table(plain: list[dict[str, Any]], zipped: list[dict[str, Any]],
          queries: list[dict[str, Any]]) -> str:
    bare = bare_reference(plain)
    by_path_gzip = {r["path"]: r for r in zipped}
    by_path_queries = {r["path"]: r for r in queries}
    header = (
        "| URL | Status | Requests | req/s | p50 ms | p95 ms | p99 ms | req/s ÷ bare | "
        "p50 ÷ bare | SQL queries | Body bytes | Bytes sent, gzip asked | gzip -6 would be |"
    )
    lines = [header, "|" + "|".join(["---"] + ["--:"] * 12) + "|"]
    for r in plain:
        z = by_path_gzip.get(r["path"], {})
        q = by_path_queries.get(r["path"], {})
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
        sql = "—"
        if q:
            sql = str(q["queries"])
            if q["queries_cold"] != q["queries"]:
                sql += f" (first: {q['queries_cold']})"
        label = r.get("label") or f"`{r['path']}`"
        lines.append(
            f"| {label} | {status} | {r['requests']:,} | {r['rps']:,.0f} | "
            f"{fmt_ms(r['p50_ms'])} | {fmt_ms(r['p95_ms'])} | {fmt_ms(r['p99_ms'])} | "
            f"{r['rps'] / bare['rps']:.2f} | {r['p50_ms'] / bare['p50_ms']:.1f}× | {sql} | "
            f"{fmt_bytes(r['body_bytes'])} | {sent} | "
            f"{fmt_bytes(z['gzip6_bytes']) if z else '—'} |"
        )
    return "\n".join(lines)


def render(*, started: dt.datetime, total_seconds: float, args: argparse.Namespace,
           machine: dict[str, str], db_info: dict[str, Any], database: dict[str, Any],
           plain: list[dict[str, Any]], zipped: list[dict[str, Any]],
           queries: list[dict[str, Any]], warnings: list[str]) -> str:
    rows = database["rows"]
    data_rows = ", ".join(
        f"{name.split('.')[-1]} {count:,}" for name, count in sorted(rows.items())
        if count and not name.split(".")[-1].startswith("Historical")
    ) or "none"
    setup = "; ".join(f"`{s['command']}` {s['seconds']:.1f} s" for s in db_info["steps"])
    compressed = any("gzip" in r["content_encodings"] for r in zipped)
    load = db_info["load"]
    parts = [
        "# Benchmarks",
        "",
        "Generated by `.venv/bin/python bench/run.py` (run from the project directory); "
        "do not edit by hand, run it again.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the whole run took {total_seconds:.0f} s.",
        f"- Machine: {machine['nproc']} CPUs (nproc; {machine['cpus_usable']} usable), "
        f"{machine['cpu']}; {machine['system']}. Load average (1 min) {load['before'][0]:.1f} "
        f"before the run, {load['after'][0]:.1f} after it: other work on the machine competes "
        "with the benchmark when these exceed zero by much.",
        f"- Software: Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}.",
        f"- Database: SQLite {database['version']}, a throwaway file "
        f"(`{DB_PATH.relative_to(ROOT)}`) rebuilt by each run"
        + (" — this time reused (`--reuse-db`)" if db_info["reused"] else "")
        + ".",
        f"- Data: the real reference data (`load_reference`); fictional demo data "
        f"{db_info['demo']}. Rows: {data_rows}.",
    ]
    if setup:
        parts.append(f"- Setup: {setup}.")
    if db_info.get("translations"):
        parts.append("- Translations: a copy of `src/palermo/locale` compiled into "
                     "`var/bench/locale` (`bench.settings` reads it) for "
                     + ", ".join(db_info["translations"]) + ".")
    parts += [
        "",
        "## Method",
        "",
        f"gunicorn {machine['gunicorn']} serves Palermo on 127.0.0.1 with {args.workers} sync "
        "workers, `DEBUG` off (`PALERMO_ENV=development`, `PALERMO_DEBUG=false`), "
        "`DJANGO_SETTINGS_MODULE=bench.settings`: Palermo's settings and URLs plus a bare view, "
        f"`{BARE}`, that returns a constant {plain[0]['body_bytes']}-byte HTML page through the "
        "full middleware stack without touching the database or a template. It is the ceiling "
        "every other figure is compared with. Log level WARNING; no Redis (local-memory cache). "
        "The database is given by `DATABASE_URL`, so the SQLite options of Palermo's default "
        "configuration (WAL journal, immediate transactions) do not apply; the measured pages "
        "only read.",
        "",
        "A second process, `bench/load.py`, drives the server: for each URL, "
        f"{args.warmup} warm-up requests that are not recorded, then {args.concurrency} client "
        f"processes send `GET` requests over `http.client` connections until {args.requests:,} "
        f"requests have been answered or {args.seconds:g} s have passed, whichever comes first. "
        "Latency is measured from sending the request to reading the last byte of the body; "
        "req/s is requests answered divided by the wall time of the measured phase. "
        "gunicorn's sync workers close the connection after every response, so each request "
        "also pays for a new loopback TCP connection. The client and the server share the "
        "same CPUs.",
        "",
        "Sizes: *Body bytes* is the uncompressed response body. A second, shorter pass "
        f"({args.gzip_requests} requests per URL) sends `Accept-Encoding: gzip`; *Bytes sent, "
        "gzip asked* is the body as it came over the wire then, and *gzip -6 would be* the "
        "body compressed by the client for comparison. Headers are not counted.",
        "",
        "SQL queries per request are counted separately, in-process, with Django's test "
        "Client and `CaptureQueriesContext` against the same database and settings: each URL "
        "is requested twice and the second (warm) request is counted; where the first "
        "request differed, its count is given as *first*.",
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
    ]
    notes = list(warnings)
    if not compressed:
        notes.append(
            "The server sent every response uncompressed although the client asked for gzip: "
            "Palermo has no `GZipMiddleware` (WhiteNoise compresses static files only), so "
            "pages travel at their full size unless a proxy in front compresses them."
        )
    if notes:
        parts += ["", "## Notes from this run", ""]
        parts += [f"- {note}" for note in notes]
    return "\n".join(parts) + "\n"


def check_results(plain: list[dict[str, Any]], queries: list[dict[str, Any]],
                  database: dict[str, Any], db_info: dict[str, Any]) -> list[str]:
    warnings = []
    load = db_info["load"]["before"][0]
    if load > 0.5 * (os.cpu_count() or 1):
        warnings.append(
            f"The machine was busy before the run (load average {load:.1f} on "
            f"{os.cpu_count()} CPUs): absolute figures are lower than on a quiet machine, "
            "and even the ratios are less reliable."
        )
    if database["debug"]:
        warnings.append("DEBUG was on in the measured settings; the figures are not valid.")
    bare = [r for r in plain if r["path"] == BARE]
    if len(bare) == 2 and abs(bare[0]["rps"] - bare[1]["rps"]) > 0.2 * max(bare[0]["rps"], 1):
        warnings.append(
            f"The bare view's throughput drifted from {bare[0]['rps']:.0f} to "
            f"{bare[1]['rps']:.0f} req/s during the run; the machine was not quiet."
        )
    for r in plain:
        bad = {k: v for k, v in r["statuses"].items() if not k.startswith("2")}
        if bad or r["errors"]:
            warnings.append(f"`{r['path']}` answered {bad or ''} {r['errors'] or ''}".strip())
        if r["wire_sizes_seen"] > 1:
            warnings.append(f"`{r['path']}` varied in size between responses "
                            f"({r['wire_sizes_seen']} different sizes); the most common is shown.")
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
    parser.add_argument("--requests", type=int, default=2000, help="requests per URL")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per URL")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--warmup", type=int, default=40, help="unrecorded requests per URL")
    parser.add_argument("--gzip-requests", type=int, default=50,
                        help="requests per URL in the gzip pass")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--demo-scale", default=None,
                        help="value for demo_data --scale (default: the largest choice if it "
                        f"lists choices, else {DEFAULT_NUMERIC_SCALE})")
    parser.add_argument("--demo-all-states", action="store_true",
                        help="pass --all-states to demo_data (slow: an account costs ~0.5 s)")
    parser.add_argument("--reuse-db", action="store_true",
                        help="keep var/bench/bench.sqlite3 if it exists")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)

    started = dt.datetime.now(dt.UTC)
    clock = time.monotonic()
    load_before = os.getloadavg()
    db_info = prepare_database(args.demo_scale, args.demo_all_states, args.reuse_db)

    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        wait_until_up(server, port)
        log(f"+ load: {args.requests} requests or {args.seconds:g} s per URL, "
            f"concurrency {args.concurrency}")
        plain = run_load(port, [*URLS, BARE], requests=args.requests, seconds=args.seconds,
                         concurrency=args.concurrency, warmup=args.warmup, use_gzip=False)
        log(f"+ load with Accept-Encoding: gzip, {args.gzip_requests} requests per URL")
        zipped = run_load(port, URLS, requests=args.gzip_requests, seconds=2.0,
                          concurrency=args.concurrency, warmup=0, use_gzip=True)
    finally:
        stop_gunicorn(server)

    measured = count_queries(URLS)
    queries, database = measured["queries"], measured["database"]
    plain[-1]["label"] = f"`{BARE}` again, at the end"
    db_info["load"] = {"before": load_before, "after": os.getloadavg()}
    warnings = check_results(plain, queries, database, db_info)
    total = time.monotonic() - clock
    (BENCH_VAR / "results.json").write_text(json.dumps({
        "started": started.isoformat(), "seconds": total, "db": db_info,
        "database": database, "plain": plain, "gzip": zipped, "queries": queries,
    }, indent=1))
    report = render(started=started, total_seconds=total, args=args, machine=versions(),
                    db_info=db_info, database=database, plain=plain, zipped=zipped,
                    queries=queries, warnings=warnings)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    log("")
    log(table(plain, zipped, queries))
    for warning in warnings:
        log(f"! {warning}")
    log(f"\nWrote {args.output} in {total:.0f} s.")


if __name__ == "__main__":
    main()
