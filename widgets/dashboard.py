"""Supervisor dashboard: KPI cards with monthly sparklines, risk by city and enterprise,
trends and a city × month heatmap, findings status, verifier and lab scorecards, check
health (how loud each check is, how often reviewers dismissed its findings, which checks
need tuning) and a read-only drill-down into one enterprise (its flags, the checks that
could not run for it, its filings).

The first screen (cards, ranking) is plain HTML; plotly figures and the check-health table
are drawn only when their tab is open, so a viewer sees the KPIs without waiting for
plotly.js.

Read-only by construction: it is given a findings store opened read-only and renders no
write control at all (no form, no workflow buttons).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from widgets.figures import new_figure_widget, show
from widgets.flags import FlagsPanel
from widgets.header import EnterpriseHeader
from widgets.history import FilingHistory
from widgets.labels import LanguageSwitch, label
from workbench import checks, kpi, plots
from workbench.check_health import check_health, for_tuning
from workbench.checks.inputs import Inputs
from workbench.review import ReviewData
from workbench.sparkline import sparkline_svg
from workbench.tables import check_title, reasons_text, table_html

#: The dashboard's tabs, in order; "trends" (figures) and "health" (check health) are drawn
#: when they are opened.
TABS = ("ranking", "trends", "findings", "verifiers", "health", "drill")
#: Columns of the check-health table shown; the findings ones only with a findings store.
HEALTH_FLAG_COLUMNS = ("check_id", "flags", "flags_per_1000", "enterprises")
HEALTH_FINDING_COLUMNS = ("cited", "reviewed", "dismissed", "dismissal_share", "needs_tuning")
#: Check-health columns shown under another name (its header in ``workbench.tables``).
HEALTH_HEADERS = {"enterprises": "enterprises_flagged", "dismissal_share": "share_dismissed"}


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:.1%}"


def _card(title: str, value: str, spark: str) -> str:
    """One KPI card: title, current value and its sparkline (HTML; texts escaped)."""
    return (f"<div class='wb-kpi' style='display:inline-block;vertical-align:top;"
            f"margin:4px 8px;padding:6px 10px;border:1px solid #ccd;border-radius:6px'>"
            f"<div style='font-size:12px'>{html.escape(title)}</div>"
            f"<div style='font-size:22px'>{html.escape(value)}</div>{spark}</div>")


class SupervisorDashboard:
    """``value`` is the current filter (province, city, industry, first and last period)."""

    def __init__(self, review: ReviewData, store=None, locale: str = "zh-CN"):
        self._review = review
        self._store = store
        self._locale = locale
        self._x: Inputs = review.inputs()
        self._w_language = LanguageSwitch(locale)
        ents = review.enterprises
        self._w_province = w.Dropdown()
        self._w_city = w.Dropdown()
        self._w_industry = w.Dropdown()
        periods = sorted(self._x.monthly["period"].unique())
        self._w_period = w.SelectionRangeSlider(options=periods, index=(0, len(periods) - 1),
                                                layout=w.Layout(width="420px"))
        self._options = {"province": sorted(ents["province"].unique()),
                         "city": sorted(ents["city"].unique()),
                         "industry_code": sorted(ents["industry_code"].unique())}
        self._w_cards = w.HTML()
        self._w_trend = new_figure_widget()
        self._w_ranking = w.Select(rows=12, layout=w.Layout(width="100%"))
        self._w_heatmap = new_figure_widget()
        self._w_cities = w.HTML()
        self._w_findings = w.HTML()
        self._w_verifiers = w.HTML()
        self._w_labs = w.HTML()
        self._w_health = w.HTML()
        self._w_health.add_class("wb-health")
        self.detail_header = EnterpriseHeader(review, locale, store)
        self.detail_flags = FlagsPanel(review, locale)
        self.detail_history = FilingHistory(review, locale)
        self._w_tabs = w.Tab(children=[
            w.VBox([self._w_ranking, self._w_cities]), w.VBox([self._w_trend, self._w_heatmap]),
            self._w_findings, w.VBox([self._w_verifiers, self._w_labs]), self._w_health,
            w.VBox([self.detail_header.widget, self.detail_flags.widget,
                    self.detail_history.widget])])
        self._due: dict[str, Callable[[], None]] = {}   # tab -> drawing it still needs
        self._relabelling = False
        for child in (self._w_province, self._w_city, self._w_industry, self._w_period):
            child.observe(self._filter_changed, names="value")
        self._w_ranking.observe(self._drill, names="value")
        self._w_tabs.observe(self._draw_open_tab, names="selected_index")
        self.detail_flags.on_jump(lambda unit, code, _p: self.detail_history.show_record(unit,
                                                                                          code))
        self._w_language.on_change(self.set_locale)
        self._w_title = w.HTML()
        self.widget = w.VBox([w.HBox([self._w_title, self._w_language.widget]),
                              w.HBox([self._w_province, self._w_city, self._w_industry,
                                      self._w_period]),
                              self._w_cards, self._w_tabs])
        self.set_locale(locale)

    # -- public -----------------------------------------------------------------------------
    @property
    def value(self) -> dict:
        """The filters in force."""
        lo, hi = self._w_period.value
        return {"province": self._w_province.value, "city": self._w_city.value,
                "industry": self._w_industry.value, "from": lo, "to": hi}

    @property
    def ranking(self) -> list[str]:
        """Enterprise ids in the risk ranking as shown."""
        return [v for _, v in self._w_ranking.options]

    def filter(self, **values) -> None:
        """Set filters by name: province, city, industry."""
        widgets = {"province": self._w_province, "city": self._w_city,
                   "industry": self._w_industry}
        for key, value in values.items():
            widgets[key].value = value

    def open_enterprise(self, enterprise_id: str) -> None:
        """Drill down into one enterprise (e.g. from a ``?enterprise=`` link)."""
        self.detail_header.show_enterprise(enterprise_id)
        self.detail_flags.show_enterprise(enterprise_id)
        self.detail_history.show_enterprise(enterprise_id)
        self._w_tabs.selected_index = TABS.index("drill")

    def follow_link(self, query: str | None) -> None:
        """Serve one viewer's page: re-read the findings (a preheated Voilà kernel may have
        been built minutes before the viewer came) and follow the query string:
        ``enterprise=<credit code>`` opens that enterprise's read-only detail; unknown
        codes are ignored."""
        from urllib.parse import parse_qs

        self._findings(set(self._in_scope))
        wanted = parse_qs(query or "").get("enterprise", [""])[0]
        if wanted in set(self._review.enterprises["enterprise_id"]):
            self.open_enterprise(wanted)

    def set_locale(self, locale: str) -> None:
        """Relabel everything for ``locale``."""
        self._locale = locale
        everyone = label("all", locale)
        self._relabelling = True          # new option labels are not a filter change
        try:
            for child, col, key in ((self._w_province, "province", "province"),
                                    (self._w_city, "city", "city"),
                                    (self._w_industry, "industry_code", "industry")):
                current = child.value
                child.options = [(everyone, "")] + [(v, v) for v in self._options[col]]
                child.description = label(key, locale)
                child.value = current or ""
        finally:
            self._relabelling = False
        self._w_period.description = label("dash_period", locale)
        for i, key in enumerate(TABS):
            self._w_tabs.set_title(i, label(f"dash_{key}", locale))
        self._w_title.value = f"<h2>{html.escape(label('dash_title', locale))}</h2>"
        self.detail_header.set_locale(locale)
        self.detail_flags.set_locale(locale)
        self.detail_history.set_locale(locale)
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------
    def refresh(self, _change=None) -> None:
        """Recompute every panel for the current filters."""
        f = self.value
        cfg = self._review.cfg
        ents = kpi.enterprises_in_scope(self._x, f["province"], f["city"], f["industry"])
        self._in_scope = ents
        fl = self._review.flags
        years = fl["year"].between(int(f["from"][:4]), int(f["to"][:4])).fillna(True)
        in_period = fl["period"].between(f["from"], f["to"]) | ((fl["period"] == "") & years)
        mine = fl["enterprise_id"].isin(ents)
        flags = fl[in_period & mine]
        months = kpi.monthly_kpis(self._x, flags, cfg, f["province"] or None, f["city"] or None,
                                  f["industry"] or None)
        months = months[months["period"].between(f["from"], f["to"])]
        self._cards(months, ents)
        risk = self._review.risk[self._review.risk["enterprise_id"].isin(ents)]
        names = self._review.enterprises.set_index("enterprise_id")["enterprise_name"]
        self._w_ranking.options = [
            (f"{i + 1:>3}. {names.get(r.enterprise_id, r.enterprise_id)} · {r.risk_score:.0f}"
             f" · {reasons_text(r.top_reasons, self._locale)}"[:160], r.enterprise_id)
            for i, r in enumerate(risk.sort_values("rank").itertuples())]
        periods = [p for p in self._w_period.options if f["from"] <= p <= f["to"]]
        # check health also counts the flags on no one enterprise (Benford over a province)
        # when every enterprise is in scope
        whole = (fl["enterprise_id"] == "") & (len(ents) == len(self._x.enterprises))
        self._due = {"trends": partial(self._figures, months, flags, periods),
                     "health": partial(self._health, fl[in_period & (mine | whole)], set(ents),
                                       f["from"], f["to"])}
        self._draw_open_tab()
        self._w_cities.value = (f"<h4>{html.escape(label('dash_cities', self._locale))}</h4>"
                                + table_html(kpi.risk_by_city(risk, self._review.enterprises),
                                           self._locale, 25))
        self._w_verifiers.value = (f"<h4>{html.escape(label('dash_verifiers', self._locale))}</h4>"
                                   + table_html(kpi.verifier_scorecard(self._x, flags),
                                              self._locale, 25))
        self._w_labs.value = (f"<h4>{html.escape(label('dash_labs', self._locale))}</h4>"
                              + table_html(kpi.lab_scorecard(self._x, flags), self._locale, 25))
        self._findings(set(ents))

    def _cards(self, months: pd.DataFrame, ents: pd.Series) -> None:
        """KPI cards: the value over the filtered periods and its monthly sparkline
        (compliance: per year)."""
        comp = kpi.compliance(self._x, ents)
        rate = comp["compliance_rate"].dropna()
        periods = list(months["period"])
        mt = months["filed_co2_t"] / 1e6
        cards = [("on_time", _pct(months["on_time_deposit_rate"].mean()), periods,
                  months["on_time_deposit_rate"], _pct),
                 ("first_pass", _pct(months["first_time_pass_rate"].mean()), periods,
                  months["first_time_pass_rate"], _pct),
                 ("returns", f"{int(months['returns'].sum()):,}", periods, months["returns"],
                  "{:,.0f}".format),
                 ("problems", f"{int(months['enterprise_periods_with_problems'].sum()):,}",
                  periods, months["enterprise_periods_with_problems"], "{:,.0f}".format),
                 ("co2", f"{mt.sum():,.1f}", periods, mt, "{:,.2f}".format),
                 ("compliance", _pct(rate.iloc[-1]) if len(rate) else "—",
                  [str(y) for y in comp["year"]], comp["compliance_rate"], _pct)]
        self._w_cards.value = "".join(
            _card(label("dash_" + key, self._locale), value,
                  sparkline_svg(xs, list(ys), fmt))
            for key, value, xs, ys, fmt in cards)

    def _draw_open_tab(self, _change=None) -> None:
        """Draw the open tab if the current filters' drawing of it is still due (plotly.js
        costs about 2 s of browser time on first use, which would otherwise delay the whole
        first screen)."""
        draw = self._due.pop(TABS[self._w_tabs.selected_index or 0], None)
        if draw is not None:
            draw()

    def _figures(self, months: pd.DataFrame, flags: pd.DataFrame, periods: list[str]) -> None:
        """The trend and the city × month heatmap."""
        self._trend(months)
        matrix = kpi.problems_by_city_month(flags, self._review.enterprises, periods)
        rows = self._review.cfg["dashboard"]["heatmap_cities"]   # the most problems first
        title = label("dash_heatmap", self._locale)
        if len(matrix) > rows:
            title += label("dash_heatmap_top", self._locale).format(shown=rows,
                                                                     total=len(matrix))
        show(self._w_heatmap, plots.city_heatmap(matrix.head(rows), title,
                                                 label("dash_problems", self._locale)))

    def _trend(self, months: pd.DataFrame) -> None:
        fig = go.Figure([
            go.Scatter(x=months["period"], y=months["on_time_deposit_rate"],
                       name=label("dash_on_time", self._locale)),
            go.Scatter(x=months["period"], y=months["first_time_pass_rate"],
                       name=label("dash_first_pass", self._locale)),
            go.Bar(x=months["period"], y=months["enterprise_periods_with_problems"],
                   name=label("dash_problems", self._locale), yaxis="y2", opacity=0.4),
        ])
        fig.update_layout(template=plots.TEMPLATE, height=280,
                          margin={"l": 50, "r": 50, "t": 20, "b": 40},
                          yaxis={"tickformat": ".0%", "range": [0, 1.05]},
                          yaxis2={"overlaying": "y", "side": "right"},
                          legend={"orientation": "h"})
        show(self._w_trend, fig)

    def _health(self, flags: pd.DataFrame, ents: set, first: str, last: str) -> None:
        """The check-health tab (:func:`~workbench.check_health.check_health`) for the
        filters: per check its flags, flags per 1,000 unit-months screened and enterprises
        flagged in scope and, with a findings store, the findings on the enterprises in
        scope that cite it, how many were decided and dismissed, and the checks marked for
        tuning; without a store, the flag figures and a note that dismissals are
        unavailable."""
        loc = self._locale
        m = self._x.monthly
        unit_months = int((m["enterprise_id"].isin(ents)
                           & m["period"].between(first, last)).sum())
        findings = [] if self._store is None else [
            f for f in self._store.list() if f.enterprise_id in ents]
        disposed = [] if self._store is None else [
            d for d in self._store.dispositions() if d.enterprise_id in ents]
        health = check_health(flags, checks.registry(), unit_months, findings,
                              self._review.cfg, disposed).sort_values(
            ["needs_tuning", "flags_per_1000", "check_id"], ascending=[False, False, True])
        columns = list(HEALTH_FLAG_COLUMNS)
        if self._store is None:
            note = f"<p>{html.escape(label('dash_health_no_store', loc))}</p>"
        else:
            columns += HEALTH_FINDING_COLUMNS
            note = self._tuning_html(health)
        scope = label("dash_health_scope", loc).format(unit_months=f"{unit_months:,}")
        self._w_health.value = (f"<h4>{html.escape(label('dash_health', loc))}</h4>"
                                f"<p>{html.escape(scope)}</p>{note}"
                                + table_html(health[columns].rename(columns=HEALTH_HEADERS),
                                             loc, max_rows=len(health)))

    def _tuning_html(self, health: pd.DataFrame) -> str:
        """The checks for tuning, most dismissed first, as a marked, escaped HTML block."""
        loc = self._locale
        rule = self._review.cfg["check_health"]
        head = label("dash_health_tuning", loc).format(
            share=_pct(rule["max_dismissal_share"]), reviewed=rule["min_reviewed"])
        rows = health.set_index("check_id")
        items = "".join(
            f"<li>{html.escape(check_title(c, loc))}: {rows.at[c, 'dismissed']}/"
            f"{rows.at[c, 'reviewed']} ({_pct(rows.at[c, 'dismissal_share'])})</li>"
            for c in for_tuning(health))
        body = f"<ul>{items}</ul>" if items else \
            f"<p>{html.escape(label('dash_health_none', loc))}</p>"
        edge = "#c0392b" if items else "#ccd"
        return (f"<div class='wb-tuning' style='border-left:4px solid {edge};"
                f"padding:2px 10px;margin:6px 0'><b>{html.escape(head)}</b>{body}</div>")

    def _findings(self, ents: set) -> None:
        if self._store is None:
            self._w_findings.value = f"<p>{html.escape(label('dash_no_store', self._locale))}</p>"
            return
        rows = [f for f in self._store.list() if f.enterprise_id in ents]
        summary = kpi.findings_summary(rows, pd.Timestamp.now())
        rect = summary["rectification"].iloc[0]
        listing = pd.DataFrame([{"enterprise": f.enterprise_id, "title": f.title,
                                 "severity": f.severity, "status": f.status,
                                 "created": f.created_at.date()} for f in rows])
        self._w_findings.value = (
            f"<h4>{html.escape(label('dash_findings', self._locale))}</h4>"
            + table_html(summary["by_status"], self._locale)
            + table_html(summary["by_age"], self._locale)
            + f"<p>{html.escape(label('dash_rect', self._locale))}: {_pct(rect['progress'])}</p>"
            + (table_html(listing, self._locale, 50) if len(listing) else ""))

    def _filter_changed(self, _change) -> None:
        if not self._relabelling:
            self.refresh()

    def _drill(self, change) -> None:
        if change["new"]:
            self.open_enterprise(change["new"])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def open_dashboard(dataset: str, results: str | None = None, database_url: str | None = None,
                   locale: str = "zh-CN", query: str = "") -> SupervisorDashboard:
    """The dashboard over ``dataset`` with the findings database opened read-only.

    A missing or unreadable findings database does not stop the dashboard: its findings
    tab says the database is unavailable, and the reason (which names the database) goes
    to the server's log, not to the viewer.  ``query`` is the page's query string (see
    :meth:`SupervisorDashboard.follow_link`).
    """
    import sys

    from workbench.findings import FindingsError, open_store

    review = ReviewData.open(dataset, results)
    store = None
    try:
        store = open_store(database_url, readonly=True)
    except (FindingsError, OSError) as exc:
        print(f"supervisor dashboard: findings database unavailable: {exc}", file=sys.stderr)
    dash = SupervisorDashboard(review, store, locale)
    dash.follow_link(query)
    return dash
