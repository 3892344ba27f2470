"""Benchmark the analysis of reporting cycles and write docs/benchmarks-reporting.md.

Run from the project directory (/work/main):

    .venv/bin/python bench/reporting.py                 # 190 States × 300 questions × 3 cycles
    .venv/bin/python bench/reporting.py --states 20 --questions 40 --seconds 2   # a quick run

What it does:

1. Builds a throwaway SQLite database, ``var/bench/reporting.sqlite3`` (never the development
   database), with ``palermo migrate`` and ``palermo load_reference``, then inserts in bulk
   three published questionnaire versions of ``--questions`` questions each (every type, one
   in ten conditional, one in ten tagged with a priority area, yes/no/partly questions citing
   articles), one cycle per version over ``--states`` States, and an answer to every question
   for every State: about nine in ten responses submitted, one answer in twenty confidential.
   Every answer is fictional and its texts say so.
2. Serves it as ``bench/run.py`` does: gunicorn (``--workers`` sync workers, ``DEBUG`` off,
   ``bench.settings``) on 127.0.0.1, driven by ``bench/load.py`` from a second process with the
   session cookie of a fictional secretariat account, then of a fictional focal point (signed
   in by the test Client in this process; sessions live in the database). Each persona's run
   measures the bare view of ``bench/urls.py`` first and last, and every analysis page in
   between; a page's throughput is given as a share of the mean of the two bare runs.
   Requests after the warm-up find the page's figures in the analysis cache (one per worker
   process); what a page costs when they must be computed is measured separately, in-process
   with the test Client: the first request (figures computed) and the next (figures kept),
   with the SQL queries of each.
3. Times the analytical report of the largest cycle as DOCX and PDF (secretariat's edition).
4. Writes ``docs/benchmarks-reporting.md`` with the targets checked and the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as base  # noqa: E402 - after the path is set

DB_PATH = base.BENCH_VAR / "reporting.sqlite3"
OUTPUT = ROOT / "docs" / "benchmarks-reporting.md"
TYPES = (["yes_no_partly"] * 8 + ["single"] * 3 + ["multiple"] * 2 + ["number"] * 3
         + ["text"] * 3 + ["date"])
QUERY_TARGET = 8  # fewer SQL queries of the page's own than this
RATIO_TARGET = 0.20  # of the bare view's requests per second
REPORT_TARGET = 30.0  # seconds


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(states: int) -> base.Database:
    database = base.Database(f"sqlite:///{DB_PATH}", "sqlite")
    if DB_PATH.resolve() == base.DEV_DB.resolve():
        raise SystemExit("refusing to use the development database")
    base.BENCH_VAR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    base.palermo(database, "migrate", "--no-input")
    base.palermo(database, "load_reference")
    base.palermo(database, "collectstatic", "--no-input")
    os.environ.update(base.bench_env("bench.settings", database))
    import django

    django.setup()
    return database


def build(n_states: int, n_questions: int, n_cycles: int) -> dict[str, Any]:
    """The fictional questionnaires, cycles, responses and answers, inserted in bulk."""
    from django.utils import timezone

    from palermo.accounts.models import Membership
    from palermo.accounts.services import membership_grant, user_ensure
    from palermo.reference.models import Article, Instrument, State
    from palermo.reporting.models import (
        Answer,
        Choice,
        Cycle,
        PriorityArea,
        Question,
        QuestionCitation,
        Questionnaire,
        QuestionnaireVersion,
        QuestionTag,
        Response,
        Section,
    )

    rng = random.Random(3)
    started = time.monotonic()
    untoc = Instrument.objects.get(code="untoc")
    articles = list(Article.objects.filter(instrument=untoc).order_by("number")[:40])
    states = list(State.objects.order_by("code")[:n_states])
    areas = [code for code, _label in PriorityArea.choices]
    now = timezone.now()
    secretariat = user_ensure(email="bench-secretariat@example.org", is_secretariat=True,
                              first_name="Bench", last_name="Secretariat (fictional)",
                              email_verified=True)
    focal = user_ensure(email="bench-focal@example.org", first_name="Bench",
                        last_name="Focal point (fictional)", email_verified=True)
    membership_grant(user=focal, state=states[0], role=Membership.Role.FOCAL_POINT)
    cycles = []
    for number in range(1, n_cycles + 1):
        title = {"en": f"Fictional benchmark questionnaire {number}"}
        questionnaire = Questionnaire.objects.create(code=f"bench-{number}", instrument=untoc,
                                                     title=title)
        version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1,
                                                      title=title)
        sections = Section.objects.bulk_create(
            Section(questionnaire_version=version, position=i, code=f"s{i}",
                    title={"en": f"Section {i} (fictional)"})
            for i in range((n_questions + 19) // 20))
        questions: list[Question] = []
        for i in range(n_questions):
            kind = TYPES[i % len(TYPES)]
            questions.append(Question(
                section=sections[i // 20], questionnaire_version=version, position=i,
                code=f"q{i}", type=kind, text={"en": f"Fictional question {i}?"}))
        Question.objects.bulk_create(questions)
        by_code = {q.code: q for q in Question.objects.filter(questionnaire_version=version)}
        ordered = [by_code[f"q{i}"] for i in range(n_questions)]
        conditional = []
        for i, question in enumerate(ordered):
            previous = ordered[i - 1] if i else None
            if (i % 10 == 1 and previous is not None and previous.type == "yes_no_partly"
                    and previous.section_id == question.section_id):
                question.depends_on = previous
                question.allowed_values = ["yes", "partly"]
                conditional.append(question)
        Question.objects.bulk_update(conditional, ["depends_on", "allowed_values"])
        Choice.objects.bulk_create(
            Choice(question=q, position=c, code=f"c{c}", label={"en": f"Choice {c}"})
            for q in ordered if q.type in ("single", "multiple") for c in range(4))
        QuestionCitation.objects.bulk_create(
            QuestionCitation(question=q, article=articles[i % len(articles)])
            for i, q in enumerate(ordered) if q.type == "yes_no_partly")
        QuestionTag.objects.bulk_create(
            QuestionTag(question=q, area=areas[i % len(areas)])
            for i, q in enumerate(ordered) if i % 10 == 4)
        QuestionnaireVersion.objects.filter(pk=version.pk).update(status="published",
                                                                   published_at=now)
        cycle = Cycle.objects.create(
            questionnaire_version=version, title={"en": f"Fictional cycle {number}"},
            parties_on=dt.date(2025, 1, 1), opens_on=dt.date(2025, number, 1),
            closes_on=dt.date(2025, number + 3, 1))
        responses = Response.objects.bulk_create(
            Response(state=state, questionnaire_version=version, cycle=cycle,
                     status="submitted" if rng.random() < 0.9 else "in_progress",
                     submitted_at=now)
            for state in states)
        Response.objects.filter(cycle=cycle, status="in_progress").update(submitted_at=None)
        answers = []
        for response in responses:
            for question in ordered:
                answers.append(Answer(response=response, question=question,
                                      value=_value(question.type, rng),
                                      confidential=rng.random() < 0.05))
                if len(answers) >= 5000:
                    Answer.objects.bulk_create(answers)
                    answers = []
        Answer.objects.bulk_create(answers)
        cycles.append(cycle)
        log(f"  cycle {number}: {len(states)} States × {n_questions} questions")
    return {"cycles": cycles, "secretariat": secretariat, "focal": focal,
            "seconds": time.monotonic() - started,
            "answers": Answer.objects.count(), "states": len(states)}


def _value(kind: str, rng: random.Random) -> Any:
    if kind == "yes_no_partly":
        return rng.choice(["yes", "no", "partly"])
    if kind == "single":
        return f"c{rng.randrange(4)}"
    if kind == "multiple":
        return sorted({f"c{rng.randrange(4)}" for _ in range(2)})
    if kind == "number":
        return rng.randrange(500)
    if kind == "date":
        return f"2024-{rng.randrange(1, 13):02d}-01"
    return "Fictional answer: difficulties with mutual legal assistance and training."


def counted(client: Any, path: str) -> tuple[Any, int, float]:
    """The response to one request, the number of SQL queries it ran and its milliseconds."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        response = client.get(path)
    return response, queries, 1000 * (time.perf_counter() - started)


def in_process(client: Any, path: str) -> dict[str, Any]:
    """A page's first request with nothing kept (its figures computed) and the next one."""
    from django.core.cache import cache

    client.get(path)  # the process warmed up (templates compiled, translations read) …
    cache.clear()  # … but nothing kept: the figures are computed again
    first, cold_queries, cold_ms = counted(client, path)
    assert first.status_code == 200, (path, first.status_code)
    _response, warm_queries, warm_ms = counted(client, path)
    return {"queries_cold": cold_queries, "ms_cold": cold_ms, "queries": warm_queries,
            "ms_warm": warm_ms, "bytes": len(first.content)}


def session_cookie(user: Any) -> tuple[Any, str]:
    """A test Client signed in as the user, and its session cookie for bench/load.py."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return client, f"{name}={client.cookies[name].value}"


def auth_queries(client: Any) -> int:
    """Queries a signed-in request pays before a page does anything (session, user)."""
    return counted(client, "/bench/bare/")[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--states", type=int, default=190)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="time limit per URL")
    parser.add_argument("--requests", type=int, default=2000, help="requests per URL")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--warmup", type=int, default=20, help="unrecorded requests per URL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    database = prepare(args.states)
    log("building the fictional reporting data")
    world = build(args.states, args.questions, args.cycles)

    from django.db import connections
    from django.urls import reverse

    from palermo.reporting.analysis import reports, selectors

    cycle = world["cycles"][-1]
    pages = [
        ("Overview (response rates)", reverse("reporting:analysis")),
        ("Cycle: rate and answers, first section", reverse("reporting:analysis_cycle",
                                                            kwargs={"pk": cycle.pk})),
        ("Cycle: answers of every section", reverse("reporting:analysis_cycle",
                                                    kwargs={"pk": cycle.pk}) + "?section=all"),
        ("Compliance per provision", reverse("reporting:analysis_compliance",
                                             kwargs={"pk": cycle.pk})),
        ("Difficulties and needs", reverse("reporting:analysis_needs", kwargs={"pk": cycle.pk})),
    ]
    personas = {}
    for persona in ("secretariat", "focal"):
        client, cookie = session_cookie(world[persona])
        baseline = auth_queries(client)
        personas[persona] = {"client": client, "cookie": cookie, "baseline": baseline}
    connections.close_all()  # the server's processes open their own
    port = base.free_port()
    server = base.start_gunicorn(port, args.workers, database)
    loads: dict[str, list[dict[str, Any]]] = {}
    try:
        base.wait_until_up(server, port)
        for persona, info in personas.items():
            log(f"+ load as the {persona}: {args.requests} requests or {args.seconds:g} s per "
                f"URL, concurrency {args.concurrency}")
            loads[persona] = base.run_load(
                port, [base.BARE, *(path for _name, path in pages), base.BARE],
                requests=args.requests, seconds=args.seconds, concurrency=args.concurrency,
                warmup=args.warmup, use_gzip=False, cookies=(info["cookie"],))
    finally:
        base.stop_gunicorn(server)
    results = []
    for persona, info in personas.items():
        measured = loads[persona]
        bare = [r for r in measured if r["path"] == base.BARE]
        bare_rps = sum(r["rps"] for r in bare) / len(bare)
        for (name, path), row in zip(pages, measured[1:-1], strict=True):
            log(f"  {persona}: {name} in-process")
            row.update(in_process(info["client"], path), name=name, persona=persona,
                       bare_rps=bare_rps, bare=bare, baseline=info["baseline"])
            results.append(row)
    reports_timed = []
    for fmt, language in (("docx", "en"), ("pdf", "en"), ("pdf", "ar")):
        log(f"  report {fmt} {language}")
        begun = time.monotonic()
        built = reports.build(cycle, selectors.SECRETARIAT, language, fmt)
        reports_timed.append({"fmt": fmt, "language": language,
                              "seconds": time.monotonic() - begun, "bytes": len(built.data)})
    load_after = os.getloadavg()
    text = render(args, world, results, reports_timed, started, load_before, load_after,
                  base.versions())
    args.output.write_text(text, encoding="utf-8")
    print(text)


def render(args: argparse.Namespace, world: dict[str, Any], results: list[dict[str, Any]],
           reports_timed: list[dict[str, Any]], started: dt.datetime,
           load_before: tuple[float, float, float], load_after: tuple[float, float, float],
           machine: dict[str, str]) -> str:
    def ok(flag: bool) -> str:
        return "met" if flag else "**not met**"

    def statuses(r: dict[str, Any]) -> str:
        bad = sum(v for k, v in r["statuses"].items() if not k.startswith("2"))
        bad += sum(r["errors"].values())
        return ", ".join(r["statuses"]) + (f" ({bad} failed)" if bad else "")

    loads = [r["load_1min"] for r in results]
    lines = [
        "# Benchmarks: analysis of reporting cycles",
        "",
        "Generated by `.venv/bin/python bench/reporting.py` (run from the project directory); "
        "do not edit by hand, run it again.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; options `--states {args.states} --questions "
        f"{args.questions} --cycles {args.cycles} --requests {args.requests} --seconds "
        f"{args.seconds:g} --concurrency {args.concurrency} --warmup {args.warmup} --workers "
        f"{args.workers}`.",
        f"- Machine: {machine['nproc']} CPUs, {machine['cpu']}, shared with other work. Load "
        f"average (1 min) {load_before[0]:.1f} at the start, {min(loads, default=0):.1f}–"
        f"{max(loads, default=0):.1f} while the pages were measured, {load_after[0]:.1f} at "
        "the end (5 and 15 min: "
        f"{load_before[1]:.1f} / {load_before[2]:.1f} at the start, "
        f"{load_after[1]:.1f} / {load_after[2]:.1f} at the end).",
        f"- Software: Python {machine['python']}, Django {machine['django']}, gunicorn "
        f"{machine['gunicorn']}, SQLite (`var/bench/reporting.sqlite3`, rebuilt by each run).",
        f"- Fictional data: {world['states']} States × {args.questions} questions × "
        f"{args.cycles} cycles, {world['answers']:,} answers (about nine responses in ten "
        f"submitted, one answer in twenty confidential), inserted in "
        f"{world['seconds']:.0f} s. The pages measured are those of the last cycle.",
        "",
        "## Method",
        "",
        f"As `bench/run.py` (docs/benchmarks.md): gunicorn serves Palermo on 127.0.0.1 with "
        f"{args.workers} sync workers, `DEBUG` off, `DJANGO_SETTINGS_MODULE=bench.settings` "
        "(Palermo plus the bare view `/bench/bare/`, a constant page through the whole "
        "middleware stack); `bench/load.py`, a second process, sends the requests: for each "
        f"URL {args.warmup} warm-up requests, then {args.concurrency} client processes until "
        f"{args.requests:,} requests are answered or {args.seconds:g} s have passed. Every "
        "request carries the session cookie of a fictional account signed in by the test "
        "Client (sessions in the database): the secretariat's, then a focal point's. Each "
        "persona's run measures the bare view first and last; *share of the bare view* "
        "divides the page's requests per second by the mean of the two.",
        "",
        "After the warm-up, each worker process has the page's figures in its analysis cache "
        "(local memory, one per process; `palermo.reporting.analysis.cache`), so the "
        "throughput is that of a page whose figures are kept: what every reader gets until "
        "a response is submitted or reopened. What a page costs when its figures must be "
        "computed (after a submission, a restart, or for a new filter) is measured "
        "in-process with the test Client against the same database, in a warmed-up process "
        "whose cache was just cleared: *first request* computes the figures, *next* finds "
        "them. *Own* queries leave out "
        "the session and user reads of every signed-in request (measured on the bare view); "
        "who a focal point is (memberships, invitations) is read by the page's own queries.",
        "",
        "## Results",
        "",
        "| who | page | status | requests | req/s | p50 ms | p95 ms | share of the bare view "
        "| load (1 min) | SQL, first request (own) | SQL, next (own) | ms in-process, first "
        "request | ms in-process, next | bytes |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        own_cold = r["queries_cold"] - r["baseline"]
        own = r["queries"] - r["baseline"]
        lines.append(
            f"| {r['persona']} | {r['name']} | {statuses(r)} | {r['requests']:,} | "
            f"{r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{100 * r['rps'] / r['bare_rps']:.1f} % | {r['load_1min']:.1f} | "
            f"{r['queries_cold']} ({own_cold}) | {r['queries']} ({own}) | {r['ms_cold']:.0f} | "
            f"{r['ms_warm']:.1f} | {r['bytes']:,} |")
    seen: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        seen.setdefault(r["persona"], r["bare"])
    lines += ["", "Bare view: " + "; ".join(
        f"{who}: {bare[0]['rps']:,.0f} req/s at the start (p50 {bare[0]['p50_ms']:.1f} ms), "
        f"{bare[-1]['rps']:,.0f} at the end" for who, bare in seen.items()) + ".", "",
        "## Analytical report (secretariat's edition, the last cycle)", "",
        "Built in-process (`reports.build`), as the download does.", "",
        "| format | language | seconds | bytes |", "|---|---|---:|---:|"]
    lines += [f"| {t['fmt']} | {t['language']} | {t['seconds']:.1f} | {t['bytes']:,} |"
              for t in reports_timed]
    queries_ok = all(max(r["queries_cold"], r["queries"]) - r["baseline"] < QUERY_TARGET
                     for r in results)
    ratio_ok = [r for r in results if r["rps"] / r["bare_rps"] >= RATIO_TARGET]
    report_ok = all(t["seconds"] < REPORT_TARGET for t in reports_timed)
    busy = max([load_before[0], *loads]) > 0.5 * (os.cpu_count() or 1)
    lines += [
        "", "## Targets", "",
        f"- Analysis pages under {QUERY_TARGET} SQL queries of their own, figures computed "
        f"or kept: {ok(queries_ok)}.",
        f"- Analysis pages at least {RATIO_TARGET:.0%} of the bare view's throughput, figures "
        f"kept: {ok(len(ratio_ok) == len(results))} ({len(ratio_ok)} of {len(results)} "
        "measured pages).",
        f"- Report under {REPORT_TARGET:.0f} s: {ok(report_ok)}.",
        "",
        "## Notes",
        "",
        "- Every figure is aggregated by the database (`values()`/`annotate()` with "
        "conditional counts; conditions as `EXISTS` subqueries), so the number of queries "
        "does not grow with States, questions or cycles; `tests/reporting/"
        "test_analysis_queries.py` asserts it. A page whose figures are kept reads the "
        "cycle and the reader's scope, and the two data tokens in one query.",
        "- The cycle page shows one section at a time by default (about twenty questions); "
        "compliance names parties one article at a time for the secretariat, and the needs "
        "page lists answers one priority area or one State at a time for the secretariat. "
        "The page with every section at once (300 charts and tables) is measured to show "
        "what that costs when its figures must be computed; once kept, it costs about what "
        "the one-section page does, apart from sending ten times the bytes.",
        "- What is kept per page: its figures as objects, their charts, the part of the page "
        "that shows them, and the page's whole content inside the site's frame (headings, "
        "filters, downloads), each rendered once per key (no CSRF token, no name: the key "
        "says whose figures they are); the cycle with its questionnaire and instrument too. "
        "The frame (header with the reader's name and the sign-out form, messages, footer) "
        "is rendered for every request. What remains of a kept page's time is that frame, "
        "the session and user reads, and one query: who may see the cycle, with the data "
        "tokens (for a focal point, the States it answers for, read as subqueries).",
        "- Kept figures are keyed by page, cycle, filters, the reader's scope, language and "
        "the data tokens (docs/decisions.md); `tests/reporting/test_analysis_cache.py` "
        "checks that no scope gets another's figures and that a submission shows at once.",
    ]
    if busy:
        lines.append(
            "- The machine was busy (see the load averages above): absolute figures are lower "
            "than on a quiet machine, and the ratios less reliable, since the load changed "
            "from one URL to the next.")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
