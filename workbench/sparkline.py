"""Sparklines: a small inline SVG line of one indicator over the months, for KPI cards.

A dashboard's first screen shows each indicator's trend beside its value.  Drawing these
as inline SVG (a few hundred bytes, painted with the page) keeps the first screen free of
plotly.js, whose loading and first drawing cost about 2 s of browser time on a 2-core
machine; the detailed plotly figures are drawn when their tab is opened.  Each point
carries an SVG ``<title>``, so hovering a point shows its period and value.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

#: Inner margin (px) so the line and the end dot are not clipped at the edges.
_PAD = 3.0


def sparkline_svg(periods: Sequence[str], values: Sequence[float | None],
                  fmt: Callable[[float], str] = "{:,.0f}".format, width: int = 140,
                  height: int = 32, colour: str = "#1f77b4") -> str:
    """An inline ``<svg>`` drawing ``values`` (one per period, in order) as a line.

    Missing values (``None``/NaN/±inf) break the line and get no point; a series that is
    constant is drawn flat through the middle.  The last value gets a filled dot.  Every
    point has a hover text ``"<period>: <fmt(value)>"`` (escaped).  With no finite value
    the SVG is empty but keeps its size, so cards stay aligned.
    """
    if len(periods) != len(values):
        raise ValueError(f"sparkline: {len(periods)} periods but {len(values)} values")
    n = len(values)
    finite = [(i, float(v)) for i, v in enumerate(values)
              if v is not None and math.isfinite(float(v))]
    parts = [f'<svg class="wb-spark" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img">']
    if finite:
        lo = min(v for _, v in finite)
        hi = max(v for _, v in finite)

        def xy(i: int, v: float) -> tuple[float, float]:
            x = _PAD + (width - 2 * _PAD) * (i / (n - 1) if n > 1 else 0.5)
            y = height / 2 if hi == lo else _PAD + (height - 2 * _PAD) * (hi - v) / (hi - lo)
            return round(x, 1), round(y, 1)

        points = [(i, v, *xy(i, v)) for i, v in finite]
        runs: list[list[str]] = []                # consecutive months, one polyline each
        for k, (i, _, x, y) in enumerate(points):
            if k == 0 or i != points[k - 1][0] + 1:
                runs.append([])
            runs[-1].append(f"{x},{y}")
        for run in runs:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" '
                         f'points="{" ".join(run)}"/>')
        for k, (i, v, x, y) in enumerate(points):
            fill = colour if k == len(points) - 1 else "transparent"
            tip = html.escape(f"{periods[i]}: {fmt(v)}")
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{fill}">'
                         f"<title>{tip}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
