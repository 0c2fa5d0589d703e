"""Pure functions from frames to plotly figures (no widgets: views wrap them).

Colours carry severity the same way everywhere: critical red, warning amber,
info grey.

Axes read the same in both languages: months are ``yyyy-mm`` category labels (never
plotly's "Jan 2023"), counts tick at whole numbers with thousands separators
(:func:`count_axis`), hover texts use the same formats.  plotly.js's own words (mode-bar
tooltips, hints) come in the reader's language from :func:`plot_config`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from workbench.labels import PLOTLY_ZH, PLOTLY_ZH_FORMAT

#: A small house template: the full default template costs tens of milliseconds to validate
#: for every figure, which the 300 ms budget of an enterprise switch cannot spare.
TEMPLATE = go.layout.Template(layout={
    "font": {"size": 12}, "paper_bgcolor": "white", "plot_bgcolor": "#f4f6f8",
    "colorway": ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"],
    "xaxis": {"gridcolor": "white", "zeroline": False},
    "yaxis": {"gridcolor": "white", "zeroline": False}, "hovermode": "closest"})

#: Mode-bar buttons left out: selections and hover modes a reviewer does not use here, and
#: "share chart", which uploads the figure to Plotly's cloud (data must not leave).
MODEBAR_REMOVED = ("select2d", "lasso2d", "toggleSpikelines", "hoverClosestCartesian",
                   "hoverCompareCartesian", "sendChartToCloud")


def plot_config(locale: str) -> dict:
    """plotly.js's config for a figure read in ``locale``: no logo, a short mode bar, and
    for zh-CN its tooltips and hints in Chinese (an inline locale, nothing fetched)."""
    config = {"displaylogo": False, "modeBarButtonsToRemove": list(MODEBAR_REMOVED)}
    if locale == "zh-CN":
        config.update(locale="zh-CN", locales={"zh-CN": {"dictionary": PLOTLY_ZH,
                                                          "format": PLOTLY_ZH_FORMAT}})
    return config


#: An axis of monthly periods (``yyyy-mm`` strings) shown as they are, in order.
MONTH_AXIS = {"type": "category", "categoryorder": "category ascending"}


def count_axis(max_value: float | None = None) -> dict:
    """Axis settings for a count: whole-number ticks with thousands separators, from 0.

    Plotly picks steps of 0.2 or 0.5 for a small range (ticks at 0.5, 1.5 …): up to 10 the
    step is set to 1, above that plotly's own steps are whole numbers (2, 5, 10 …) and
    ``,d`` keeps them unrounded and separated."""
    axis = {"tickformat": ",d", "rangemode": "tozero", "hoverformat": ",d"}
    if max_value is None or not max_value > 0 or max_value <= 10:
        axis.update(tick0=0, dtick=1)
    return axis


SEVERITY_COLOURS = {"critical": "#d62728", "warning": "#ff9f1c", "info": "#8c8c8c", "": "#1f77b4"}


def history_figure(hist: pd.DataFrame, title: str, y_label: str) -> go.Figure:
    """A parameter's monthly series; flagged months marked by severity, revised months hollow."""
    colours = hist["flag_severity"].map(SEVERITY_COLOURS).fillna(SEVERITY_COLOURS[""])
    symbols = ["circle-open" if r > 0 else "circle" for r in hist["revisions"]]
    hover = ("%{x}: %{y}<br>source %{customdata[0]} · revisions %{customdata[1]}"
             "<br>first filed %{customdata[2]}<extra>%{customdata[3]}</extra>")
    fig = go.Figure(go.Scatter(
        x=hist["period"], y=hist["value"], mode="lines+markers",
        marker={"color": colours, "size": 9, "symbol": symbols},
        line={"color": "#9db4c0"},
        customdata=hist[["source_code", "revisions", "first_value", "flag_severity"]].to_numpy(),
        hovertemplate=hover))
    fig.update_layout(template=TEMPLATE, title=title, yaxis_title=y_label, height=320,
                      margin={"l": 60, "r": 20, "t": 50, "b": 40}, xaxis=MONTH_AXIS)
    return fig


def daily_figure(dvm: pd.DataFrame, title: str) -> go.Figure:
    """Monthly filed value against the sum of daily values."""
    fig = go.Figure([go.Bar(x=dvm["period"], y=dvm["daily_sum"], name="Σ daily / 日数据合计",
                            marker_color="#c7d7e0"),
                     go.Scatter(x=dvm["period"], y=dvm["monthly"], name="monthly / 月度填报",
                                mode="lines+markers", line={"color": "#1f77b4"})])
    fig.update_layout(template=TEMPLATE, title=title, height=300,
                      margin={"l": 60, "r": 20, "t": 50, "b": 40},
                      legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02,
                              "yanchor": "bottom"}, xaxis=MONTH_AXIS)
    return fig


def peer_figure(peers: pd.DataFrame, title: str, x_label: str) -> go.Figure:
    """Peers' typical values as a strip with a box; the enterprise's own units highlighted."""
    others = peers[~peers["is_self"]]
    mine = peers[peers["is_self"]]
    fig = go.Figure([
        go.Box(x=others["value"], name="peers / 同类", boxpoints="all", jitter=0.4,
               marker={"color": "#9db4c0", "size": 5}, line={"color": "#6c8797"},
               customdata=others[["unit_id"]].to_numpy(),
               hovertemplate="%{customdata[0]}: %{x}<extra></extra>"),
        go.Scatter(x=mine["value"], y=["peers / 同类"] * len(mine), mode="markers",
                   name="this unit / 本机组",
                   marker={"color": SEVERITY_COLOURS["critical"], "size": 14,
                           "symbol": "diamond"}),
    ])
    fig.update_layout(template=TEMPLATE, title=title, xaxis_title=x_label, height=260,
                      showlegend=False,
                      margin={"l": 90, "r": 20, "t": 50, "b": 40})
    return fig


def carbon_ncv_figure(fit: dict, title: str) -> go.Figure:
    """Lab reports' C_ar against NCV: the judged population, the fit line of each coal
    group, and this enterprise's reports with the band each was judged by (error bars:
    ``expected_low``–``expected_high``, from the screening)."""
    pop, own = fit["population"], fit["own"]
    traces = []
    if len(pop):
        traces.append(go.Scattergl(x=pop["ncv_ar_gj_per_t"], y=pop["carbon_ar_pct"],
                                   mode="markers", name="peers / 同类",
                                   marker={"color": "#c7d7e0", "size": 4}))
    for f in fit["fits"].itertuples():
        x = pd.Series([f.ncv_min, f.ncv_max])
        traces.append(go.Scatter(x=x, y=f.a + f.b * x, mode="lines",
                                 line={"color": "#6c8797"}, name=f"fit / 回归 {f.fit_group}"))
    if len(own):
        traces.append(go.Scatter(
            x=own["ncv_ar_gj_per_t"], y=own["expected"], mode="markers",
            name="band / 判定区间", marker={"color": "#6c8797", "size": 5, "symbol": "line-ew"},
            error_y={"type": "data", "symmetric": False,
                     "array": (own["expected_high"] - own["expected"]).to_numpy(),
                     "arrayminus": (own["expected"] - own["expected_low"]).to_numpy(),
                     "color": "#6c8797", "thickness": 1}))
        traces.append(go.Scatter(
            x=own["ncv_ar_gj_per_t"], y=own["carbon_ar_pct"], mode="markers",
            name="this enterprise / 本企业",
            marker={"color": SEVERITY_COLOURS["critical"], "size": 8},
            customdata=own[["unit_id", "period", "report_id"]].to_numpy(),
            hovertemplate="%{customdata[0]} %{customdata[1]}<br>%{customdata[2]}"
                          "<extra></extra>"))
    fig = go.Figure(traces)
    fig.update_layout(template=TEMPLATE, title=title, xaxis_title="NCV_ar (GJ/t)",
                      yaxis_title="C_ar (%)",
                      height=360, margin={"l": 60, "r": 20, "t": 50, "b": 40})
    return fig


def city_heatmap(matrix: pd.DataFrame, title: str, colour_label: str) -> go.Figure:
    """Heatmap of a city × month matrix of counts (e.g. enterprises with critical flags):
    months ``yyyy-mm``, a colour bar ticking at whole numbers."""
    z = matrix.to_numpy()
    top = float(z.max()) if z.size else 0.0
    bar = {k: v for k, v in count_axis(top).items() if k in ("tickformat", "tick0", "dtick")}
    fig = go.Figure(go.Heatmap(z=z, x=list(matrix.columns),
                               y=list(matrix.index), colorscale="OrRd", zmin=0,
                               zmax=max(top, 1.0),
                               colorbar={"title": {"text": colour_label}, **bar},
                               hovertemplate="%{y} %{x}: %{z:,d}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=title, height=max(240, 90 + 22 * len(matrix)),
                      margin={"l": 160, "r": 20, "t": 40, "b": 70},
                      xaxis={**MONTH_AXIS, "tickangle": -45}, yaxis={"autorange": "reversed"})
    return fig


def kpi_trend(months: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """The dashboard's trend: monthly on-time and first-time pass rates (lines, left axis in
    %) and enterprise-months with problems (bars, right axis, whole numbers); ``names`` gives
    the legend text of ``on_time``, ``first_pass`` and ``problems``."""
    problems = months["enterprise_periods_with_problems"]
    fig = go.Figure([
        go.Scatter(x=months["period"], y=months["on_time_deposit_rate"],
                   name=names["on_time"], hovertemplate="%{x}: %{y:.1%}<extra></extra>"),
        go.Scatter(x=months["period"], y=months["first_time_pass_rate"],
                   name=names["first_pass"], hovertemplate="%{x}: %{y:.1%}<extra></extra>"),
        go.Bar(x=months["period"], y=problems, name=names["problems"], yaxis="y2",
               opacity=0.4, hovertemplate="%{x}: %{y:,d}<extra></extra>"),
    ])
    top = float(problems.max()) if len(problems) else 0.0
    fig.update_layout(template=TEMPLATE, height=320,
                      margin={"l": 50, "r": 50, "t": 40, "b": 70},
                      xaxis={**MONTH_AXIS, "tickangle": -45},
                      yaxis={"tickformat": ".0%", "range": [0, 1.05]},
                      yaxis2={"overlaying": "y", "side": "right", "showgrid": False,
                              **count_axis(top)},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    return fig
