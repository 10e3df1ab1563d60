"""Server-side SVG charts: no JavaScript, no CDN, no inline style (the CSP forbids it).

The SVGs scale to the container (viewBox, width 100%), so they read on a 360px phone and print as vectors.
Every chart carries a <title> and a <desc> for screen readers; the pages show the same figures in a table.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe pair (Okabe–Ito blue and orange) plus a third for a rare third series.
PALETTE = ("#0072B2", "#E69F00", "#009E73")
FONT = 'font-family="system-ui, Arial, sans-serif"'


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _legend(series_names: list[str], x: float, y: float) -> list[str]:
    parts, px = [], x
    for i, name in enumerate(series_names):
        parts.append(f'<rect x="{px}" y="{y - 10}" width="11" height="11" fill="{PALETTE[i % 3]}"/>')
        parts.append(f'<text x="{px + 15}" y="{y}" font-size="12" {FONT} fill="#1b1f23">{escape(name)}</text>')
        px += 15 + len(name) * 6.6 + 14  # roughly the text's width at 12px
    return parts


def bar_chart(rows: list[tuple[str, list[float | None]]], *, title: str, series: list[str], unit: str = "",
              max_value: float | None = None, chart_id: str = "bar") -> SafeString:
    """Horizontal grouped bars: one group per row label, one bar per series (None draws nothing)."""
    width, label_w, value_w, bar_h, gap = 320, 84, 44, 13, 7
    group_h = bar_h * len(series) + gap
    top = 24 if len(series) > 1 else 4
    height = top + group_h * max(len(rows), 1) + 4
    values = [v for _, vs in rows for v in vs if v is not None]
    scale_max = max_value or _nice_max(max(values) if values else 0)
    plot_w = width - label_w - value_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">' + escape("; ".join(
            f"{label}: " + ", ".join(f"{s} {'-' if v is None else _fmt(v)}{unit}" for s, v in zip(series, vs,
                                                                                              strict=False))
            for label, vs in rows)) + "</desc>",
    ]
    if len(series) > 1:
        parts += _legend(series, 4, 13)
    for i, (label, vs) in enumerate(rows):
        y0 = top + i * group_h
        parts.append(f'<text x="{label_w - 6}" y="{y0 + group_h / 2 + 1}" font-size="12" text-anchor="end" '
                     f'{FONT} fill="#1b1f23">{escape(label)}</text>')
        for j, v in enumerate(vs):
            y = y0 + j * bar_h
            if v is None:
                parts.append(f'<text x="{label_w + 2}" y="{y + bar_h - 2}" font-size="11" {FONT} fill="#555">–</text>')
                continue
            w = max(plot_w * min(v, scale_max) / scale_max, 0.5 if v else 0)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 1}" fill="{PALETTE[j % 3]}"/>')
            parts.append(f'<text x="{label_w + w + 3:.1f}" y="{y + bar_h - 2}" font-size="11" {FONT} '
                         f'fill="#1b1f23">{_fmt(v)}{escape(unit)}</text>')
    parts.append(f'<line x1="{label_w}" y1="{top - 2}" x2="{label_w}" y2="{height - 4}" stroke="#8a939c"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


def line_chart(labels: list[str], series: list[tuple[str, list[float]]], *, title: str,
               chart_id: str = "line") -> SafeString:
    """Lines over ordered labels (months): one polyline with dots per series, y axis from zero."""
    width, height, left, right, top, bottom = 320, 200, 30, 8, 26, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vs in series for v in vs]
    y_max = _nice_max(max(values) if values else 0)
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)

    def xy(i, v):
        return left + i * step, top + plot_h - plot_h * v / y_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">' + escape("; ".join(
            f"{name}: " + ", ".join(f"{lab} {_fmt(v)}" for lab, v in zip(labels, vs, strict=False))
            for name, vs in series)) + "</desc>",
    ]
    parts += _legend([name for name, _ in series], 4, 13)
    for k in range(5):
        tick = y_max * k / 4
        _, y = xy(0, tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d0d5db"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" {FONT} '
                     f'fill="#555">{_fmt(round(tick, 1))}</text>')
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" {FONT} '
                     f'fill="#555">{escape(label)}</text>')
    for j, (_name, vs) in enumerate(series):
        colour = PALETTE[j % 3]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(vs)))
        dash = ' stroke-dasharray="5 3"' if j % 2 else ""  # not by colour alone
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for i, v in enumerate(vs):
            x, y = xy(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
