"""Charts drawn on the server as SVG: no script, no network, readable by screen readers.

Each chart is an ``<svg role="img">`` with a ``<title>`` and, beside it on the page, the same
numbers as a table and a CSV download. Colours come from the stylesheet (classes), not inline
styles, so the pages keep a strict Content-Security-Policy. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 28


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    value: float
    low: float | None = None
    high: float | None = None


def _svg(title: str, body: str, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / (count - 1)
    return [low + step * i for i in range(count)]


def line_with_band(
    points: Sequence[Point],
    *,
    title: str,
    low: float = -100.0,
    high: float = 100.0,
    value_text: Callable[[float], str] = lambda v: f"{v:.0f}",
) -> Markup:
    """A line of values with their interval drawn as a band (e.g. NPS by month, 95 % CI)."""
    if not points:
        return _svg(title, "")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / len(points))

    def y(v: float) -> float:
        v = min(max(v, low), high)
        return TOP + plot_h * (high - v) / (high - low)

    parts = []
    for tick in _ticks(low, high):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="axis" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(value_text(tick))}</text>'
        )
    if low < 0 < high:
        parts.append(
            f'<line class="zero" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>'
        )
    banded = [(i, p) for i, p in enumerate(points) if p.low is not None and p.high is not None]
    if banded:
        upper = " ".join(f"{x(i):.1f},{y(p.high or 0):.1f}" for i, p in banded)
        lower = " ".join(f"{x(i):.1f},{y(p.low or 0):.1f}" for i, p in reversed(banded))
        parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
    line = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline class="series" points="{line}"/>')
    every = max(1, len(points) // 8)
    for i, p in enumerate(points):
        interval = (
            f" ({escape(value_text(p.low))} … {escape(value_text(p.high))})"
            if p.low is not None and p.high is not None
            else ""
        )
        parts.append(
            f'<circle class="dot" cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3">'
            f"<title>{escape(p.label)}: {escape(value_text(p.value))}{interval}</title></circle>"
        )
        if i % every == 0:
            parts.append(
                f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"{escape(p.label)}</text>"
            )
    return _svg(title, "".join(parts))


def bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    value_text: Callable[[float], str] = lambda v: f"{v:,.0f}",
    css: Sequence[str] | None = None,
) -> Markup:
    """Horizontal bars, one a label, longest first as given."""
    if not items:
        return _svg(title, "", height=40)
    row, label_w = 24, 150
    height = TOP + row * len(items) + 8
    top = max((value for _, value in items), default=0) or 1
    plot_w = WIDTH - label_w - 80
    parts = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * row
        w = max(0.0, plot_w * value / top)
        cls = css[i] if css and i < len(css) else "bar"
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="{escape(cls)}" x="{label_w}" y="{y + 3}" width="{w:.1f}" '
            f'height="{row - 8}"><title>{escape(label)}: {escape(value_text(value))}</title></rect>'
            f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 15}">'
            f"{escape(value_text(value))}</text>"
        )
    return _svg(title, "".join(parts), height=height)


def share_bar(parts: Sequence[tuple[str, float, str]], *, title: str) -> Markup:
    """One bar split in shares (promoters / passives / detractors), each with its percent."""
    total = sum(value for _, value, _ in parts)
    height = 46
    if total <= 0:
        return _svg(title, "", height=height)
    x = 0.0
    pieces = []
    for label, value, cls in parts:
        w = WIDTH * value / total
        share = 100 * value / total
        pieces.append(
            f'<rect class="{escape(cls)}" x="{x:.1f}" y="4" width="{w:.1f}" height="30">'
            f"<title>{escape(label)}: {share:.1f} %</title></rect>"
        )
        if w > 60:
            pieces.append(
                f'<text class="inside" x="{x + w / 2:.1f}" y="24" text-anchor="middle">'
                f"{escape(label)} {share:.0f} %</text>"
            )
        x += w
    return _svg(title, "".join(pieces), height=height)


def histogram(
    bins: Sequence[tuple[float, float, int]],
    *,
    title: str,
    edge_text: Callable[[float], str] = lambda v: f"{v:,.0f}",
) -> Markup:
    """Columns of counts over consecutive ranges (e.g. customers by CLV)."""
    if not bins:
        return _svg(title, "")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(count for _, _, count in bins) or 1
    w = plot_w / len(bins)
    parts = []
    for i, (low, high, count) in enumerate(bins):
        h = plot_h * count / top
        parts.append(
            f'<rect class="bar" x="{LEFT + i * w + 1:.1f}" y="{TOP + plot_h - h:.1f}" '
            f'width="{max(w - 2, 1):.1f}" height="{h:.1f}"><title>{escape(edge_text(low))} – '
            f"{escape(edge_text(high))}: {count}</title></rect>"
        )
    for i, anchor in ((0, "start"), (len(bins) // 2, "middle"), (len(bins), "end")):
        edge = bins[min(i, len(bins) - 1)][0 if i < len(bins) else 1]
        suffix = "+" if i == len(bins) else ""
        parts.append(
            f'<text class="axis" x="{LEFT + i * w:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
            f"{escape(edge_text(edge))}{suffix}</text>"
        )
    parts.append(
        f'<text class="axis" x="{LEFT - 6}" y="{TOP + 8}" text-anchor="end">{top}</text>'
        f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/>'
    )
    return _svg(title, "".join(parts))
