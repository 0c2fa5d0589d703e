"""Supervisor dashboard: KPI cards with monthly sparklines, risk by city and enterprise,
trends and a city × month heatmap, findings status, verifier and lab scorecards, check
health (how loud each check is, how often reviewers dismissed its findings, which checks
need tuning) and a read-only drill-down into one enterprise (its flags, the checks that
could not run for it, its filings).

The first screen (cards, ranking) is plain HTML; plotly figures and the check-health table
are drawn only when their tab is open, so a viewer sees the KPIs without waiting for
plotly.js.

The period filter drives every tile: the KPI cards (each compared with the previous period
of equal length), the risk ranking and the risk by city (recomputed from the flags of the
period with the score of :mod:`workbench.risk`), the trends and heatmap, the findings (those
naming a month of the period), the scorecards and check health.  The drill-down shows an
enterprise's whole history and says so.  Choosing a ranking row opens it and clears the
selection, so choosing the same row again reopens it.

Read-only by construction: it is given a findings store opened read-only and renders no
write control at all (no form, no workflow buttons).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

import ipywidgets as w
import pandas as pd

from widgets.figures import new_figure_widget, show
from widgets.flags import FlagsPanel
from widgets.grid import EvidenceGrid
from widgets.header import EnterpriseHeader
from widgets.history import FilingHistory
from widgets.labels import LanguageSwitch, label
from workbench import checks, kpi, plots, schema
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
#: Check-health columns shown under another name (its header in ``workbench.labels``).
HEALTH_HEADERS = {"flags": "n_flags", "enterprises": "enterprises_flagged",
                  "dismissal_share": "share_dismissed"}


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:.1%}"


#: Colours of a KPI's change: the better way, the worse way, neither.
CHANGE_COLOURS = {True: "#1e7b34", False: "#b3261e", None: "#555"}
#: Tabs fit their titles (ipywidgets gives every tab the same 144 px and cuts longer ones).
DASH_CSS = """<style>
.wb-dash-tabs > .lm-TabBar .lm-TabBar-tab, .wb-dash-tabs > .p-TabBar .p-TabBar-tab {
  flex: 0 0 auto !important; max-width: none !important; }
.wb-dash-tabs .lm-TabBar-tabLabel, .wb-dash-tabs .p-TabBar-tabLabel {
  overflow: visible !important; text-overflow: clip !important; }
.wb-dash-head p { margin: 2px 0; color: #444; }
.wb-kpi .wb-kpi-def { font-size: 11px; color: #666; max-width: 170px; line-height: 1.3; }
</style>"""


def _card(title: str, value: str, spark: str, definition: str = "", change: str = "",
          tip: str = "") -> str:
    """One KPI card: title, current value, its change against the previous period (HTML
    given), its sparkline and a short definition; ``tip`` is the hover text (texts
    escaped)."""
    return (f"<div class='wb-kpi' title=\"{html.escape(tip)}\" style='display:inline-block;"
            f"vertical-align:top;margin:4px 8px;padding:6px 10px;border:1px solid #ccd;"
            f"border-radius:6px'>"
            f"<div style='font-size:12px'>{html.escape(title)}</div>"
            f"<div style='font-size:22px'>{html.escape(value)}</div>{change}{spark}"
            f"<div class='wb-kpi-def'>{html.escape(definition)}</div></div>")


class SupervisorDashboard:
    """``value`` is the current filter (province, city, industry, first and last period);
    ``period_risk`` the risk ranking shown (:func:`workbench.kpi.period_risk` over the flags
    of the filtered enterprises and period)."""

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
        # the risk ranking: a grid like the others (sort, filter, export); a click on a row
        # opens that enterprise's detail (again when it is the same row)
        self.ranking_grid = EvidenceGrid("ranking", locale, "360px")
        self.ranking_grid.grid.on_cell_click(self._ranking_clicked)
        self._w_ranking_note = w.HTML()
        self._w_ranking_note.add_class("wb-ranking-note")
        self._w_drill_note = w.HTML()
        self._w_scorecard_note = w.HTML()
        self._w_heatmap = new_figure_widget()
        # the dashboard's tables: sortable, filterable grids, exported as shown
        self.cities = EvidenceGrid("cities", locale, "260px", title="dash_cities")
        self.industries = EvidenceGrid("industries", locale, "190px", title="dash_industries")
        self.verifiers = EvidenceGrid("verifiers", locale, "260px", title="dash_verifiers")
        self.labs = EvidenceGrid("labs", locale, "260px", title="dash_labs")
        self.findings_list = EvidenceGrid("findings_list", locale, "260px")
        self.health = EvidenceGrid("health", locale, "420px")
        self._w_findings = w.HTML()
        self._w_health = w.HTML()
        self._w_health.add_class("wb-health")
        self.detail_header = EnterpriseHeader(review, locale, store)
        self.detail_flags = FlagsPanel(review, locale)
        self.detail_history = FilingHistory(review, locale)
        self._w_tabs = w.Tab(children=[
            w.VBox([self._w_ranking_note, self.ranking_grid.widget, self.industries.widget,
                    self.cities.widget]),
            w.VBox([self._w_trend, self._w_heatmap]),
            w.VBox([self._w_findings, self.findings_list.widget]),
            w.VBox([self._w_scorecard_note, self.verifiers.widget, self.labs.widget]),
            w.VBox([self._w_health, self.health.widget]),
            w.VBox([self._w_drill_note, self.detail_header.widget, self.detail_flags.widget,
                    self.detail_history.widget])])
        self._w_tabs.add_class("wb-dash-tabs")
        self._due: dict[str, Callable[[], None]] = {}   # tab -> drawing it still needs
        self._relabelling = False
        for child in (self._w_province, self._w_city, self._w_industry, self._w_period):
            child.observe(self._filter_changed, names="value")
        self._w_tabs.observe(self._draw_open_tab, names="selected_index")
        self.detail_flags.on_jump(self.detail_history.show_flag)
        self._w_language.on_change(self.set_locale)
        self._w_title = w.HTML()
        self._w_title.add_class("wb-dash-head")
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
        """Enterprise ids in the risk ranking, in rank order."""
        shown = self.ranking_grid.value
        return list(shown["enterprise_id"]) if len(shown) else []

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
                child.options = [(everyone, "")] + [
                    (schema.code_name(col, v, locale), v) for v in self._options[col]]
                child.description = label(key, locale)
                child.value = current or ""
        finally:
            self._relabelling = False
        self._w_period.description = label("dash_period", locale)
        for i, key in enumerate(TABS):
            self._w_tabs.set_title(i, label(f"dash_{key}", locale))
        self._w_title.value = self._title_html()
        self._w_drill_note.value = (f"<p style='color:#555'>"
                                    f"{html.escape(label('dash_drill_all', locale))}</p>")
        for grid in (self.ranking_grid, self.cities, self.industries, self.verifiers, self.labs,
                     self.findings_list, self.health):
            grid.set_locale(locale)
        self.detail_header.set_locale(locale)
        self.detail_flags.set_locale(locale)
        self.detail_history.set_locale(locale)
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------
    def _title_html(self) -> str:
        """The page's own header: what it is, for whom, over which data, and that it cannot
        change the findings."""
        loc = self._locale
        periods = self._w_period.options
        data = label("dash_data", loc).format(
            first=periods[0], last=periods[-1], n=f"{len(self._review.enterprises):,}",
            fingerprint=self._review.ds.fingerprint[:12])
        store = label("dash_store_ro" if self._store is not None else "dash_store_none", loc)
        return (f"{DASH_CSS}<h2 style='margin:4px 0'>{html.escape(label('dash_title', loc))}"
                f"</h2><p>{html.escape(label('dash_for', loc))}</p>"
                f"<p>{html.escape(data)} · {html.escape(store)}</p>")

    def refresh(self, _change=None) -> None:
        """Recompute every panel for the current filters."""
        f = self.value
        cfg = self._review.cfg
        loc = self._locale
        ents = kpi.enterprises_in_scope(self._x, f["province"], f["city"], f["industry"])
        self._in_scope = ents
        fl = self._review.flags
        in_period = kpi.flags_in_period(fl, f["from"], f["to"])
        mine = fl["enterprise_id"].isin(ents)
        flags = fl[in_period & mine]
        # every month (the previous period's cards need theirs); a month's problems count
        # only that month's flags, so this is the period's own figure within it
        all_months = kpi.monthly_kpis(self._x, fl[mine], cfg, f["province"] or None,
                                      f["city"] or None, f["industry"] or None)
        months = all_months[all_months["period"].between(f["from"], f["to"])]
        self._cards(all_months, ents, f["from"], f["to"])
        risk = kpi.period_risk(flags, cfg, ents)
        self.period_risk = risk
        self.ranking_grid.show(ranking_frame(risk, self._review.enterprises, loc),
                               risk["n_critical"] > 0)
        note = label("dash_ranking_note", loc).format(
            first=f["from"], last=f["to"], flagged=f"{len(risk):,}",
            quiet=f"{len(ents) - len(risk):,}")
        self._w_ranking_note.value = f"<p>{html.escape(note)}</p>"
        scorecards = label("dash_scorecard_note", loc).format(first=f["from"], last=f["to"])
        self._w_scorecard_note.value = f"<p>{html.escape(scorecards)}</p>"
        periods = [p for p in self._w_period.options if f["from"] <= p <= f["to"]]
        # check health also counts the flags on no one enterprise (Benford over a province)
        # when every enterprise is in scope
        whole = (fl["enterprise_id"] == "") & (len(ents) == len(self._x.enterprises))
        # the tabs not on screen are drawn when opened: each grid redrawn costs the browser
        self._due = {"trends": partial(self._figures, months, flags, periods),
                     "health": partial(self._health, fl[in_period & (mine | whole)], set(ents),
                                       f["from"], f["to"]),
                     "verifiers": partial(self._scorecards, flags, f["from"], f["to"]),
                     "findings": partial(self._findings, set(ents))}
        self._draw_open_tab()
        self.cities.show(kpi.risk_by_city(risk, self._review.enterprises))
        industries = kpi.by_industry(self._x, flags, risk, cfg, ents, f["from"], f["to"])
        self.industries.show(industries.assign(industry_code=[
            schema.code_name("industry_code", c, loc) for c in industries["industry_code"]]),
            industries["critical_flags"] > 0)

    def _scorecards(self, flags: pd.DataFrame, first: str, last: str) -> None:
        """The verification agencies' and labs' scorecards of the period."""
        self.verifiers.show(kpi.verifier_scorecard(self._x, flags, first, last))
        self.labs.show(kpi.lab_scorecard(self._x, flags, first, last))

    def _cards(self, all_months: pd.DataFrame, ents: pd.Series, first: str, last: str) -> None:
        """KPI cards: the value over the filtered periods, its change against the previous
        period of equal length, its monthly sparkline and definition (compliance: per year,
        the last year of the period against the year before)."""
        loc = self._locale
        months = all_months[all_months["period"].between(first, last)]
        now = kpi.kpi_values(months)
        window = kpi.previous_window(first, last, self._w_period.options[0])
        before = kpi.kpi_values(all_months[all_months["period"].between(*window)]) \
            if window else {}
        comp_all = kpi.compliance(self._x, ents)
        comp = comp_all[comp_all["year"].astype(str).between(first[:4], last[:4])]
        rate = comp["compliance_rate"].dropna()
        if len(rate):
            year = comp.loc[rate.index[-1], "year"]
            now["compliance"] = float(rate.iloc[-1])
            prior = comp_all.loc[comp_all["year"] == year - 1, "compliance_rate"].dropna()
            before["compliance"] = float(prior.iloc[0]) if len(prior) else None
            comp_window = (str(year - 1), str(year - 1)) if len(prior) else None
        else:
            now["compliance"] = None
            comp_window = None
        periods = list(months["period"])
        mt = months["filed_co2_t"] / 1e6
        count = "{:,.0f}".format
        cards = [("on_time", _pct(now["on_time"]), periods, months["on_time_deposit_rate"], _pct),
                 ("first_pass", _pct(now["first_pass"]), periods,
                  months["first_time_pass_rate"], _pct),
                 ("returns", count(now["returns"] or 0), periods, months["returns"], count),
                 ("problems", count(now["problems"] or 0), periods,
                  months["enterprise_periods_with_problems"], count),
                 ("co2", f"{now['co2'] or 0:,.1f}", periods, mt, "{:,.2f}".format),
                 ("compliance", _pct(now["compliance"]), [str(y) for y in comp["year"]],
                  comp["compliance_rate"], _pct)]
        out = []
        for key, value, xs, ys, fmt in cards:
            win = comp_window if key == "compliance" else window
            change = kpi.compare(key, now[key], before.get(key)) if win else None
            text, tip = ("—", "") if now[key] is None else self._change_text(key, change, win)
            colour = CHANGE_COLOURS[change["good"] if change else None]
            definition = label("dash_def_" + key, loc)
            out.append(_card(label("dash_" + key, loc), value, sparkline_svg(xs, list(ys), fmt),
                             definition,
                             f"<div class='wb-kpi-change' style='font-size:12px;color:{colour}'>"
                             f"{html.escape(text)}</div>",
                             f"{definition}\n{tip}"))
        self._w_cards.value = "".join(out)

    def _change_text(self, key: str, change: dict | None,
                     window: tuple[str, str] | None) -> tuple[str, str]:
        """The change line of a card and the comparison it is, in words."""
        loc = self._locale
        if window is None:
            return label("dash_no_prev", loc), label("dash_no_prev", loc)
        span = window[0] if window[0] == window[1] else f"{window[0]}–{window[1]}"
        versus = label("dash_vs_prev", loc).format(span=span)
        if change is None:
            return f"{versus}: —", versus
        d = abs(change["delta"])
        if key in kpi.KPI_SHARES:
            amount = f"{d:.1f} {label('dash_pp', loc)}"
        elif key == "co2":
            amount = f"{d:,.2f}"
        else:
            amount = f"{d:,.0f}"
        if change["relative"] is not None and change["delta"]:
            amount += f" ({change['relative']:+.0%})"
        return f"{change['arrow']} {amount} {versus}", versus

    def _draw_open_tab(self, _change=None) -> None:
        """Draw the open tab if the current filters' drawing of it is still due (plotly.js
        costs about 2 s of browser time on first use, which would otherwise delay the whole
        first screen; grids in hidden tabs would be redrawn by the browser on every filter)."""
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
                                                 label("dash_problems", self._locale)),
             self._locale)

    def _trend(self, months: pd.DataFrame) -> None:
        show(self._w_trend, plots.kpi_trend(months, {
            key: label(f"dash_{key}", self._locale) for key in ("on_time", "first_pass",
                                                                 "problems")}), self._locale)

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
                                f"<p>{html.escape(scope)}</p>{note}")
        # the checks for tuning are the highlighted rows, marked in the grid's first column
        shown = [c for c in columns if c != "needs_tuning"]
        self.health.show(health[shown].rename(columns=HEALTH_HEADERS),
                         health["needs_tuning"] if self._store is not None else None)

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
            self.findings_list.show(pd.DataFrame())
            return
        lo, hi = self._w_period.value
        rows = [f for f in self._store.list() if f.enterprise_id in ents
                and kpi.periods_overlap(f.periods, lo, hi)]
        summary = kpi.findings_summary(rows, pd.Timestamp.now())
        rect = summary["rectification"].iloc[0]
        names = self._review.enterprises.set_index("enterprise_id")["enterprise_name"]
        listing = pd.DataFrame([{"enterprise": names.get(f.enterprise_id, f.enterprise_id),
                                 "enterprise_id": f.enterprise_id, "title": f.title,
                                 "severity": f.severity, "status": f.status,
                                 "created": f.created_at.date()} for f in rows])
        note = label("dash_findings_note", self._locale).format(first=lo, last=hi)
        self._w_findings.value = (
            f"<h4>{html.escape(label('dash_findings', self._locale))}</h4>"
            + table_html(summary["by_status"], self._locale)
            + table_html(summary["by_age"], self._locale)
            + f"<p>{html.escape(note)}</p>"
            + f"<p>{html.escape(label('dash_rect', self._locale))}: {_pct(rect['progress'])}</p>")
        self.findings_list.show(listing)

    def _filter_changed(self, _change) -> None:
        if not self._relabelling:
            self.refresh()

    def _ranking_clicked(self, cell: dict) -> None:
        """A click on a row of the ranking grid (header clicks carry no row) opens its
        enterprise; ``primary_key_row`` is the row of the data, whatever the sorting."""
        row = cell.get("primary_key_row")
        if cell.get("region") == "body" and row is not None:
            self.open_enterprise(self.ranking_grid.value["enterprise_id"].iloc[int(row)])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def ranking_frame(risk: pd.DataFrame, enterprises: pd.DataFrame, locale: str) -> pd.DataFrame:
    """The ranking as the grid shows it: rank, name, city, score, critical and warning
    flags, the checks giving most points (as titles), and the credit code."""
    where = enterprises.set_index("enterprise_id")
    ids = risk["enterprise_id"]
    return pd.DataFrame({
        "rank": risk["rank"].to_numpy(),
        "enterprise": where["enterprise_name"].reindex(ids).fillna(ids).to_numpy(),
        "city": where["city"].reindex(ids).to_numpy(),
        "risk_score": risk["risk_score"].to_numpy(),
        "n_critical": risk["n_critical"].to_numpy(), "n_warning": risk["n_warning"].to_numpy(),
        "top_reasons": [reasons_text(r, locale) for r in risk["top_reasons"]],
        "enterprise_id": ids.to_numpy()})


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
