"""Plotly figures of the investigation cases, in the house template of :mod:`workbench.plots`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from workbench.i18n import parameter_label, pick
from workbench.labels import header
from workbench.plots import SEVERITY_COLOURS, TEMPLATE
from workbench.review import ALL_KEY_PARAMETERS

_MARGIN = {"l": 60, "r": 20, "t": 50, "b": 40}


def series_figure(series: pd.DataFrame, locale: str) -> go.Figure:
    """Key parameters month by month, one panel per parameter and one line per unit; flagged
    months coloured by their worst severity (:data:`workbench.plots.SEVERITY_COLOURS`)."""
    codes = [c for c in ALL_KEY_PARAMETERS if c in set(series["parameter_code"])]
    fig = make_subplots(rows=max(len(codes), 1), cols=1, shared_xaxes=True,
                        vertical_spacing=0.04,
                        subplot_titles=[parameter_label(c, locale) for c in codes])
    for row, code in enumerate(codes, start=1):
        for i, (unit, s) in enumerate(series[series["parameter_code"] == code].groupby(
                "unit_id", sort=True)):
            fig.add_trace(go.Scatter(
                x=s["period"], y=s["value"], mode="lines+markers", name=unit, legendgroup=unit,
                showlegend=row == 1, line={"color": TEMPLATE.layout.colorway[i % 6]},
                marker={"color": s["flag_severity"].map(SEVERITY_COLOURS).fillna(
                    SEVERITY_COLOURS[""]), "size": 7}), row=row, col=1)
    fig.update_layout(template=TEMPLATE, height=170 * len(codes) + 100,
                      margin={**_MARGIN, "t": 90},
                      title=pick("关键参数（彩色点 = 有预警的月份）",
                                 "Key parameters (coloured dots = flagged months)", locale))
    return fig


def lab_month_figure(by_month: pd.DataFrame, locale: str) -> go.Figure:
    """Reports per enterprise and covered month as a heat map (blank: no report)."""
    grid = by_month.pivot(index="enterprise_name", columns="covered_period", values="reports")
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index),
                               zmin=0, colorscale="Blues",
                               colorbar={"title": header("reports", locale)}))
    fig.update_yaxes(automargin=True, autorange="reversed")      # same order as the table
    fig.update_layout(template=TEMPLATE, height=26 * len(grid) + 140, margin=_MARGIN,
                      title=pick("各企业每月报告数", "Reports per enterprise and month", locale))
    return fig


def reports_per_day_figure(per_day: pd.DataFrame, locale: str) -> go.Figure:
    """Reports issued per day; days on which one unit got several reports in critical red."""
    d = per_day.sort_values("report_date")
    colours = (d["most_for_one_unit"] > 1).map({True: SEVERITY_COLOURS["critical"],
                                                False: SEVERITY_COLOURS[""]})
    fig = go.Figure(go.Bar(x=d["report_date"], y=d["reports"], marker_color=colours))
    fig.update_layout(template=TEMPLATE, height=300, margin=_MARGIN,
                      yaxis_title=header("reports", locale),
                      title=pick("每日出具报告数（红色 = 同一机组当天多份）",
                                 "Reports per day (red = several for one unit that day)", locale))
    return fig


def report_lag_figure(reports: pd.DataFrame, cfg: dict, locale: str) -> go.Figure:
    """Distribution of report dates in days after the covered month's end, with the deadline
    (config ``policy.lab_report_deadline_days``)."""
    deadline = cfg["policy"]["lab_report_deadline_days"]
    fig = go.Figure(go.Histogram(x=reports["days_after_month_end"], nbinsx=40,
                                 marker_color=SEVERITY_COLOURS[""]))
    fig.add_vline(x=deadline, line={"color": SEVERITY_COLOURS["critical"], "dash": "dash"})
    fig.update_layout(template=TEMPLATE, height=280, margin=_MARGIN,
                      xaxis_title=header("days_after_month_end", locale),
                      yaxis_title=header("reports", locale),
                      title=pick(f"报告日期距月末天数（虚线 = {deadline} 天期限）",
                                 f"Report date after month end (dashed = {deadline}-day deadline)",
                                 locale))
    return fig


def co2_difference_figure(co2_all: pd.DataFrame, verifier: str, locale: str) -> go.Figure:
    """Verified − reported CO2 as a share of reported, per agency (one point per enterprise-
    year); the agency under investigation in critical red."""
    fig = go.Figure()
    for name, g in co2_all.groupby("verifier_name", sort=True):
        fig.add_trace(go.Box(
            y=g["share_verified_minus_reported"], name=name, boxpoints="all", jitter=0.4,
            marker={"color": SEVERITY_COLOURS["critical" if name == verifier else ""],
                    "size": 5}, customdata=g[["enterprise_name", "year"]].astype(str).to_numpy(),
            hovertemplate="%{customdata[0]} %{customdata[1]}: %{y:.2%}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, height=340, margin=_MARGIN, showlegend=False,
                      yaxis={"tickformat": ".1%"},
                      title=pick("核查量与报告量之差（占报告量）",
                                 "Verified − reported CO2 (share of reported)", locale))
    return fig
