"""Sparklines: well-formed SVG, one hover point per finite value, inside the box."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.sparkline import sparkline_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


values_st = st.lists(st.one_of(st.none(), st.just(math.nan), st.just(math.inf),
                               st.floats(-1e12, 1e12, allow_nan=False)), max_size=40)


@given(values_st)
def test_points_are_finite_values_inside_the_box(values):
    periods = [f"2024-{i:02d}" for i in range(len(values))]
    root = _parse(sparkline_svg(periods, values, width=100, height=20))
    finite = [v for v in values if v is not None and math.isfinite(v)]
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == len(finite)
    for c in circles:
        assert 0 <= float(c.get("cx")) <= 100 and 0 <= float(c.get("cy")) <= 20
    for line in root.findall(f"{SVG}polyline"):
        for point in line.get("points").split():
            x, y = map(float, point.split(","))
            assert 0 <= x <= 100 and 0 <= y <= 20
    if finite:
        assert circles[-1].get("fill") != "transparent"        # the latest value stands out


def test_gap_breaks_the_line_and_hover_names_period_and_value():
    svg = sparkline_svg(["2024-01", "2024-02", "2024-03", "2024-04"], [0.5, 0.9, None, 0.7],
                        fmt="{:.0%}".format)
    root = _parse(svg)
    lines = root.findall(f"{SVG}polyline")
    assert [len(x.get("points").split()) for x in lines] == [2, 1]
    tips = [c.find(f"{SVG}title").text for c in root.findall(f"{SVG}circle")]
    assert tips == ["2024-01: 50%", "2024-02: 90%", "2024-04: 70%"]
    ys = [float(c.get("cy")) for c in root.findall(f"{SVG}circle")]
    assert ys[1] < ys[2] < ys[0]                             # higher value, higher on screen


def test_constant_series_is_flat_and_labels_are_escaped():
    root = _parse(sparkline_svg(["<b>", "x&y"], [3, 3]))
    assert {float(c.get("cy")) for c in root.findall(f"{SVG}circle")} == {16.0}
    assert root.findall(f"{SVG}circle")[0].find(f"{SVG}title").text == "<b>: 3"


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="2 periods but 1 values"):
        sparkline_svg(["a", "b"], [1])
