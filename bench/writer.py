"""Benchmark the request writer's documents: the DOCX and PDF of a request of about ten pages.

Writes docs/benchmarks-writer.md. Run from the project directory (/work/main):

    .venv/bin/python bench/writer.py                 # 10 repetitions of each document
    .venv/bin/python bench/writer.py --repeat 30
    .venv/bin/python bench/writer.py --reuse-db      # keep the database of an earlier run
    .venv/bin/python bench/writer.py --report-only   # the report again from the last results

What it does:

1. Builds a throwaway SQLite database, ``var/bench/writer/writer.sqlite3`` (never the
   development database), with ``palermo migrate`` and ``palermo load_reference``.
2. In a child process of its own (started by a small launcher that reads its peak memory with
   ``os.wait4``, so that the figure is the child's alone), inside a transaction rolled back at
   the end: the test world of the writer's tests (Mexico asks France for bank records; the
   people are fictional test accounts) and a request with long facts, many persons, accounts,
   items and measures (fictional text, generated); then
   :func:`palermo.writer.documents.render_request` — what the download page calls: it reads
   the requested State's checklist, builds the document and prints it — once to warm up (fonts
   are read once per process), then ``--repeat`` times, for DOCX and PDF: the request written
   in English (in English, and in English and French side by side), the same written in
   Arabic (in Arabic, and in Arabic and English side by side) and in Chinese.
3. Writes the report, with the targets of issue 5 (DOCX under 0.5 s, PDF under 1.5 s per
   request of ten pages) checked against the median of the English request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True  # nothing left behind under bench/ or src/

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench" / "writer"
DB_PATH = WORK / "writer.sqlite3"
DEV_DB = ROOT / "var" / "palermo.sqlite3"
REPORT = ROOT / "docs" / "benchmarks-writer.md"

# The targets of issue 5, per request of ten pages.
TARGET_DOCX_S = 0.5
TARGET_PDF_S = 1.5
# (label, language of the fixed text, second language, language the request is written in)
RUNS = [("English", "en", "", "en"),
        ("English and French side by side", "en", "fr", "en"),
        ("Arabic, written in Arabic", "ar", "", "ar"),
        ("Chinese, written in Chinese", "zh-hans", "", "zh"),
        ("Arabic and English side by side, written in Arabic", "ar", "en", "ar")]


def log(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PALERMO_") and k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "palermo.settings",
        "PALERMO_ENV": "development",
        "PALERMO_DEBUG": "false",
        "PALERMO_HOME": str(ROOT),
        "PALERMO_VAR": str(WORK),
        "PALERMO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    })
    return env


def palermo_command() -> list[str]:
    script = Path(sys.executable).parent / "palermo"
    return ([sys.executable, str(script)] if script.exists()
            else [sys.executable, "-m", "palermo.cli"])


# Linux carries a process's peak RSS across fork and exec: the child is started by a small
# launcher (Python without site, a few MB) that forks it and reads its rusage with os.wait4.
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


def run(command: list[str]) -> float:
    log("+ " + " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command[1:])))
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=child_env(), check=True)
    return time.monotonic() - started


def build_database(reuse: bool) -> dict[str, float]:
    WORK.mkdir(parents=True, exist_ok=True)
    if reuse and DB_PATH.exists():
        log(f"reusing {DB_PATH.relative_to(ROOT)}")
        return {}
    path = DB_PATH.resolve()
    if path == DEV_DB.resolve() or WORK.resolve() not in path.parents:
        raise SystemExit(f"refusing to use {path} as a benchmark database")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return {
        "migrate": run([*palermo_command(), "migrate", "--noinput", "-v", "0"]),
        "load_reference": run([*palermo_command(), "load_reference", "-v", "0"]),
    }


def measure_child(repeat: int) -> dict[str, Any]:
    usage_file = WORK / "child.rusage.json"
    usage_file.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--repeat", str(repeat)]
    log(f"+ bench/writer.py --child --repeat {repeat}")
    started = time.monotonic()
    completed = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(usage_file), *command],
                               cwd=ROOT, env=child_env(), capture_output=True, text=True)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        print(completed.stdout[-3000:], completed.stderr[-3000:], sep="\n")
        raise SystemExit(f"the child failed with exit code {completed.returncode}")
    usage = json.loads(usage_file.read_text(encoding="utf-8"))
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    result.update(child_seconds=seconds, child_cpu_seconds=usage["cpu"],
                  child_peak_rss_mb=usage["maxrss_kb"] / 1024)
    return result


# --- the child (Django set up here) -------------------------------------------------------

# Fictional filler, in the three scripts the documents print differently.
WORDS = {
    "en": ["the", "accounts", "of", "the", "companies", "received", "transfers", "from",
           "abroad", "which", "were", "then", "split", "into", "smaller", "amounts", "and",
           "sent", "on", "to", "accounts", "held", "by", "persons", "connected", "with", "the",
           "group", "whose", "members", "used", "false", "invoices", "and", "shell",
           "companies", "to", "hide", "the", "origin", "of", "the", "funds", "before",
           "buying", "property", "in", "both", "States"],
    "ar": ["تلقت", "حسابات", "الشركات", "تحويلات", "من", "الخارج", "ثم", "قسمت", "إلى",
           "مبالغ", "أصغر", "وأرسلت", "إلى", "حسابات", "يملكها", "أشخاص", "مرتبطون",
           "بالجماعة", "التي", "استخدم", "أعضاؤها", "فواتير", "مزورة", "وشركات", "وهمية",
           "لإخفاء", "مصدر", "الأموال", "قبل", "شراء", "عقارات", "في", "الدولتين"],
    "zh": ["公司", "账户", "收到", "来自", "国外", "的", "转账", "随后", "被", "分成",
           "较小", "金额", "并", "转入", "与", "该", "集团", "有关", "人员", "持有", "的",
           "账户", "其", "成员", "使用", "虚假", "发票", "和", "空壳", "公司", "掩盖", "资金",
           "来源", "然后", "在", "两国", "购买", "房产"],
}
FICTIONAL = {"en": "Fictional", "ar": "(خيالي)", "zh": "（虚构）"}


def fictional_text(lang: str, seed: int, words: int) -> str:
    """Deterministic filler sentences (fictional), in English, Arabic or Chinese."""
    vocabulary = WORDS[lang]
    out = [vocabulary[(seed * 7 + index * 5 + index // 11) % len(vocabulary)]
           for index in range(words)]
    if lang == "zh":
        return "".join("".join(out[i:i + 18]) + "。" for i in range(0, len(out), 18))
    sentences = [" ".join(out[i:i + 18]) + "." for i in range(0, len(out), 18)]
    return " ".join(sentence[:1].upper() + sentence[1:] for sentence in sentences)


def long_content(lang: str) -> dict[str, Any]:
    """A request of about ten pages in English (as long in Arabic or Chinese): long facts,
    many persons, accounts and items. Every name and number is fictional."""
    def text(seed: int, words: int) -> str:
        return f"{FICTIONAL[lang]} {fictional_text(lang, seed, words)}"

    roles = ["suspect", "suspect", "suspect", "account_holder", "account_holder", "witness",
             "victim", "other"]
    return {
        "subject_matter": text(1, 70),
        "conducting_authority": text(7, 25),
        "facts": "\n\n".join(text(n, 120) for n in range(1, 8)),
        "offences": text(2, 50),
        "law_text": text(3, 150),
        "penalty": text(4, 20),
        "persons": [{"name": f"Fictional Person {n}", "role": role,
                     "birth_date": f"19{60 + n}-0{1 + n % 9}-1{n % 10}",
                     "nationality": "MEX" if n % 2 else "FRA", "location": "Paris",
                     "details": text(n, 30)} for n, role in enumerate(roles, start=1)],
        "accounts": [{"institution": f"Fictional Bank {n}",
                      "number": f"FR76 0000 0000 0000 0000 0000 {n:03d}",
                      "holder": f"Fictional Person {n % 8 + 1}", "period": "2024-2025",
                      "details": text(n + 20, 20)} for n in range(1, 11)],
        "items": [{"description": f"Fictional item or place {n}", "location": "Paris",
                   "details": text(n + 40, 20)} for n in range(1, 7)],
        "measure_details": {code: {"description": text(n + 60, 60), "link": text(n + 80, 40)}
                            for n, code in enumerate(["mla-b", "mla-c", "mla-e", "mla-f",
                                                      "mla-g"], start=1)},
        "purpose": text(5, 40),
        "procedure": text(6, 40),
        "confidential": "yes",
        "confidentiality": text(8, 15),
        "urgency_reason": text(9, 15),
        "contact_name": "Fictional duty prosecutor", "contact_function": text(10, 3),
        "contact_phone": "+52 55 0000 0000", "contact_email": "duty@example.org",
        "annexes": [{"title": f"Fictional annex {n}", "description": text(n, 10)}
                    for n in range(1, 6)],
    }


def child_main(repeat: int) -> dict[str, Any]:
    import resource
    import tracemalloc

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.db import transaction
    from pypdf import PdfReader

    from palermo.reference.models import Language
    from palermo.writer import services
    from palermo.writer.documents import render_request
    from palermo.writer.models import Kind
    from tests.writer.factories import checklist_key, make_writer_world

    def rss() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    results: dict[str, Any] = {"runs": []}
    with transaction.atomic():
        world = make_writer_world()
        drafts = {}
        for written in sorted({run[3] for run in RUNS}):
            draft = services.draft_create(
                user=world.author, kind=Kind.MLA, title=f"Fictional case 2026/{written}",
                requesting_state=world.requesting, requested_state=world.requested,
                urgent=True, needed_by=dt.date.today() + dt.timedelta(days=30))
            content = long_content(written)
            content["checklist_confirmed"] = [checklist_key()]
            drafts[written] = services.draft_save(
                draft=draft, user=world.author, version=draft.version, section="bench",
                fields={"measures": list(content["measure_details"]),
                        "drafting_language": Language.objects.get(code=written)},
                content=content)
        content = long_content("en")
        results["content"] = {
            "facts_words": len(content["facts"].split()), "persons": len(content["persons"]),
            "accounts": len(content["accounts"]), "items": len(content["items"]),
            "measures": len(content["measure_details"]), "annexes": len(content["annexes"]),
        }
        results["rss_before_mb"] = rss()
        for label, language, second, written in RUNS:
            draft = drafts[written]
            for fmt in ("docx", "pdf"):
                def make(fmt: str = fmt, draft: Any = draft, language: str = language,
                         second: str = second) -> bytes:
                    return render_request(draft, fmt=fmt, language=language,
                                          second_language=second, user=world.author)[2]

                started = time.perf_counter()
                data = make()
                first = time.perf_counter() - started
                times, cpu = [], []
                for _ in range(repeat):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    make()
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                tracemalloc.start()
                make()
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                pages = len(PdfReader(io.BytesIO(data)).pages) if fmt == "pdf" else None
                row = {"label": label, "language": language, "second": second,
                       "written": written, "format": fmt, "bytes": len(data), "pages": pages,
                       "first": first, "median": statistics.median(times), "max": max(times),
                       "min": min(times), "cpu_median": statistics.median(cpu),
                       "repeat": repeat,
                       "python_peak_mb": peak / 1024 / 1024}
                results["runs"].append(row)
                print(f"  {label}, {fmt}: median {row['median']:.3f} s, max {row['max']:.3f} s"
                      + (f", {pages} pages" if pages else ""), file=sys.stderr, flush=True)
        results["rss_after_mb"] = rss()
        transaction.set_rollback(True)
    return results


# --- the report ---------------------------------------------------------------------------


def machine() -> str:
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB of memory"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpus} CPUs ({usable} usable){', ' + model if model else ''}{memory}; "
            f"{platform.system()} {platform.release()} ({platform.machine()})")


def software() -> str:
    import django

    return f"Python {platform.python_version()}, Django {django.get_version()}"


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def write_report(result: dict[str, Any], setup: dict[str, float], repeat: int,
                 started: dt.datetime, took: float, loads: tuple[float, float]) -> str:
    runs = result["runs"]
    english = {row["format"]: row for row in runs if row["language"] == "en"
               and not row["second"] and row["written"] == "en"}
    pdf_pages = english["pdf"]["pages"]
    docx_ok = english["docx"]["median"] < TARGET_DOCX_S
    pdf_ok = english["pdf"]["median"] < TARGET_PDF_S
    docx_max_ok = english["docx"]["max"] < TARGET_DOCX_S
    pdf_max_ok = english["pdf"]["max"] < TARGET_PDF_S

    def target(fmt: str) -> float:
        return TARGET_DOCX_S if fmt == "docx" else TARGET_PDF_S

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    contention = (sum(row["median"] for row in runs)
                  / max(sum(row["cpu_median"] for row in runs), 1e-9))
    content = result["content"]
    lines = [
        "# Benchmarks: the request writer's DOCX and PDF",
        "",
        "Generated by `.venv/bin/python bench/writer.py` (run from the project directory); do "
        "not edit by hand, run it again. The directory's documents are in "
        "docs/benchmarks-documents.md, the pages and the API in docs/benchmarks.md.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the whole run took {took:.0f} s.",
        f"- Machine: {machine()}. Load average (1 min) {loads[0]:.1f} before the run and "
        f"{loads[1]:.1f} after it: other work on the machine competes with the benchmark "
        "when these exceed zero by much.",
        f"- Software: {software()}.",
        "- Database (SQLite), throwaway: `var/bench/writer/writer.sqlite3`, with the real "
        "reference data"
        + (" (`palermo migrate` {:.1f} s, `palermo load_reference` {:.1f} s)".format(
            setup["migrate"], setup["load_reference"]) if setup else
           " (kept from an earlier run with `--reuse-db`)") + ".",
        "- The request (fictional): the writer tests' world (Mexico asks France for bank "
        "records), an urgent and confidential request for mutual legal assistance with "
        f"{content['facts_words']:,} words of facts, {content['persons']} persons, "
        f"{content['accounts']} accounts, {content['items']} items and places, "
        f"{content['measures']} measures with their descriptions and links to the facts, "
        f"{content['annexes']} annexes, and the checklist annex. In English its PDF has "
        f"{pdf_pages} pages.",
        "",
        "## Method",
        "",
        "Each document is made by `palermo.writer.documents.render_request`, the function the "
        "download page (`writer:document`) calls: it reads what the directory says of the "
        "requested State (its checklist, its languages: three queries) and the instruments "
        "(one), builds the document and prints it with `palermo.documents` (python-docx; "
        "fpdf2 with HarfBuzz). It is called once to warm up (*first*: the fonts are read once "
        f"per process), then {repeat} times: *median* and *max* of those (wall time: what a "
        "user waits for), and the median *CPU* time of the process for one call (which other "
        "work on the machine does not lengthen). *Python peak* is "
        "the largest memory Python allocated during one more call (tracemalloc; memory "
        "allocated by C libraries such as HarfBuzz is not in it). Everything runs in one "
        "child process started by a small launcher that reads its peak resident memory with "
        "`os.wait4`; the request is written inside a transaction that is rolled back at the "
        "end. Settings: `palermo.settings`, `DEBUG` off. The HTTP layer (sign-in, the "
        "response) is not timed; the tests in `tests/writer/test_documents.py` go through "
        "it.",
        "",
        "## Targets of issue 5",
        "",
        f"- DOCX under {TARGET_DOCX_S} s per request of ten pages: median "
        f"{seconds(english['docx']['median'])}, max {seconds(english['docx']['max'])} "
        f"(CPU {seconds(english['docx']['cpu_median'])}) for the request written in English "
        f"({pdf_pages} pages as PDF) — {verdict(docx_ok)}"
        + ("" if docx_max_ok or not docx_ok else " (the median; the slowest call was over)")
        + ".",
        f"- PDF under {TARGET_PDF_S} s per request of ten pages: median "
        f"{seconds(english['pdf']['median'])}, max {seconds(english['pdf']['max'])} "
        f"(CPU {seconds(english['pdf']['cpu_median'])}) for {pdf_pages} pages — "
        f"{verdict(pdf_ok)}"
        + ("" if pdf_max_ok or not pdf_ok else " (the median; the slowest call was over)")
        + ".",
        "- The other requests, against the same targets (median, and CPU): " + "; ".join(
            f"{row['label']}, {row['format'].upper()}: {seconds(row['median'])} "
            f"(CPU {seconds(row['cpu_median'])}) — "
            f"{verdict(row['median'] < target(row['format']))}"
            for row in runs if row is not english[row["format"]]) + ".",
        f"- Load: the machine's load average was {loads[0]:.1f} before the run and "
        f"{loads[1]:.1f} after it, on {os.cpu_count()} CPUs; the wall times were "
        f"{contention:.1f} times the CPU times in all. The targets are checked against the "
        "wall times as measured; on a quiet machine the wall time of a call comes close to "
        "its CPU time.",
        "",
        "## Results",
        "",
        "| Request | Format | Pages | Size | First | Median | Max | CPU (median) | Python peak |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in runs:
        lines.append(
            f"| {row['label']} | {row['format'].upper()} | {row['pages'] or '—'} | "
            f"{row['bytes'] / 1024:,.0f} KB | {seconds(row['first'])} | "
            f"{seconds(row['median'])} | {seconds(row['max'])} | "
            f"{seconds(row['cpu_median'])} | {row['python_peak_mb']:.1f} MB |")
    lines += [
        "",
        f"Peak resident memory of the child process: {result['child_peak_rss_mb']:.0f} MB "
        f"({result['rss_before_mb']:.0f} MB after Django started and the request was "
        f"written, before the first document; {result['rss_after_mb']:.0f} MB at the end). "
        f"The child ran {result['child_seconds']:.1f} s ({result['child_cpu_seconds']:.1f} s "
        "of CPU), Django's start-up included.",
        "",
        "DOCX files have no page count until a word processor lays them out. The Arabic and "
        "Chinese requests are the same request written in those languages (fictional filler "
        "text of the same number of words; names, numbers and addresses stay in Latin "
        "letters), their fixed text in those languages where the message catalogues "
        "translate it (English until then); side by side, every heading, label and formula "
        "is printed twice and the practitioner's text once.",
        "",
        "## How to run it",
        "",
        "```",
        ".venv/bin/python bench/writer.py                 # 10 repetitions of each document",
        ".venv/bin/python bench/writer.py --repeat 30     # more repetitions",
        ".venv/bin/python bench/writer.py --reuse-db      # keep the database of an earlier run",
        ".venv/bin/python bench/writer.py --report-only   # this report again from the results",
        "```",
        "",
        "Everything it writes is under `var/bench/writer/` apart from this report. Raw "
        "results: `var/bench/writer/results.json`.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument("--report-only", action="store_true",
                        help="write the report again from var/bench/writer/results.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, default=REPORT)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_main(args.repeat)))
        return
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    started = dt.datetime.now(dt.UTC)
    began = time.monotonic()
    load_before = os.getloadavg()[0]
    if args.report_only:
        saved = json.loads((WORK / "results.json").read_text(encoding="utf-8"))
        result, setup = saved["result"], saved["setup"]
        started = dt.datetime.fromisoformat(saved["started"])
        took, loads = saved["took"], tuple(saved["loads"])
    else:
        setup = build_database(args.reuse_db)
        result = measure_child(args.repeat)
        took = time.monotonic() - began
        loads = (load_before, os.getloadavg()[0])
        (WORK / "results.json").write_text(json.dumps({
            "result": result, "setup": setup, "started": started.isoformat(), "took": took,
            "loads": loads}, indent=2), encoding="utf-8")
    report = write_report(result, setup, result["runs"][0]["repeat"], started, took,
                          (loads[0], loads[1]))
    args.output.write_text(report, encoding="utf-8")
    log(f"wrote {args.output}")
    print(report.split("## Targets of issue 5", 1)[1].split("## How to run it", 1)[0])


if __name__ == "__main__":
    if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
        sys.path.pop(0)  # bench/settings.py and bench/urls.py are not Palermo's
    main()
