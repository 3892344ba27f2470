"""Benchmark the directory's documents: export, import and the printed edition.

Writes docs/benchmarks-documents.md. Run from the project directory (/work/main):

    .venv/bin/python bench/documents.py                  # about 20,000 authorities, SQLite
    .venv/bin/python bench/documents.py --scale small    # 8 States x 16 authorities
    .venv/bin/python bench/documents.py --skip-edition   # without the printed edition
    .venv/bin/python bench/documents.py --skip-edition --report var/bench/mine.md
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/palermo_bench \\
        .venv/bin/python bench/documents.py

What it does, each measured step in a child process of its own (wall time, and the peak
resident memory of that process alone, from ``os.wait4``):

1. Builds two throwaway databases with ``palermo migrate`` and ``load_reference``: an empty
   directory (the reference data, no authorities) and, from a copy of it, the full directory
   (``palermo demo_data``, at full scale the same 20,000 authorities as ``bench/run.py``). On
   SQLite they live in ``var/bench/documents/``; with ``DATABASE_URL`` naming a PostgreSQL
   database whose name contains "bench", databases named after it (``<name>_docs``,
   ``<name>_docs_empty``, ``<name>_docs_csv``, ``<name>_docs_json``) are dropped and created;
   the database ``DATABASE_URL`` names itself is left alone (``bench/run.py`` uses it).
2. Exports the whole directory, every record type, restricted entries included:
   ``palermo export_directory --edition full --format json`` and ``--format csv``.
3. Imports that export into copies of the empty directory with
   :func:`palermo.directory.exchange.importer.import_file` (what ``palermo import_directory``
   and the import page call), with the limits of ``palermo import_directory`` (500 MB by
   default, one CSV or XLSX record per 200 bytes), then imports the same file again (nothing
   may change). The whole export is imported as one file when it fits those limits; a file
   larger is refused whole, as ``palermo import_directory`` shows, and imported in parts of
   whole States that fit, one after the other in one process.
4. Writes the whole directory's public edition in English, DOCX and PDF, with
   :func:`palermo.editions.services.edition_build`, the function the background task runs,
   called synchronously; its progress (States written to the PDF) goes to
   ``var/bench/documents/edition-progress.jsonl`` as it happens.

The report is rewritten after every step, so a run stopped part-way leaves what it measured
(the JSON import comes last, after the edition, so that a run cut short still has the
edition's figures); ``--report-only`` writes it again from ``var/bench/documents/results.json``
and the edition's progress file (for an edition still being written). Everything the run
writes is under ``var/bench/`` apart from the report (``--report`` writes it elsewhere, for a
run that should not replace the published figures).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

sys.dont_write_bytecode = True  # nothing left behind under bench/ or src/

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
WORK = BENCH_VAR / "documents"
RESULTS = WORK / "results.json"
PROGRESS = WORK / "edition-progress.jsonl"
RESTRICTED = "edition_restricted"


def progress_file(key: str) -> Path:
    return PROGRESS if key == "edition" else WORK / f"{key.replace('_', '-')}-progress.jsonl"
DEV_DB = ROOT / "var" / "palermo.sqlite3"
REPORT = ROOT / "docs" / "benchmarks-documents.md"
SAFETY = 0.95  # parts are cut below the importer's limits by this factor

# The targets of issue 4 (bench/: import and PDF edition of 20,000 authorities).
TARGET_IMPORT_S = 20.0
TARGET_EDITION_S = 60.0


@dataclass(frozen=True)
class Scale:
    demo_args: tuple[str, ...]
    description: str


SCALES = {
    "full": Scale(("--all-states", "--authorities", "101", "--contacts", "3", "--sections", "5"),
                  "every State, 101 fictional authorities each, 3 contact persons per "
                  "authority, 5 profile sections per State (as `bench/run.py`)"),
    "small": Scale(("--authorities", "16", "--contacts", "3", "--sections", "5"),
                   "the 8 demo States, 16 fictional authorities each, 3 contact persons per "
                   "authority, 5 profile sections per State"),
}
COUNTED = ["Authority", "OfficeHours", "Designation", "ContactPerson", "ProfileSection",
           "ChecklistItem", "LawLink"]


def log(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


# --- databases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Databases:
    vendor: str  # "sqlite" or "postgresql"
    base_url: str  # the PostgreSQL URL given, or ""

    def path(self, role: str) -> Path:
        return WORK / f"{role}.sqlite3"

    def name(self, role: str) -> str:
        base = unquote(urlsplit(self.base_url).path.lstrip("/"))
        return f"{base}_docs" if role == "full" else f"{base}_docs_{role}"

    def url(self, role: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.path(role)}"
        return urlunsplit(urlsplit(self.base_url)._replace(path="/" + self.name(role)))

    def label(self, role: str) -> str:
        if self.vendor == "sqlite":
            return f"`{self.path(role).relative_to(ROOT)}`"
        parts = urlsplit(self.base_url)
        return f"`{self.name(role)}` on {parts.hostname}:{parts.port or 5432}"

    def remove(self, role: str) -> None:
        if self.vendor == "sqlite":
            path = self.path(role).resolve()
            if path == DEV_DB.resolve() or WORK.resolve() not in path.parents:
                raise SystemExit(f"refusing to use {path} as a benchmark database")
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            self._maintenance("DROP DATABASE IF EXISTS {} WITH (FORCE)", role)

    def create_empty(self, role: str) -> None:
        self.remove(role)
        if self.vendor == "postgresql":
            self._maintenance("CREATE DATABASE {}", role)

    def copy(self, source: str, target: str) -> None:
        """``target`` becomes a copy of ``source`` (a file copy, or a template database)."""
        self.remove(target)
        if self.vendor == "sqlite":
            shutil.copyfile(self.path(source), self.path(target))
        else:
            self._maintenance("CREATE DATABASE {} TEMPLATE {}", target, source)

    def _maintenance(self, statement: str, *roles: str) -> None:
        import psycopg
        from psycopg import sql

        parts = urlsplit(self.base_url)
        maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        query = sql.SQL(statement).format(*(sql.Identifier(self.name(r)) for r in roles))
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(query)


def choose_databases() -> Databases:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return Databases("sqlite", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database for the benchmark; "
                         "leave it unset to benchmark on SQLite under var/bench/documents/.")
    name = unquote(urlsplit(url).path.lstrip("/"))
    if "bench" not in name:
        raise SystemExit(f"refusing to benchmark next to the PostgreSQL database {name!r}: "
                         "its name must contain 'bench' (e.g. palermo_bench)")
    return Databases("postgresql", url)


# --- child processes ----------------------------------------------------------------------


def child_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PALERMO_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "palermo.settings",
        "PALERMO_ENV": "development",
        "PALERMO_DEBUG": "false",
        "PALERMO_HOME": str(ROOT),
        "PALERMO_VAR": str(WORK),
        "PALERMO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": url,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    })
    return env


def palermo_command() -> list[str]:
    script = Path(sys.executable).parent / "palermo"
    return ([sys.executable, str(script)] if script.exists()
            else [sys.executable, "-m", "palermo.cli"])


# Linux carries a process's peak RSS across fork and exec: a step started straight from this
# script would report at least this script's own memory (which holds a whole export at times).
# So each step is started by a small launcher (Python without site, a few MB) that forks it and
# reads its rusage with os.wait4.
LAUNCHER = """
import json, os, signal, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
signal.signal(signal.SIGTERM, lambda signum, frame: os.kill(pid, signal.SIGTERM))
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(name: str, command: list[str], url: str, *, check: bool = True) -> dict[str, Any]:
    """Run ``command`` as a child; its wall time, CPU time and own peak RSS (os.wait4)."""
    out, err = WORK / f"{name}.out", WORK / f"{name}.err"
    usage_file = WORK / f"{name}.rusage.json"
    usage_file.unlink(missing_ok=True)
    skip = int(command[0] == sys.executable and Path(command[1]).name == "palermo")
    shown = " ".join(Path(c).name if i == 0 else c.replace(f"{ROOT}{os.sep}", "")
                     for i, c in enumerate(command[skip:]))
    log(f"+ {shown}")
    load = os.getloadavg()[0]
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER, str(usage_file), *command], cwd=ROOT,
            env=child_env(url), stdout=stdout, stderr=stderr)
        try:
            process.wait()
        except BaseException:
            process.terminate()  # the launcher passes it on to the step
            process.wait(timeout=30)
            raise
    seconds = time.monotonic() - started
    usage = json.loads(usage_file.read_text(encoding="utf-8"))
    text = out.read_text(encoding="utf-8", errors="replace")
    errors = err.read_text(encoding="utf-8", errors="replace").rstrip()
    if errors:
        print(errors, flush=True)
    result = {"name": name, "command": shown, "seconds": seconds,
              "cpu_seconds": usage["cpu"],
              "peak_rss_mb": usage["maxrss_kb"] / 1024, "returncode": process.returncode,
              "load_1min": load, "output": text.strip(),
              "errors": errors[-2000:]}
    log(f"  {seconds:.1f} s, CPU {result['cpu_seconds']:.1f} s, peak RSS "
        f"{result['peak_rss_mb']:.0f} MB, exit {process.returncode}")
    if check and process.returncode != 0:
        raise SystemExit(f"{shown} failed with exit code {process.returncode}")
    return result


def palermo(name: str, url: str, *args: str, check: bool = True) -> dict[str, Any]:
    result = measure(name, [*palermo_command(), *args], url, check=check)
    result["output"] = result["output"][-2000:]
    return result


def child(name: str, url: str, *args: str) -> dict[str, Any]:
    """This script in child mode; its last line of output is its JSON result."""
    result = measure(name, [sys.executable, str(Path(__file__).resolve()), "--child", *args],
                     url)
    result["result"] = json.loads(result.pop("output").splitlines()[-1])
    return result


# --- the child modes (Django set up in the child) -----------------------------------------


def setup_django() -> None:
    import django

    django.setup()


def rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_limits() -> dict[str, Any]:
    """The limits of ``palermo import_directory`` (which the import is measured with), and
    those of the import page, for the report."""
    from palermo.directory.exchange import formats

    page = formats.page_max_bytes()
    return {"max_bytes": formats.COMMAND_MAX_BYTES,
            "max_records": formats.max_records(formats.COMMAND_MAX_BYTES),
            "page_max_bytes": page, "page_max_records": formats.max_records(page)}


def child_counts() -> dict[str, Any]:
    from django.apps import apps

    return {name: apps.get_model("directory", name).objects.count() for name in COUNTED}


def _csv_parts(data: bytes, max_bytes: int, max_records: int) -> list[tuple[bytes, int]]:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    state_column = header.index("state")
    by_state: dict[str, list[list[str]]] = {}
    for row in reader:
        by_state.setdefault(row[state_column], []).append(row)

    def encode(rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")

    parts: list[tuple[bytes, int]] = []
    current: list[list[str]] = []
    size = 0
    for rows in by_state.values():
        rows_size = len(encode(rows))
        if current and (len(current) + len(rows) > max_records * SAFETY
                        or size + rows_size > max_bytes * SAFETY):
            parts.append((encode(current), len(current)))
            current, size = [], 0
        current += rows
        size += rows_size
    if current:
        parts.append((encode(current), len(current)))
    return parts


def _json_records(state: dict[str, Any]) -> int:
    count = 0
    for key, children in (("authorities", ("office_hours", "designations", "contacts")),
                          ("profile_sections", ("checklist", "laws"))):
        for item in state.get(key, []):
            count += 1 + sum(len(item.get(c, [])) for c in children)
    return count


def _json_parts(data: bytes, max_bytes: int, max_records: int) -> list[tuple[bytes, int]]:
    document = json.loads(data.decode("utf-8"))
    meta = {k: v for k, v in document.items() if k != "states"}

    def encode(states: list[dict[str, Any]]) -> bytes:
        return json.dumps({**meta, "states": states}, ensure_ascii=False,
                          indent=2).encode("utf-8")

    parts: list[tuple[bytes, int]] = []
    current: list[dict[str, Any]] = []
    size = records = 0
    for state in document["states"]:
        state_size, state_records = len(encode([state])), _json_records(state)
        if current and (records + state_records > max_records * SAFETY
                        or size + state_size > max_bytes * SAFETY):
            parts.append((encode(current), records))
            current, size, records = [], 0, 0
        current.append(state)
        size += state_size
        records += state_records
    if current:
        parts.append((encode(current), records))
    return parts


def child_split(source: str, target: str, below: str = "0") -> dict[str, Any]:
    """Cut an export into files of whole States that the importer accepts (and, with
    ``below``, of at most that many records)."""
    limits = child_limits()
    path = Path(source)
    data = path.read_bytes()
    fmt = path.suffix.lstrip(".")
    splitter = _csv_parts if fmt == "csv" else _json_parts
    # JSON has no record limit in the importer, only the size limit.
    max_records = limits["max_records"] if fmt == "csv" else 10**9
    if int(below):
        max_records = min(max_records, int(int(below) / SAFETY))
    parts = splitter(data, limits["max_bytes"], max_records)
    folder = Path(target)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = []
    for index, (content, records) in enumerate(parts, start=1):
        part = folder / f"part-{index:02d}.{fmt}"
        part.write_bytes(content)
        files.append({"path": str(part), "bytes": len(content), "records": records})
    return {"limits": limits, "parts": files}


def child_import(paths: list[str]) -> dict[str, Any]:
    """Import the files one after the other, as ``palermo import_directory`` does each (with
    its limits)."""
    from palermo.directory.exchange.importer import import_file

    max_bytes = child_limits()["max_bytes"]

    parts = []
    for path in map(Path, paths):
        data = path.read_bytes()
        began, began_cpu = time.monotonic(), time.process_time()
        result = import_file(data=data, fmt=path.suffix.lstrip("."), user=None,
                             state=None, reason="bench/documents.py", max_bytes=max_bytes)
        seconds, cpu = time.monotonic() - began, time.process_time() - began_cpu
        parts.append({
            "file": path.name, "seconds": seconds, "cpu_seconds": cpu, "ok": result.ok,
            "applied": result.applied,
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged,
            "by_type": {k: vars(v) for k, v in result.counts.items()},
            "errors": [vars(e) for e in result.errors[:5]], "error_count": len(result.errors),
        })
        print(f"  {path.name}: {seconds:.1f} s, {result.created} created, {result.updated} "
              f"updated, {result.unchanged} unchanged, {len(result.errors)} errors",
              file=sys.stderr, flush=True)
        if not result.ok:
            break
    # import_file's own time over all parts (the files are read from disk before each call).
    return {"seconds": sum(p["seconds"] for p in parts),
            "cpu_seconds": sum(p["cpu_seconds"] for p in parts),
            "parts": parts, "counts": child_counts(),
            "peak_rss_mb_self": rss_mb()}


def child_edition(progress_path: str, restricted: str = "0") -> dict[str, Any]:
    """The whole directory's edition in English, written as the background task does: the
    public one (read as an anonymous visitor), or the restricted one (every entry), ordered by
    a signed-in member of a State's team (demo data makes some)."""
    from django.contrib.auth.models import AnonymousUser

    from palermo.accounts.models import User
    from palermo.directory import access
    from palermo.editions import services
    from palermo.editions.models import Edition

    reader: Any = AnonymousUser()
    if restricted == "1":
        reader = next(user for user in User.objects.filter(
            is_active=True, memberships__isnull=False).order_by("pk")[:20]
            if access.sees_restricted(user))

    progress_file = Path(progress_path)
    progress_file.unlink(missing_ok=True)
    marks: dict[str, Any] = {}
    started = time.monotonic()

    def note(event: str, **values: Any) -> None:
        entry = {"event": event, "t": round(time.monotonic() - started, 2),
                 "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 "rss_mb": round(rss_mb(), 1), **values}
        with progress_file.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")
        print(f"  edition: {json.dumps(entry)}", file=sys.stderr, flush=True)

    gather, render_docx, render_pdf = services.gather, services.render_docx, services.render_pdf

    def timed_gather(*args: Any, **kwargs: Any) -> Any:
        entries = gather(*args, **kwargs)
        marks["states"] = len(entries)
        marks["authorities"] = sum(len(e.authorities) for e in entries)
        note("gathered", states=len(entries), authorities=marks["authorities"])
        return entries

    def timed_docx(doc: Any) -> bytes:
        note("docx-start", blocks=len(doc.blocks))
        began = time.monotonic()
        data = render_docx(doc)
        marks["docx_seconds"] = time.monotonic() - began
        note("docx-done", seconds=round(marks["docx_seconds"], 2), bytes=len(data))
        return data

    def timed_pdf(document: Any, progress: Any = None) -> Any:
        began = time.monotonic()
        last = [began]

        def tracked(done: int) -> None:
            if progress is not None:
                progress(done)
            now = time.monotonic()
            if now - last[0] >= 10 or done == 0:
                last[0] = now
                note("pdf-progress", states_done=done, states=marks.get("states"),
                     pdf_seconds=round(now - began, 2))

        note("pdf-start")
        result = render_pdf(document, progress=tracked)
        marks["pdf_seconds"] = time.monotonic() - began
        marks["pages"] = result.pages
        note("pdf-done", seconds=round(marks["pdf_seconds"], 2), pages=result.pages,
             bytes=len(result.data))
        return result

    services.gather = timed_gather
    services.render_docx = timed_docx
    services.render_pdf = timed_pdf
    edition, new = services.edition_request(user=reader, scope=Edition.Scope.ALL,
                                            scope_code="", language="en",
                                            restricted=restricted == "1")
    note("ordered", new=new)
    began = time.monotonic()
    edition = services.edition_build(str(edition.pk))
    seconds = time.monotonic() - began
    note("finished", status=edition.status, seconds=round(seconds, 2))
    return {
        "seconds": seconds, "status": edition.status, "error": edition.error,
        "states": marks.get("states"), "authorities": marks.get("authorities"),
        "docx_seconds": marks.get("docx_seconds"), "pdf_seconds": marks.get("pdf_seconds"),
        "pages": marks.get("pages"),
        "docx_bytes": edition.docx.size if edition.docx else None,
        "pdf_bytes": edition.pdf.size if edition.pdf else None,
        "docx_file": edition.docx.name, "pdf_file": edition.pdf.name,
        "missing_characters": edition.missing_characters, "peak_rss_mb_self": rss_mb(),
    }


def run_child_mode(args: list[str]) -> None:
    if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
        sys.path.pop(0)  # bench/settings.py and bench/urls.py are not Palermo's
    setup_django()
    mode, rest = args[0], args[1:]
    if mode == "counts":
        result: dict[str, Any] = child_counts()
    elif mode == "limits":
        result = child_limits()
    elif mode == "split":
        result = child_split(*rest)
    elif mode == "import":
        result = child_import(rest)
    elif mode == "edition":
        result = child_edition(*rest)
    else:
        raise SystemExit(f"unknown child mode {mode!r}")
    print(json.dumps(result, default=str))


# --- the run ------------------------------------------------------------------------------


def count_records(path: Path) -> dict[str, int]:
    """Records per type in an export, read without Django."""
    counts: dict[str, int] = {}
    if path.suffix == ".csv":
        reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
        for row in reader:
            counts[row["record"]] = counts.get(row["record"], 0) + 1
        return counts
    document = json.loads(path.read_bytes().decode("utf-8"))
    keys = {"authorities": "authority", "office_hours": "office_hours",
            "designations": "designation", "contacts": "contact",
            "profile_sections": "profile_section", "checklist": "checklist_item",
            "laws": "law_link"}
    for state in document["states"]:
        for key in ("authorities", "profile_sections"):
            for item in state.get(key, []):
                counts[keys[key]] = counts.get(keys[key], 0) + 1
                for child_key in ("office_hours", "designations", "contacts", "checklist",
                                  "laws"):
                    if child_key in item:
                        counts[keys[child_key]] = (counts.get(keys[child_key], 0)
                                                   + len(item[child_key]))
    return counts


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.scale = SCALES[args.scale]
        self.dbs = choose_databases()
        self.results: dict[str, Any] = {}

    def save(self) -> None:
        RESULTS.write_text(json.dumps(self.results, indent=1, default=str), encoding="utf-8")
        write_report(self.results, self.args.report)

    def step(self, key: str, value: Any) -> None:
        self.results.setdefault("steps", {})[key] = value
        self.save()

    def prepare(self) -> None:
        dbs = self.dbs
        steps = []
        dbs.create_empty("empty")
        url = dbs.url("empty")
        steps.append(palermo("migrate", url, "migrate", "--noinput"))
        steps.append(palermo("load_reference", url, "load_reference"))
        dbs.copy("empty", "full")
        steps.append(palermo("demo_data", dbs.url("full"), "demo_data", *self.scale.demo_args))
        counts = child("counts-full", dbs.url("full"), "counts")
        empty = child("counts-empty", url, "counts")
        self.results["setup"] = {"steps": steps, "counts": counts["result"],
                                 "empty_counts": empty["result"]}
        self.save()

    def export(self, fmt: str) -> Path:
        path = WORK / "export" / f"directory-all-full.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        result = palermo(f"export-{fmt}", self.dbs.url("full"), "export_directory",
                         "--edition", "full", "--format", fmt, "--output", str(path))
        result["bytes"] = path.stat().st_size
        result["records"] = count_records(path)
        result["file"] = str(path.relative_to(ROOT))
        self.step(f"export_{fmt}", result)
        return path

    def import_(self, fmt: str, path: Path) -> None:
        role = f"import_{fmt}"
        target = fmt
        self.dbs.copy("empty", target)
        url = self.dbs.url(target)
        limits = child(f"limits-{fmt}", url, "limits")["result"]
        records = sum(self.results["steps"][f"export_{fmt}"]["records"].values())
        size = path.stat().st_size
        whole_fits = size <= limits["max_bytes"] and (
            fmt != "csv" or records <= limits["max_records"])
        result: dict[str, Any] = {"limits": limits, "whole_fits": whole_fits, "format": fmt,
                                  "split_below": self.args.split_below}
        if whole_fits and not self.args.split_below:
            files = [str(path)]
        else:
            if not whole_fits:  # what the command says to the whole file; nothing changes
                result["whole"] = palermo(f"import-{fmt}-whole", url, "import_directory",
                                          str(path), "--reason", "bench/documents.py",
                                          check=False)
            split = child(f"split-{fmt}", url, "split", str(path), str(WORK / "parts" / fmt),
                          str(self.args.split_below))
            files = [p["path"] for p in split["result"]["parts"]]
            result["parts"] = split["result"]["parts"]
        result["first"] = child(f"import-{fmt}", url, "import", *files)
        self.step(role, result)
        if fmt == "csv" or self.args.reimport_all:
            result["again"] = child(f"import-{fmt}-again", url, "import", *files)
            self.step(role, result)

    def edition(self, key: str = "edition") -> None:
        self.step(key, {"running": True,
                        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
        result = child(key.replace("_", "-"), self.dbs.url("full"), "edition",
                       str(progress_file(key)), "1" if key == RESTRICTED else "0")
        self.step(key, result)

    def add_restricted_edition(self) -> None:
        """The restricted edition, on the full directory the last run left."""
        self.results = json.loads(RESULTS.read_text(encoding="utf-8"))
        if self.results["scale"] != self.args.scale or self.dbs.vendor != "sqlite" \
                or not self.dbs.path("full").exists():
            raise SystemExit("--add-restricted-edition needs the SQLite databases of a finished "
                             "run at the same scale")
        self.results["restricted_added"] = dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds")
        self.results["load_before_restricted"] = os.getloadavg()
        self.edition(RESTRICTED)
        self.results["load_after"] = os.getloadavg()
        self.save()

    def run(self) -> None:
        started = dt.datetime.now(dt.UTC)
        clock = time.monotonic()
        WORK.mkdir(parents=True, exist_ok=True)
        for leftover in ("export", "parts", "media"):
            shutil.rmtree(WORK / leftover, ignore_errors=True)
        PROGRESS.unlink(missing_ok=True)
        self.results = {
            "started": started.isoformat(timespec="seconds"), "scale": self.args.scale,
            "scale_description": self.scale.description, "vendor": self.dbs.vendor,
            "databases": {role: self.dbs.label(role)
                          for role in ("empty", "full", "csv", "json")},
            "load_before": os.getloadavg(), "skip_edition": self.args.skip_edition,
            "machine": machine(), "finished": None, "steps": {},
        }
        self.save()
        try:
            self.prepare()
            exports = {fmt: self.export(fmt) for fmt in ("json", "csv")}
            self.import_("csv", exports["csv"])
            if not self.args.skip_edition:
                self.edition()
                if self.args.restricted_edition:
                    self.edition(RESTRICTED)
            self.import_("json", exports["json"])
        finally:
            if self.dbs.vendor == "postgresql":  # nothing left behind outside var/bench/
                log("+ dropping the benchmark's PostgreSQL databases")
                for role in ("csv", "json", "full", "empty"):
                    self.dbs.remove(role)
        self.results["load_after"] = os.getloadavg()
        self.results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.results["seconds"] = time.monotonic() - clock
        self.save()
        log(f"Wrote {self.args.report} in {self.results['seconds']:.0f} s.")


def machine() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from bench.run import versions

    return versions()


# --- the report ---------------------------------------------------------------------------


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def size(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1_000_000:,.1f} MB ({value:,} bytes)"


def read_progress(key: str = "edition") -> list[dict[str, Any]]:
    path = progress_file(key)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def import_created(step: dict[str, Any]) -> tuple[int, int, int]:
    parts = step["result"]["parts"]
    return (sum(p["created"] for p in parts), sum(p["updated"] for p in parts),
            sum(p["unchanged"] for p in parts))


def import_ok(step: dict[str, Any]) -> bool:
    return all(p["ok"] and p["applied"] for p in step["result"]["parts"])


@dataclass
class Check:
    what: str
    value: str
    target: str
    met: bool | None  # None: not checked (small scale, or not measured)


def checks(results: dict[str, Any]) -> list[Check]:
    full = results["scale"] == "full"
    steps = results.get("steps", {})
    found = []
    for fmt in ("csv", "json"):
        step = steps.get(f"import_{fmt}", {}).get("first")
        if step:
            ok = import_ok(step)
            seconds = step["result"]["seconds"]
            found.append(Check(
                f"Import of the whole directory ({fmt.upper()}, "
                f"{step['result']['counts'].get('Authority', 0):,} authorities), "
                "import_file time", f"{seconds:.1f} s" + ("" if ok else " (failed)")
                + (f" (CPU {step['result']['cpu_seconds']:.1f} s)"
                   if "cpu_seconds" in step["result"] else ""),
                f"< {TARGET_IMPORT_S:.0f} s", (seconds < TARGET_IMPORT_S and ok) if full
                else None))
            found.append(Check(f"Import ({fmt.upper()}), memory peak stated",
                               mb(step["peak_rss_mb"]), "stated", True))
    total = results.get("setup", {}).get("counts", {}).get("Authority", 0)
    for key, kind in (("edition", "public"), (RESTRICTED, "restricted")):
        edition = steps.get(key)
        if not (edition and "result" in edition):
            continue
        r = edition["result"]
        done = r["status"] == "done"
        found.append(Check(
            f"PDF edition of the whole directory, {kind} ({r.get('authorities') or 0:,} of the "
            f"{total:,} authorities), edition_build (DOCX and PDF, as the task writes them)",
            f"{r['seconds']:.1f} s" + ("" if done else f" ({r['status']})"),
            f"< {TARGET_EDITION_S:.0f} s", (r["seconds"] < TARGET_EDITION_S and done)
            if full else None))
        if r.get("pdf_seconds") is not None:
            found.append(Check(f"PDF edition, {kind}, the PDF alone (render_pdf)",
                               f"{r['pdf_seconds']:.1f} s", f"< {TARGET_EDITION_S:.0f} s",
                               r["pdf_seconds"] < TARGET_EDITION_S if full else None))
        found.append(Check(f"Edition, {kind}, memory peak stated", mb(edition["peak_rss_mb"]),
                           "stated", True))
    edition = steps.get("edition")
    if not (edition and "result" in edition):
        progress = read_progress()
        value = "not measured"
        if progress:
            value = f"not finished after {progress[-1]['t']:.0f} s"
        elif results.get("skip_edition"):
            value = "skipped (--skip-edition)"
        found.append(Check("PDF edition of the whole directory", value,
                           f"< {TARGET_EDITION_S:.0f} s",
                           False if full and progress and progress[-1]["t"] >= TARGET_EDITION_S
                           else None))
    return found


def edition_progress_note(results: dict[str, Any]) -> list[str]:
    edition = results.get("steps", {}).get("edition")
    if edition and "result" in edition:
        return []
    progress = read_progress()
    if not progress:
        return []
    last = progress[-1]
    started = edition.get("started", "?") if edition else "?"
    now = dt.datetime.now(dt.UTC)
    lines = [f"**The edition was not finished when this report was written** ({now:%H:%M:%S} "
             f"UTC; the edition was ordered at {started[11:19]} UTC, its last progress record "
             f"is of {last['at'][11:19]} UTC, {last['t']:.0f} s after the order). How far it "
             "got, from `var/bench/documents/edition-progress.jsonl`:", ""]
    for entry in progress:
        if entry["event"] == "gathered":
            lines.append(f"- read {entry['states']} States and {entry['authorities']:,} "
                         f"public authorities by {entry['t']:.1f} s "
                         f"(peak RSS so far {entry['rss_mb']:.0f} MB);")
        elif entry["event"] == "docx-start":
            lines.append(f"- built the document ({entry['blocks']:,} blocks) and began the "
                         f"DOCX at {entry['t']:.1f} s;")
        elif entry["event"] == "docx-done":
            lines.append(f"- DOCX written in {entry['seconds']:.1f} s "
                         f"({entry['bytes']:,} bytes), at {entry['t']:.1f} s;")
    pdf = [e for e in progress if e["event"] == "pdf-progress"]
    if pdf:
        p = pdf[-1]
        lines.append(f"- PDF: {p['states_done']} of {p['states']} States written in "
                     f"{p['pdf_seconds']:.0f} s (peak RSS so far {p['rss_mb']:.0f} MB).")
    return lines


def results_table(results: dict[str, Any]) -> list[str]:
    steps = results.get("steps", {})
    lines = ["| Step | Command or function | Wall time | CPU time | Peak RSS | Figures |",
             "|---|---|--:|--:|--:|---|"]

    def row(label: str, step: dict[str, Any], how: str, figures: str) -> None:
        lines.append(f"| {label} | {how} | {step['seconds']:.1f} s | "
                     f"{step['cpu_seconds']:.1f} s | {mb(step['peak_rss_mb'])} | {figures} |")

    for fmt in ("json", "csv"):
        step = steps.get(f"export_{fmt}")
        if step:
            records = step["records"]
            row(f"Export, {fmt.upper()}", step, f"`{step['command']}`",
                f"{size(step['bytes'])}; {sum(records.values()):,} records ("
                + ", ".join(f"{k} {v:,}" for k, v in records.items()) + ")")
    for fmt in ("csv", "json"):
        step = steps.get(f"import_{fmt}")
        if not step:
            continue
        whole = step.get("whole")
        if whole:
            message = " ".join((whole.get("errors") or whole["output"] or "").split())
            verdict = ("refused whole, nothing changed" if whole["returncode"]
                       else "**imported whole**")
            lines.append(f"| Import, {fmt.upper()}, whole file | `{whole['command']}` | "
                         f"{whole['seconds']:.1f} s | {whole['cpu_seconds']:.1f} s | "
                         f"{mb(whole['peak_rss_mb'])} | exit {whole['returncode']}: {verdict}"
                         + (f": “{message[:300]}”" if message else "") + " |")
        for key, label in (("first", "into the empty directory"),
                           ("again", "the same file(s) again")):
            s = step.get(key)
            if not s:
                continue
            created, updated, unchanged = import_created(s)
            parts = s["result"]["parts"]
            how = ("`import_file` on "
                   + (f"{len(parts)} parts of whole States, one process"
                      if "parts" in step else "the whole file"))
            errors = sum(p["error_count"] for p in parts)
            per_part = ", ".join(f"{p['seconds']:.1f}" for p in parts)
            figures = (f"{created:,} created, {updated:,} updated, {unchanged:,} unchanged"
                       + (f"; **{errors} errors, not applied**" if errors else "")
                       + (f"; parts took {per_part} s" if len(parts) > 1 else "")
                       + f"; import_file {s['result']['seconds']:.1f} s of the process's "
                       f"{s['seconds']:.1f} s"
                       + (f" (its CPU time {s['result']['cpu_seconds']:.1f} s)"
                          if "cpu_seconds" in s["result"] else ""))
            if key == "first":
                c = s["result"]["counts"]
                source = results.get("setup", {}).get("counts")
                figures += "; rows afterwards: " + ", ".join(f"{k} {v:,}" for k, v in c.items())
                figures += (" (as many as in the exported directory)" if c == source
                            else f" (**the exported directory has {source}**)")
            row(f"Import, {fmt.upper()}, {label}", s, how, figures)
    for key, kind in (("edition", "public"), (RESTRICTED, "restricted")):
        edition = steps.get(key)
        if not (edition and "result" in edition):
            continue
        r = edition["result"]
        gather = r["seconds"] - (r.get("docx_seconds") or 0) - (r.get("pdf_seconds") or 0)
        row(f"Edition, {kind}, English, whole directory", edition,
            "`palermo.editions.services.edition_build` (what the background task runs)",
            f"status {r['status']}; {r.get('states')} States, {r.get('authorities') or 0:,} "
            f"authorities; edition_build {r['seconds']:.1f} s: reading and building "
            f"{gather:.1f} s, DOCX {r.get('docx_seconds') or 0:.1f} s, PDF "
            f"{r.get('pdf_seconds') or 0:.1f} s")
        lines.append(f"| — DOCX | `render_docx` | {r.get('docx_seconds') or 0:.1f} s | | | "
                     f"{size(r.get('docx_bytes'))}; pages not known (Word lays them out) |")
        lines.append(f"| — PDF | `render_pdf` | {r.get('pdf_seconds') or 0:.1f} s | | | "
                     f"{size(r.get('pdf_bytes'))}; {r.get('pages') or 0:,} pages"
                     + (f"; characters it could not print: {r['missing_characters']}"
                        if r.get("missing_characters") else "") + " |")
    return lines


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB of memory"
    except (OSError, ValueError, IndexError):
        pass
    return "memory not known"


def import_limits(results: dict[str, Any]) -> str:
    """The import limits the run used, as measured by its children (older results: 20 MB)."""
    limits = next((step["limits"] for step in (results.get("steps", {}).get(f"import_{fmt}")
                                               for fmt in ("csv", "json"))
                   if step and "limits" in step), None)
    if not limits:
        return "files up to 20 MB and, in CSV and XLSX, 100,000 records"
    text = (f"files up to {limits['max_bytes'] / 1_000_000:,.0f} MB and, in CSV and XLSX, "
            f"{limits['max_records']:,} records")
    if "page_max_bytes" in limits:
        text += (f" (the import page takes {limits['page_max_bytes'] / 1_000_000:,.0f} MB and "
                 f"{limits['page_max_records']:,} records, `PALERMO_IMPORT_MAX_BYTES`)")
    return text


def write_report(results: dict[str, Any], path: Path = REPORT) -> None:
    started = dt.datetime.fromisoformat(results["started"])
    m = results["machine"]
    setup = results.get("setup", {})
    load_before = results["load_before"][0]
    load_after = results.get("load_after")
    loads: list[float] = [s["load_1min"] for s in results.get("steps", {}).values()
                          if isinstance(s, dict) and "load_1min" in s]
    for s in results.get("steps", {}).values():
        if isinstance(s, dict):
            loads += [s[k]["load_1min"] for k in ("first", "again", "whole") if k in s]
    command = ".venv/bin/python bench/documents.py" + (
        f" --scale {results['scale']}" if results["scale"] != "full" else "") + (
        " --skip-edition" if results.get("skip_edition") else "") + (
        "`, then `.venv/bin/python bench/documents.py --add-restricted-edition"
        + (f" --scale {results['scale']}" if results["scale"] != "full" else "")
        if results.get("restricted_added") else "")
    full = results["scale"] == "full"
    rows = setup.get("counts", {})
    parts = [
        "# Benchmarks: export, import and the printed edition",
        "",
        f"Generated by `{command}`"
        + (" with `DATABASE_URL` naming a PostgreSQL database" if results["vendor"] != "sqlite"
           else "")
        + " (run from the project directory); do not edit by hand, run it again. The pages "
        "and the API are measured by `bench/run.py` (docs/benchmarks.md).",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC"
        + (f"; the whole run took {results['seconds']:.0f} s." if results.get("finished")
           else "; **the run had not finished when this report was written** (see below)."),
        f"- Machine: {m['nproc']} CPUs (nproc; {m['cpus_usable']} usable), {m['cpu']}, "
        f"{memory_total()}; {m['system']}. Load average (1 min) {load_before:.1f} before the run, "
        + (f"{min(loads):.1f}–{max(loads):.1f} as the steps began, "
           if loads and f"{min(loads):.1f}" != f"{max(loads):.1f}"
           else f"{loads[0]:.1f} as the steps began, " if loads else "")
        + (f"{load_after[0]:.1f} after it" if load_after
           else f"{os.getloadavg()[0]:.1f} as this report was written")
        + ": other work on the machine competes with the benchmark when these exceed zero "
        "by much.",
        f"- Software: Python {m['python']}, Django {m['django']}.",
        f"- Databases ({'SQLite' if results['vendor'] == 'sqlite' else 'PostgreSQL'}), "
        "throwaway, rebuilt by each run: the full directory "
        f"{results['databases']['full']}; the empty directory {results['databases']['empty']} "
        f"(reference data only: {sum(setup.get('empty_counts', {}).values()):,} directory "
        f"rows), copied to {results['databases']['csv']} and {results['databases']['json']} "
        "for the imports.",
        f"- Data (scale `{results['scale']}`): the real reference data; fictional demo data, "
        f"{results['scale_description']}. Directory rows: "
        + (", ".join(f"{k} {v:,}" for k, v in rows.items()) or "not yet counted") + ".",
    ]
    if setup.get("steps"):
        parts.append("- Setup: " + "; ".join(
            f"`{s['command']}` {s['seconds']:.1f} s" for s in setup["steps"]) + ".")
    if not full:
        parts.append("- **Small scale**: a quick check of the benchmark, not the issue's "
                     "20,000 authorities; the targets are not checked.")
    parts += [
        "",
        "## Method",
        "",
        "Every measured step runs in a child process of its own, started by a small launcher "
        "(Python without site packages, a few MB) that waits for it with `os.wait4`, so that "
        "the figures are the step's own (Linux carries a process's peak memory across fork "
        "and exec, and `bench/documents.py` itself holds a whole export at times): *Wall "
        "time* is from start "
        "to exit (Python and Django start-up included, about a second or two), *CPU time* "
        "the child's user and system time, *Peak RSS* the child's own maximum resident set "
        "size (`ru_maxrss`), so no step's memory is mixed with another's. Settings: "
        "`palermo.settings`, `DEBUG` off, log level WARNING, no Redis; files under "
        "`var/bench/documents/`.",
        "",
        "- **Export**: `palermo export_directory --edition full` (run as the operator, who "
        "sees what the secretariat sees): every State, every record type, restricted "
        "entries included.",
        "- **Import**: the export, read back into a copy of the empty directory (the same "
        "reference data, no authorities) by `palermo.directory.exchange.importer.import_file` "
        "(what `palermo import_directory` and the import page call: the whole file checked, "
        "then applied in one transaction, with history records and the search index), with "
        "the limits of `palermo import_directory`: "
        + import_limits(results)
        + ". An export within them is imported whole, in one transaction; a larger one is "
        "first offered whole to `palermo import_directory` (which refuses it and changes "
        "nothing), then cut into parts of whole States below those limits, imported one "
        "after the other in one process (each part its own transaction, as each "
        "`palermo import_directory` would be; cutting is not timed). Then the same file(s) "
        "are imported again: nothing may be created or updated.",
        "- **Edition**: the whole directory's public edition (what an anonymous visitor may "
        "see) in English, ordered with `edition_request` and written with "
        "`palermo.editions.services.edition_build`, the function the background task "
        "(`palermo.editions.tasks.build_edition`) runs, called synchronously: it reads the "
        "directory, builds the document, writes the DOCX, then the PDF, and stores both. "
        "The DOCX and PDF times are taken around `render_docx` and `render_pdf` inside that "
        "call; the peak RSS is the process's, for both formats together. DOCX files have no "
        "page count until a word processor lays them out. With `--restricted-edition` (or "
        "afterwards, on the same databases, `--add-restricted-edition`) the restricted "
        "edition is written too, the same way: every entry, public and restricted, ordered "
        "by a signed-in member of a State's team from the demo data.",
        "",
        "## Results",
        "",
        *results_table(results),
    ]
    note = edition_progress_note(results)
    if note:
        parts += ["", *note]
    elif results.get("skip_edition"):
        parts += ["", "The edition was not written in this run (`--skip-edition`)."]
    found = checks(results)
    checked = [c for c in found if c.met is not None]
    parts += [
        "",
        "## Targets",
        "",
        "The targets of issue 4 for `bench/`, checked by `bench/documents.py` against the "
        f"figures above (nothing here is written by hand): import of 20,000 authorities under "
        f"{TARGET_IMPORT_S:.0f} s, the PDF edition of 20,000 authorities under "
        f"{TARGET_EDITION_S:.0f} s, on this machine, with the memory peak stated. The import "
        "is timed as the time `import_file` took over all parts (process start-up and reading "
        "the file from disk left out; its CPU time beside it, which other work on the machine "
        "changes less); "
        "the edition as the whole `edition_build` call, which writes the DOCX as well, and "
        "the PDF alone.",
        "",
        (f"**{sum(bool(c.met) for c in checked)} of {len(checked)} checks met**"
         + (f"; {len(found) - len(checked)} not decided (not measured or not finished)."
            if len(found) > len(checked) else ".")
         if full and checked else "**Time targets not checked**: "
         + ("small scale." if not full else "nothing measured yet.")),
        "",
        "| Measure | This run | Target | Met |",
        "|---|--:|--:|---|",
    ]
    parts += [f"| {c.what} | {c.value} | {c.target} | "
              f"{'—' if c.met is None else 'yes' if c.met else '**no**'} |" for c in found]
    parts += [
        "",
        "## How to run it",
        "",
        "```sh",
        ".venv/bin/python bench/documents.py                  # about 20,000 authorities, "
        "SQLite",
        ".venv/bin/python bench/documents.py --scale small    # 8 States x 16 authorities",
        ".venv/bin/python bench/documents.py --skip-edition   # without the printed edition",
        ".venv/bin/python bench/documents.py --restricted-edition  # the restricted one too",
        ".venv/bin/python bench/documents.py --report-only    # this file again, from the "
        "last results",
        ".venv/bin/python bench/documents.py --skip-edition --report var/bench/mine.md  "
        "# elsewhere",
        "```",
        "",
        "With `DATABASE_URL` naming a PostgreSQL database whose name contains \"bench\", the "
        "run drops and creates databases named after it (`<name>_docs`, `<name>_docs_empty`, "
        "`<name>_docs_csv`, `<name>_docs_json`; the user needs CREATEDB), drops them again at "
        "the end and leaves the named one alone. Raw figures go to "
        "`var/bench/documents/results.json`, the edition's progress to "
        "`var/bench/documents/edition-progress.jsonl`. At full scale the edition can take a "
        "quarter of an hour or more.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        run_child_mode(argv[1:])
        return
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(
        description="Benchmark export, import and the printed edition; write "
                    "docs/benchmarks-documents.md.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="full: about 20,000 authorities in 198 States (the default); "
                        "small: 8 States x 16 authorities")
    parser.add_argument("--skip-edition", "--skip-editions", action="store_true",
                        help="leave out the printed edition (a quarter of an hour at full "
                        "scale)")
    parser.add_argument("--reimport-all", action="store_true",
                        help="import the JSON file a second time too (the CSV always is)")
    parser.add_argument("--split-below", type=int, default=0, metavar="N",
                        help="cut the exports into parts of at most N records even when the "
                        "importer takes them whole (to check the cutting at small scale)")
    parser.add_argument("--restricted-edition", action="store_true",
                        help="write the restricted edition (every entry) too, after the public")
    parser.add_argument("--add-restricted-edition", action="store_true",
                        help="only write the restricted edition, on the databases and into "
                        "the results of the last run")
    parser.add_argument("--report-only", action="store_true",
                        help="write the report again from var/bench/documents/results.json")
    parser.add_argument("--report", type=Path, default=REPORT, metavar="PATH",
                        help="write the report here instead of docs/benchmarks-documents.md "
                        "(for a run that should not replace the published figures)")
    args = parser.parse_args(argv)
    if args.report_only:
        if not RESULTS.exists():
            raise SystemExit(f"No results yet: {RESULTS.relative_to(ROOT)}")
        write_report(json.loads(RESULTS.read_text(encoding="utf-8")), args.report)
        log(f"Wrote {args.report} from {RESULTS.relative_to(ROOT)}.")
        return
    if args.add_restricted_edition:
        Run(args).add_restricted_edition()
        return
    Run(args).run()


if __name__ == "__main__":
    main()
