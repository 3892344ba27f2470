"""Bar charts of the analysis, drawn as SVG on the server (as the directory's dashboard does).

Nothing depends on colour: every bar is named at its start and carries its figure at its end,
and the parts of a stacked bar (yes, partly, no) are told apart by patterns (solid, hatched,
dotted) named in a legend. The templates draw what these functions compute; a table of the
same figures follows every chart as its text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL = 230  # the bars start here; names end just before
RIGHT = 110  # room for the figures after the longest bar
ROW, BAR, TOP = 26, 16, 8
LEGEND = 28
MAX_LABEL = 34  # characters of a name in the chart; the table gives it whole

# Fills told apart without colour, in order; ids of the <pattern>s in _chart_defs.html.
PATTERNS = ("solid", "hatch", "dots", "cross", "outline")


def fill(pattern: str) -> str:
    """The SVG fill of a pattern (the <pattern>s are in _patterns.html, once per page)."""
    return {"solid": "currentColor", "outline": "none"}.get(pattern,
                                                             f"url(#analysis-{pattern})")


def short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


@dataclass(frozen=True)
class BarRow:
    label: str
    value: int
    text: str  # the figure written after the bar, e.g. "12 (40 %)"


@dataclass(frozen=True)
class DrawnBar:
    label: str
    text: str
    y: float  # top of the bar
    width: float
    pattern: str

    @property
    def text_y(self) -> float:
        return self.y + BAR - 3

    @property
    def end_x(self) -> float:
        return LABEL + self.width + 6

    @property
    def fill(self) -> str:
        return fill(self.pattern)


@dataclass(frozen=True)
class Segment:
    value: int
    pattern: str
    label: str


@dataclass(frozen=True)
class DrawnSegment:
    x: float
    width: float
    pattern: str
    value: int

    @property
    def fill(self) -> str:
        return fill(self.pattern)

    @property
    def middle(self) -> float:
        return self.x + self.width / 2

    @property
    def labelled(self) -> bool:  # wide enough to carry its figure
        return self.width >= 22


@dataclass(frozen=True)
class StackedRow:
    label: str
    y: float
    segments: list[DrawnSegment]
    text: str

    @property
    def text_y(self) -> float:
        return self.y + BAR - 3

    @property
    def end_x(self) -> float:
        return LABEL + sum(s.width for s in self.segments) + 6


@dataclass(frozen=True)
class LegendItem:
    x: float
    pattern: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + 18

    @property
    def fill(self) -> str:
        return fill(self.pattern)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_x: int  # where names end
    left: int  # where bars start
    bars: list[DrawnBar]
    rows: list[StackedRow]
    legend: list[LegendItem]
    legend_y: float
    bar_height: int = BAR

    @property
    def legend_text_y(self) -> float:
        return self.legend_y + 11


def bar_chart(rows: Sequence[BarRow], *, maximum: int | None = None,
              patterned: bool = False) -> Chart | None:
    """One labelled horizontal bar per row, scaled to ``maximum`` (else the largest value).
    ``patterned`` gives each bar its own pattern, for the answers of one question."""
    if not rows:
        return None
    top_value = max(maximum or 0, max(row.value for row in rows), 1)
    span = WIDTH - LABEL - RIGHT
    bars = [DrawnBar(short(row.label), row.text, TOP + i * ROW, span * row.value / top_value,
                     PATTERNS[i % len(PATTERNS)] if patterned else "solid")
            for i, row in enumerate(rows)]
    return Chart(WIDTH, TOP * 2 + ROW * len(rows), LABEL - 8, LABEL, bars, [], [], 0)


def stacked_chart(rows: Sequence[tuple[str, Sequence[Segment], str]],
                  legend: Sequence[tuple[str, str]]) -> Chart | None:
    """One bar per row made of segments (e.g. yes, partly, no) scaled to the row's total,
    with a legend of the patterns: ``legend`` is (pattern, name) pairs."""
    if not rows:
        return None
    span = WIDTH - LABEL - RIGHT
    drawn = []
    for i, (label, segments, text) in enumerate(rows):
        total = sum(s.value for s in segments) or 1
        x = float(LABEL)
        parts = []
        for segment in segments:
            width = span * segment.value / total
            parts.append(DrawnSegment(x, width, segment.pattern, segment.value))
            x += width
        drawn.append(StackedRow(short(label), TOP + i * ROW, parts, text))
    legend_y = TOP + ROW * len(rows) + 6
    items = [LegendItem(LABEL + i * 130, pattern, name)
             for i, (pattern, name) in enumerate(legend)]
    return Chart(WIDTH, int(legend_y + LEGEND), LABEL - 8, LABEL, [], drawn, items, legend_y)


# Drawing ------------------------------------------------------------------------------------
# Charts are written here rather than in template loops: a page of many questions draws many
# charts, and string building is several times cheaper than rendering nested templates.

def _n(value: float) -> str:
    return f"{value:.1f}"


def _open(chart: Chart, chart_id: str, title: str, description: str) -> list[str]:
    return [
        f'<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" dir="ltr" '
        f'direction="ltr" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" viewBox="0 0 {chart.width} {chart.height}" width="100%" '
        f'font-size="12" fill="currentColor">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc><g aria-hidden="true">',
    ]


def _close(chart: Chart) -> str:
    return (f'<line x1="{chart.left}" x2="{chart.left}" y1="0" y2="{chart.height}" '
            f'stroke="currentColor"/></g></svg></figure>')


def bar_svg(chart: Chart | None, chart_id: str, title: str, description: str) -> SafeString:
    """The bar chart as inline SVG (empty without a chart)."""
    if chart is None:
        return mark_safe("")
    parts = _open(chart, chart_id, title, description)
    for bar in chart.bars:
        parts.append(
            f'<text x="{chart.label_x}" y="{_n(bar.text_y)}" text-anchor="end">'
            f'{escape(bar.label)}</text><rect x="{chart.left}" y="{_n(bar.y)}" '
            f'width="{_n(bar.width)}" height="{chart.bar_height}" fill="{bar.fill}" '
            f'stroke="currentColor"/><text x="{_n(bar.end_x)}" y="{_n(bar.text_y)}">'
            f'{escape(bar.text)}</text>')
    parts.append(_close(chart))
    return mark_safe("".join(parts))


def stacked_svg(chart: Chart | None, chart_id: str, title: str,
                description: str) -> SafeString:
    """The stacked chart with its legend as inline SVG (empty without a chart)."""
    if chart is None:
        return mark_safe("")
    parts = _open(chart, chart_id, title, description)
    for row in chart.rows:
        parts.append(f'<text x="{chart.label_x}" y="{_n(row.text_y)}" text-anchor="end">'
                     f'{escape(row.label)}</text>')
        for segment in row.segments:
            if segment.value:
                parts.append(f'<rect x="{_n(segment.x)}" y="{_n(row.y)}" '
                             f'width="{_n(segment.width)}" height="{chart.bar_height}" '
                             f'fill="{segment.fill}" stroke="currentColor"/>')
        parts.append(f'<text x="{_n(row.end_x)}" y="{_n(row.text_y)}">{escape(row.text)}</text>')
    for item in chart.legend:
        parts.append(f'<rect x="{_n(item.x)}" y="{_n(chart.legend_y)}" width="14" height="14" '
                     f'fill="{item.fill}" stroke="currentColor"/><text x="{_n(item.text_x)}" '
                     f'y="{_n(chart.legend_text_y)}">{escape(item.label)}</text>')
    parts.append(_close(chart))
    return mark_safe("".join(parts))
