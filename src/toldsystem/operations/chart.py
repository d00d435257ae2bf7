"""The availability history as a chart on the status page (SPEC O): per month of a year, the hours inside
planned service windows and inside disruptions, summed over the systems shown, drawn on the server as SVG by
pygal — no script in the page (pygal's own interactive script is left out). Pure: the report's rows are given."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import pygal
from pygal.style import Style

from toldsystem.operations.report import MonthRow
from toldsystem.operations.texts import MONTHS, text

_STYLE = Style(background="white", plot_background="white", foreground="#1a1a1a", foreground_strong="#1a1a1a",
               foreground_subtle="#6b6b6b", colors=("#1f5fa8", "#b3261e"), font_family="system-ui, sans-serif",
               label_font_size=13, major_label_font_size=13, legend_font_size=14, title_font_size=16)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


@dataclass(frozen=True, slots=True)
class MonthHours:
    month: int
    planned: float
    disruption: float


def monthly_hours(rows: Iterable[MonthRow]) -> list[MonthHours]:
    """The twelve months, each with its hours (one decimal) summed over the rows' systems."""
    planned, disruption = [0] * 12, [0] * 12
    for row in rows:
        planned[row.month - 1] += row.planned_minutes
        disruption[row.month - 1] += row.disruption_minutes
    return [MonthHours(m + 1, round(planned[m] / 60, 1), round(disruption[m] / 60, 1)) for m in range(12)]


def svg(hours: list[MonthHours], language: str, year: int, environment: str = "PRD") -> str:
    """A bar chart of the months' hours as an SVG element, to put into the page as it is."""
    chart = pygal.Bar(style=_STYLE, width=900, height=360, js=[], disable_xml_declaration=True,
                      explicit_size=False, legend_at_bottom=True, print_values=False, show_y_guides=True,
                      title=text("availability", language, year=year), margin=16)
    chart.x_labels = list(MONTHS[language])
    chart.add(text("planned_hours", language), [h.planned for h in hours])
    chart.add(text("disruption_hours", language), [h.disruption for h in hours])
    drawn = _SCRIPT.sub("", chart.render(is_unicode=True))  # pygal's configuration for its script, unused here
    label = text("chart_caption", language, environment=environment)
    return drawn.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


__all__ = ["MonthHours", "monthly_hours", "svg"]
