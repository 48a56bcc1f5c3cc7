"""Geometry of the dashboard's charts, drawn by the templates as inline SVG.

The charts repeat what the tables next to them say (the tables are the accessible text);
no script draws them and no inline style colours them (the CSP forbids both): positions
are SVG presentation attributes, colours come from classes in spojka.css.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monitoring.indicators import IndicatorResult

LABEL_WIDTH = 230
BAR_AREA = 420
ROW_HEIGHT = 30
BAR_HEIGHT = 18


@dataclass
class HBar:
    label: str
    text: str
    y: int
    width: int
    status: str
    text_x: int
    text_y: int
    label_y: int


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_chart(results: list[IndicatorResult]) -> dict | None:
    """Horizontal bars: how far each indicator with a target got (100 % = the target)."""
    rows = [r for r in results if r.percent is not None]
    if not rows:
        return None
    bars = []
    for i, result in enumerate(rows):
        percent = max(0, result.percent)
        width = round(BAR_AREA * min(percent, 100) / 100)
        y = 10 + i * ROW_HEIGHT
        bars.append(
            HBar(
                label=_short(f"{result.indicator.code} {result.indicator.name}"),
                text=f"{percent} %",
                y=y,
                width=width,
                status=result.status,
                text_x=LABEL_WIDTH + width + 6,
                text_y=y + BAR_HEIGHT - 4,
                label_y=y + BAR_HEIGHT - 4,
            )
        )
    height = 20 + len(rows) * ROW_HEIGHT
    return {
        "width": LABEL_WIDTH + BAR_AREA + 60,
        "height": height,
        "label_width": LABEL_WIDTH,
        "bar_area": BAR_AREA,
        "bar_height": BAR_HEIGHT,
        "target_x": LABEL_WIDTH + BAR_AREA,
        "bars": bars,
        "axis_bottom": height - 6,
    }


@dataclass
class VBar:
    label: str
    text: str
    x: int
    y: int
    height: int
    frozen: bool
    text_x: int
    text_y: int


def period_chart(result: IndicatorResult, labels: list[str]) -> dict | None:
    """Vertical bars: the indicator's value in each reporting period."""
    if not result.periods:
        return None
    values = [result.period_value(i) for i in range(len(result.periods))]
    top = max([*values, Decimal(1)])
    plot_height, bar_width, gap, left = 160, 48, 22, 20
    bars = []
    for i, value in enumerate(values):
        height = round(plot_height * float(value / top))
        x = left + i * (bar_width + gap)
        bars.append(
            VBar(
                label=labels[i],
                text=_plain(value),
                x=x,
                y=20 + plot_height - height,
                height=height,
                frozen=i in result.frozen,
                text_x=x + bar_width // 2,
                text_y=20 + plot_height - height - 5,
            )
        )
    return {
        "width": left * 2 + len(values) * (bar_width + gap),
        "height": plot_height + 50,
        "bar_width": bar_width,
        "baseline_y": 20 + plot_height,
        "label_y": 20 + plot_height + 18,
        "bars": bars,
    }


def _plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
