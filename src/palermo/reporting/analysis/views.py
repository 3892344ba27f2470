"""Pages of the analysis of reporting cycles, and the downloads of its report and answers.

Who sees what is decided in :mod:`.selectors` (``cycle_for_user`` and the scopes): a cycle
the reader may not see answers 404, as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from palermo.reference.models import Instrument, RegionalGroup, State
from palermo.reporting import access
from palermo.reporting.models import Section
from palermo.reporting.texts import language_codes

from . import cache, charts, exports, reports, selectors
from . import clarification_report as clarifications
from .forms import FilterForm, NeedsFilterForm

ALL_SECTIONS = "all"


def _signed_in(request: HttpRequest) -> Any:
    user = request.user
    if not (user.is_authenticated and user.is_active):
        raise Http404
    return user


def _groups() -> list[RegionalGroup]:
    return list(RegionalGroup.objects.order_by("position"))


def _rate_text(rate: selectors.Rate) -> str:
    return _("%(submitted)s of %(total)s (%(percent)s %%)") % {
        "submitted": rate.submitted, "total": rate.total, "percent": rate.percent}


def _bars_description() -> str:
    return _("Each bar is named at its start and carries its figure at its end. The same "
             "figures are in the table after the chart.")


def rate_chart(rates: list[selectors.Rate], chart_id: str, title: str) -> SafeString:
    chart = charts.bar_chart([charts.BarRow(r.label, r.percent, _rate_text(r)) for r in rates],
                             maximum=100)
    return charts.bar_svg(chart, chart_id, title, _bars_description())


def answer_chart(bars: list[selectors.Bar], chart_id: str, title: str,
                 description: str) -> SafeString:
    rows = [charts.BarRow(bar.label, bar.count,
                          _("%(count)s (%(percent)s %%)") % {"count": bar.count,
                                                              "percent": bar.percent})
            for bar in bars]
    return charts.bar_svg(charts.bar_chart(rows, patterned=True), chart_id, title, description)


def stacked_legend() -> list[tuple[str, str]]:
    labels = selectors.yes_no_partly_labels()
    return [("solid", labels["yes"]), ("hatch", labels["partly"]), ("dots", labels["no"])]


def compliance_chart(questions: list[selectors.ComplianceQuestion], chart_id: str,
                     citation: str) -> SafeString:
    rows = []
    for item in questions:
        counts = {bar.code: bar.count for bar in item.bars}
        segments = [charts.Segment(counts.get(code, 0), pattern, label)
                    for (pattern, label), code in zip(stacked_legend(), ("yes", "partly", "no"),
                                                      strict=True)]
        rows.append((item.question.code, segments,
                     _("%(count)s answered") % {"count": item.answered}))
    return charts.stacked_svg(
        charts.stacked_chart(rows, stacked_legend()), chart_id,
        _("Answers to the questions on %(citation)s") % {"citation": citation},
        _("One bar per question: solid for yes, hatched for partly, dotted for no, each part "
          "with its number. The same figures are in the table after the chart."))


# Pages -----------------------------------------------------------------------------------------

QUERY_KEPT = 512  # characters: the content of a page asked for with a longer query is not kept


def _kept_page(request: HttpRequest, *, token: str, page: str, parts: list[Any], title: str,
               template: str, build: Callable[[], dict[str, Any]],
               demo: bool = False) -> HttpResponse:
    """An analysis page: its content rendered once per key and kept, the site's frame around
    it rendered for every request.

    The content is everything inside the frame: headings, filters, downloads and figures. It
    holds nothing of the reader but what ``parts`` puts in the key (the reader's scope, the
    cycles seen), nothing of the request but its query string and language (in the key too),
    and no CSRF token (its forms are GET forms); the frame holds the reader's name, the
    sign-out form's token and the messages. The data tokens in the key make a submission
    show at once (:mod:`.cache`).

    ``build`` returns the context the content is rendered from; when the content is kept,
    it is offered to the frame's context lazily, built again (from the kept figures) only if
    something reads it, such as a test. ``demo``: the page shows the fictional demo cycle,
    and the frame its banner (as it does for a demo account)."""
    built: dict[str, Any] = {}

    def context() -> dict[str, Any]:
        if not built:
            built.update(build())
        return built

    def compute() -> tuple[str, list[str]]:
        return render_to_string(template, context(), request), sorted(context())

    if len(request.META.get("QUERY_STRING", "")) <= QUERY_KEPT:
        html, names = cache.figures(token, f"{page}:page",
                                    [*parts, sorted(request.GET.lists())], compute)
    else:
        html, names = compute()
    def lazy(name: str) -> Any:
        return SimpleLazyObject(lambda: context()[name])

    frame: dict[str, Any] = dict(built) or {name: lazy(name) for name in names}
    frame.update(title=title, content_html=html,
                 demo_shown=demo or getattr(request.user, "is_demo", False))
    return render(request, "reporting/analysis/page.html", frame)


def _with_html(template: str, context: dict[str, Any]) -> dict[str, Any]:
    """The figures, and their part of the page rendered once to be kept with them: it holds
    nothing of the request or the reader (no CSRF token, no name), only the figures, whose
    key already says whose they are."""
    context["figures_html"] = render_to_string(f"reporting/analysis/{template}", context)
    return context


def _groups_kept(token: str) -> list[RegionalGroup]:
    """The regional groups the filters offer (reference data)."""
    return cache.figures(token, "groups", [], _groups)


def _instruments_kept(token: str) -> list[Instrument]:
    return cache.figures(token, "instruments", [],
                         lambda: list(Instrument.objects.order_by("position")))


def overview(request: HttpRequest) -> HttpResponse:
    """Response rates of the cycles the reader sees: per cycle, regional group, instrument."""
    user = _signed_in(request)
    visible = selectors.visible_cycles(user)
    token = cache.tokens_of(visible[0]) if visible else cache.tokens()
    # Rates count responses, never answers: what sets readers apart is the cycles they see.
    seen = sorted(cycle.pk for cycle in visible)
    is_secretariat = access.is_secretariat(user)

    def build() -> dict[str, Any]:
        groups, instruments = _groups_kept(token), _instruments_kept(token)
        form = FilterForm(request.GET or None, groups=groups, instruments=instruments,
                          date_label=_("Cycles opened between these dates."))
        filters = form.filters()

        def compute() -> dict[str, Any]:
            figures = selectors.overview(user, filters, groups, instruments, visible)
            return _with_html("_overview_figures.html", {
                "figures": figures,
                "cycle_chart": rate_chart(figures.cycles, "chart-cycles", _(
                    "Response rate per cycle, in per cent of the States in scope")),
                "group_chart": rate_chart(figures.groups, "chart-groups", _(
                    "Response rate per regional group, in per cent of the States in scope")),
                "instrument_chart": rate_chart(figures.instruments, "chart-instruments", _(
                    "Response rate per instrument, in per cent of the States in scope")),
            })

        found = cache.page_figures(token, "overview", [seen, filters], compute,
                                   {"figures_html"})
        return {"form": form, **found, "is_secretariat": is_secretariat}

    return _kept_page(request, token=token, page="overview", parts=[seen, is_secretariat],
                      title=_("Analysis of reporting cycles"),
                      template="reporting/analysis/_overview_page.html", build=build,
                      demo=any(cycle.is_demo for cycle in visible))


def _section_choice(request: HttpRequest, sections: list[Section]) -> tuple[int | None, str]:
    """The section to show: the one asked for, all of them, or by default the first."""
    wanted = request.GET.get("section", "")
    if wanted == ALL_SECTIONS:
        return None, ALL_SECTIONS
    ids = {s.pk for s in sections}
    if wanted.isdigit() and int(wanted) in ids:
        return int(wanted), wanted
    first = sections[0].pk if sections else None
    return first, str(first or "")


def cycle_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's response rate, and the distribution of the answers to each question."""
    seen = selectors.cycle_for_user(request.user, pk)
    cycle, scope = seen.cycle, seen.scope
    token = seen.tokens
    scope_key = cache.scope_key(scope)

    def build() -> dict[str, Any]:
        def compute_rates() -> dict[str, Any]:
            # The regional groups come with the rates: the groups of the cycle's States.
            # Rates count responses, never answers: the same for every reader of the cycle.
            whole, by_group, groups = selectors.cycle_rates(cycle)
            found = {"rate": whole, "groups": by_group, "group_list": groups,
                     "sections": selectors.version_sections(cycle),
                     "group_chart": rate_chart(by_group, "chart-groups", _(
                         "Response rate per regional group, in per cent of the States in "
                         "scope"))}
            found["rate_html"] = render_to_string("reporting/analysis/_cycle_rate.html", found)
            return found

        rates = cache.figures(token, "cycle-rates", [cycle.pk], compute_rates)
        sections = rates["sections"]
        form = FilterForm(request.GET or None, groups=rates["group_list"],
                          date_label=_("Responses submitted between these dates."))
        section_id, section_value = _section_choice(request, sections)
        chosen = form.filters()
        filters = selectors.Filters(group=chosen.group, start=chosen.start, end=chosen.end,
                                    section=section_id)

        def compute() -> dict[str, Any]:
            outline = selectors.outline(cycle, sections, section_id)
            figures = selectors.distributions(cycle, scope, filters, outline.questions,
                                              outline.conditions)
            description = _bars_description()
            for section in figures:
                for item in section.questions:
                    if item.counted:
                        item.chart = answer_chart(item.bars, f"chart-q{item.question.pk}",
                                                  item.question.code, description)
            return _with_html("_cycle_answers.html", {"figures": figures})

        found = cache.page_figures(token, "cycle", [cycle.pk, scope_key, filters],
                                   compute, {"figures_html"})
        return {"cycle": cycle, "scope": scope, "form": form, **rates, **found,
                "section_value": section_value, "all_sections": ALL_SECTIONS,
                "languages": _languages()}

    return _kept_page(
        request, token=token, page="cycle", parts=[cycle.pk, scope_key],
        title=_("Analysis: %(title)s") % {"title": cycle.localized_title},
        template="reporting/analysis/_cycle_page.html", build=build, demo=cycle.is_demo)


def compliance(request: HttpRequest, pk: int) -> HttpResponse:
    """Per provision cited by a yes/no/partly question: which parties report the measure in
    place, partly or not."""
    seen = selectors.cycle_for_user(request.user, pk)
    cycle, scope = seen.cycle, seen.scope
    token = seen.tokens
    scope_key = cache.scope_key(scope)

    def build() -> dict[str, Any]:
        groups = _groups_kept(token)
        form = FilterForm(request.GET or None, groups=groups,
                          date_label=_("Responses submitted between these dates."))
        filters = form.filters()
        wanted = request.GET.get("article", "")
        article = int(wanted) if wanted.isdigit() and len(wanted) < 4 else None
        # The secretariat reads every State's answers: by article, or the page would name
        # every party under every question.
        with_parties = article is not None or not scope.is_secretariat

        def compute() -> dict[str, Any]:
            found = selectors.compliance(cycle, scope, filters, article=article,
                                         with_parties=with_parties)
            return _with_html("_compliance_figures.html", {
                "articles": found.articles, "legend": stacked_legend(), "provisions": [
                    (provision, compliance_chart(provision.questions, f"provision-{i}-chart",
                                                 provision.citation))
                    for i, provision in enumerate(found.provisions, 1)]})

        found = cache.page_figures(
            token, "compliance",
            [cycle.pk, scope_key, filters, article, with_parties],
            compute, {"figures_html", "articles"})
        return {"cycle": cycle, "scope": scope, "form": form, **found, "article": article}

    return _kept_page(
        request, token=token, page="compliance", parts=[cycle.pk, scope_key],
        title=_("Compliance per provision: %(title)s") % {"title": cycle.localized_title},
        template="reporting/analysis/_compliance_page.html", build=build, demo=cycle.is_demo)


def needs(request: HttpRequest, pk: int) -> HttpResponse:
    """Difficulties and technical-assistance needs, per priority area and per State."""
    seen = selectors.cycle_for_user(request.user, pk)
    cycle, scope = seen.cycle, seen.scope
    token = seen.tokens
    scope_key = cache.scope_key(scope)

    def build() -> dict[str, Any]:
        read: dict[int, State] = {}  # the States themselves, when read by this request

        def compute_states() -> list[tuple[int, str]]:
            states = State.objects.filter(responses__cycle=cycle,
                                          responses__status=selectors.SUBMITTED
                                          ).order_by("name")
            if scope.named_states is not None:
                states = states.filter(pk__in=sorted(scope.named_states))
            read.update((s.pk, s) for s in states)
            return [(s.pk, s.name) for s in read.values()]

        # The States one may choose: plain pairs, cheaper to read back than 190 objects.
        choices = cache.figures(token, "needs-states", [cycle.pk, scope_key], compute_states)
        form = NeedsFilterForm(request.GET or None, states=choices)
        area, state = form.values()
        # The secretariat reads the answers of an area or of a State at a time.
        list_answers = bool(area or state) or not scope.is_secretariat

        def compute() -> dict[str, Any]:
            found = selectors.needs(cycle, scope, area=area, state=state,
                                    known_states=read or None, list_answers=list_answers)
            return _with_html("_needs_figures.html", {
                "needs": found, "list_answers": list_answers,
                "area_chart": area_chart(found.areas)})

        found = cache.page_figures(
            token, "needs", [cycle.pk, scope_key, area, state, list_answers],
            compute, {"figures_html"})
        return {"cycle": cycle, "scope": scope, "form": form, **found}

    return _kept_page(
        request, token=token, page="needs", parts=[cycle.pk, scope_key],
        title=_("Difficulties and needs: %(title)s") % {"title": cycle.localized_title},
        template="reporting/analysis/_needs_page.html", build=build, demo=cycle.is_demo)


def area_chart(areas: list[selectors.Area]) -> SafeString:
    """How many answers each priority area drew."""
    chart = charts.bar_chart([charts.BarRow(area.label, area.answered, str(area.answered))
                              for area in areas])
    return charts.bar_svg(chart, "chart-areas", _("Answers counted per priority area"),
                          _bars_description())


# Downloads -------------------------------------------------------------------------------------

def _languages() -> list[str]:
    return language_codes()


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response


def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The consolidated analytical report of the cycle in the language asked for. The
    secretariat chooses its edition: full (confidential answers marked) or for circulation."""
    seen = selectors.cycle_for_user(request.user, pk)
    language = request.GET.get("language", "") or (request.LANGUAGE_CODE or "en")
    if language not in language_codes():
        raise Http404
    scope = seen.scope
    if scope.is_secretariat and request.GET.get("edition") == "circulation":
        scope = selectors.CIRCULATION
    built = reports.build(seen.cycle, scope, language, fmt)
    response = HttpResponse(built.data, content_type=built.content_type)
    return _attachment(response, built.filename)


def clarification_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The report on the States' replies to the requests for clarification of the cycle
    (decision 3/1 h), in the language asked for. The secretariat writes it to the Conference:
    anyone else gets 404, as for a cycle not seen."""
    seen = selectors.cycle_for_user(request.user, pk)
    if not access.is_secretariat(request.user):
        raise Http404
    language = request.GET.get("language", "") or (request.LANGUAGE_CODE or "en")
    if language not in language_codes():
        raise Http404
    built = clarifications.build(seen.cycle, request.user, language, fmt)
    response = HttpResponse(built.data, content_type=built.content_type)
    return _attachment(response, built.filename)


def answers_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The raw answers the reader may see, as CSV (streamed) or XLSX."""
    seen = selectors.cycle_for_user(request.user, pk)
    name = exports.filename(seen.cycle, fmt)
    if fmt == "csv":
        stream = StreamingHttpResponse(exports.csv_lines(seen.cycle, seen.scope),
                                       content_type="text/csv; charset=utf-8")
        return _attachment(stream, name)
    response = HttpResponse(exports.xlsx_bytes(seen.cycle, seen.scope),
                            content_type=exports.XLSX_TYPE)
    return _attachment(response, name)
