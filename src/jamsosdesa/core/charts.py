"""Server-rendered SVG charts (no JavaScript chart library): the coverage dashboard and its A4 report, the PERISAI
agents' rankings.

Every chart is a list of horizontal bars, each with its label written above it at the left and its number above
it at the right edge: read at a glance, never by colour alone, and the same pixel size of text on a 360-px phone
and on a desk. The SVG has no viewBox: bar lengths and the number's place are percentages of the chart's width,
text is in pixels, so a narrow screen makes the bars shorter, never the text smaller or the page wider. Each chart
carries a <title> and a <desc> listing its numbers (role="img").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

ROW = 36  # px per bar: a line with the label (left) and the number (right), the 12-px bar under it
TOP = 4
BAR = "#1565c0"
BAR_SECOND = "#5e9ad6"
TRACK = "#e3e8ef"
MARK = "#b71c1c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the number as the page writes it ("1.234", "43,2 %")
    second: bool = False  # drawn in the lighter shade (a second series: counted beside protected)


def _pct(value: float, top: float) -> float:
    if top <= 0 or value <= 0:
        return 0.0
    return round(min(value / top, 1.0) * 100, 2)


def hbars(bars: list[Bar], *, chart_id: str, title: str, desc: str, top: float | None = None,
          mark: tuple[float, str] | None = None) -> SafeString:
    """Horizontal bars scaled to `top` (default: the largest value, or the mark's), with an optional vertical
    mark (a target: value and its words) drawn across every bar."""
    largest = max([b.value for b in bars] + [mark[0] if mark else 0] + [0])
    top = top if top is not None else largest
    extra = 18 if mark else 0
    height = TOP + extra + ROW * len(bars) + 4
    parts = [format_html('<svg class="chart" role="img" width="100%" height="{}" aria-labelledby="{}-t {}-d" '
                         'font-size="13" fill="currentColor" data-chart="{}">'
                         '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
                         height, chart_id, chart_id, chart_id, chart_id, title, chart_id, desc)]
    for i, bar in enumerate(bars):
        y = TOP + extra + ROW * i
        width = _pct(bar.value, top)
        parts.append(format_html(
            '<g><title>{}: {}</title><text x="0" y="{}">{}</text>'
            '<text x="100%" y="{}" text-anchor="end" font-weight="600">{}</text>'
            '<rect x="0" y="{}" width="100%" height="12" fill="{}"/>'
            '<rect x="0" y="{}" width="{}%" height="12" fill="{}"/></g>',
            bar.label, bar.text, y + 13, bar.label, y + 13, bar.text, y + 18, TRACK, y + 18, width,
            BAR_SECOND if bar.second else BAR))
    if mark:  # a dashed stroke across each bar (never across the numbers), its words above the first
        x = _pct(mark[0], top)
        anchor = "end" if x > 50 else "start"
        strokes = "".join(format_html('<line x1="{}%" x2="{}%" y1="{}" y2="{}"/>', x, x, TOP + extra + ROW * i + 15,
                                      TOP + extra + ROW * i + 33) for i in range(len(bars)))
        parts.append(format_html(
            '<g stroke="{}" stroke-width="2" stroke-dasharray="3 2">{}</g>'
            '<text x="{}%" y="{}" text-anchor="{}" fill="{}" dx="{}">{}</text>',
            MARK, mark_safe(strokes), x, TOP + 11, anchor, MARK, -3 if anchor == "end" else 3, mark[1]))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def meter(percent: float | None, *, label: str) -> SafeString:
    """A small bar for a table cell (hidden from screen readers: the cell's number says it)."""
    width = 0 if percent is None else round(max(0.0, min(percent, 100.0)), 1)
    return format_html('<svg class="meter" width="100%" height="8" aria-hidden="true" focusable="false">'
                       '<title>{}</title><rect width="100%" height="8" fill="{}"/>'
                       '<rect width="{}%" height="8" fill="{}"/></svg>', escape(label), TRACK, width, BAR)
