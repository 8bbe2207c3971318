"""Small inline SVG bar charts (no JavaScript, no external library).

Built with ElementTree, so every label is XML-escaped; colours come from CSS
classes (``docs/assets/timeline.css``) so the chart follows light/dark mode.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from builder.markup import xml_text

HEIGHT = 180
TOP, BOTTOM = 24, 36  # room for value labels above bars and x labels below
BAR, GAP, SIDE = 48, 32, 24


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar
    value: float
    value_label: str  # above the bar


def _text(parent: ET.Element, x: float, y: float, text: str, cls: str) -> None:
    el = ET.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", "class": cls, "text-anchor": "middle"})
    el.text = xml_text(text)


def _bar(svg: ET.Element, i: int, bar: Bar, top: float) -> None:
    plot = HEIGHT - TOP - BOTTOM
    height = max(1.0, plot * bar.value / top) if top > 0 else 1.0
    x = SIDE + i * (BAR + GAP)
    y = TOP + plot - height
    group = ET.SubElement(svg, "g")
    ET.SubElement(group, "title").text = xml_text(f"{bar.label}：{bar.value_label}")
    attrs = {"x": f"{x:g}", "y": f"{y:.1f}", "width": str(BAR), "height": f"{height:.1f}", "class": "tl-bar"}
    ET.SubElement(group, "rect", attrs)
    _text(group, x + BAR / 2, y - 6, bar.value_label, "tl-bar-value")
    _text(group, x + BAR / 2, HEIGHT - BOTTOM + 16, bar.label, "tl-bar-label")


def bar_chart(bars: list[Bar], title: str, chart_id: str) -> str:
    """One-line ``<svg>`` with one bar per item, heights relative to the largest."""
    width = 2 * SIDE + len(bars) * BAR + max(0, len(bars) - 1) * GAP
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "tl-chart-svg",
            "viewBox": f"0 0 {width} {HEIGHT}",
            "width": str(width),
            "height": str(HEIGHT),
            "role": "img",
            "aria-labelledby": chart_id,
        },
    )
    ET.SubElement(svg, "title", {"id": chart_id}).text = xml_text(title)
    base = HEIGHT - BOTTOM
    ET.SubElement(
        svg, "line", {"x1": "0", "x2": str(width), "y1": str(base), "y2": str(base), "class": "tl-axis"}
    )
    top = max((b.value for b in bars), default=0.0)
    for i, bar in enumerate(bars):
        _bar(svg, i, bar, top)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)
