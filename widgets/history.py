"""Filing history of one enterprise: a parameter's monthly series with flags, its revisions,
the lab reports behind it, and daily against monthly values.

Revisions and lab reports are of the unit on screen, in spreadsheet-like grids
(:class:`widgets.grid.EvidenceGrid`: sort, filter, export as XLSX), flagged rows
highlighted; "show records" from a flag selects the record it points at."""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as w
import pandas as pd

from widgets.figures import new_figure_widget, show
from widgets.grid import EvidenceGrid
from widgets.labels import label, unit_options
from workbench import plots
from workbench.i18n import parameter_label
from workbench.review import ReviewData


class FilingHistory:
    """``value`` is (unit_id, parameter_code) being shown."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN"):
        self._review = review
        self._locale = locale
        self._enterprise: str | None = None
        self._hold = False
        # what is on screen: a change notification may arrive more than once
        self._listed: tuple | None = None     # (enterprise, unit, locale) of the parameter list
        self._drawn: tuple | None = None      # (enterprise, unit, parameter, locale) drawn
        self._tabled: tuple | None = None     # (enterprise, unit, period, locale) of the tables
        self._period: str | None = None       # the period a flag pointed at
        self._parameter: str | None = None    # ... its parameter
        self._report: str | None = None       # ... its lab report
        self._visible = True                  # hidden: figures and tables wait (set_visible)
        self._w_unit = w.Dropdown()
        self._w_param = w.Dropdown()
        self._w_series = new_figure_widget()
        self._w_daily = new_figure_widget()
        self.revisions = EvidenceGrid("revisions", locale)
        self.labs = EvidenceGrid("lab_reports", locale)
        self._w_unit.observe(self._unit_changed, names="value")
        self._w_param.observe(self._redraw, names="value")
        self._w_tabs = w.Tab(children=[w.VBox([self._w_series, self._w_daily]),
                                       self.revisions.widget, self.labs.widget])
        self.widget = w.VBox([w.HBox([self._w_unit, self._w_param]), self._w_tabs])
        self.set_locale(locale)

    @property
    def value(self) -> tuple[str | None, str | None]:
        """(unit_id, parameter_code) on screen."""
        return self._w_unit.value, self._w_param.value

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Switch to another enterprise (first unit, first key parameter)."""
        self._enterprise = enterprise_id
        units = self._review.units_of(enterprise_id) if enterprise_id else None
        options = unit_options(units, self._locale) if units is not None else []
        with self._quiet():
            self._w_unit.options = options
            self._w_unit.value = options[0][1] if options else None
        self._unit_changed()
        self._tables()

    @contextmanager
    def _quiet(self):
        """Change child widgets without each change redrawing (the caller redraws once)."""
        self._hold = True
        try:
            yield
        finally:
            self._hold = False

    def set_visible(self, visible: bool) -> None:
        """Draw only while on screen: while hidden (another tab of the app is open), a
        switch updates the choices but leaves the figures and tables to be drawn, once,
        when the view is shown again."""
        self._visible = visible
        self._redraw()
        self._tables()

    def show_record(self, unit_id: str, parameter_code: str, period: str | None = None,
                    report_id: str | None = None) -> None:
        """Jump to one unit and parameter and bring the record of ``period`` to the top of
        its grid, selected: the lab report ``report_id`` (else the period's first report)
        and the revision of that parameter and period; the grid holding the record pointed
        at opens (the lab report when named, else the revision, else the figure)."""
        self._period, self._parameter, self._report = period, parameter_code, report_id
        self._w_unit.value = unit_id
        if parameter_code in [v for _, v in self._w_param.options]:
            self._w_param.value = parameter_code
        self._tables()
        if report_id and self.labs.pinned:
            self._w_tabs.selected_index = 2
        elif self.revisions.pinned:
            self._w_tabs.selected_index = 1
        else:
            self._w_tabs.selected_index = 0

    def show_flag(self, flag: pd.Series) -> None:
        """Jump to the records a flag (a row of the flags table) points at."""
        report = flag.get("report_id")
        self.show_record(flag["unit_id"], flag["parameter_code"], flag["period"],
                         report if isinstance(report, str) and report else None)

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        if self._enterprise:                     # the facilities' kinds in the new language
            with self._quiet():
                current = self._w_unit.value
                self._w_unit.options = unit_options(self._review.units_of(self._enterprise),
                                                    locale)
                self._w_unit.value = current
        self._w_unit.description = label("unit", locale)
        self._w_param.description = label("parameter", locale)
        self.revisions.set_locale(locale)
        self.labs.set_locale(locale)
        for i, key in enumerate(("history_charts", "revisions", "labs")):
            self._w_tabs.set_title(i, label(key, locale))
        self._unit_changed()
        self._tables()

    def _unit_changed(self, _change=None) -> None:
        key = (self._enterprise, self._w_unit.value, self._locale)
        if self._hold or key == self._listed:
            return
        self._listed = key
        unit = self._w_unit.value
        codes = self._review.parameters_of(self._enterprise, unit) if unit else []
        current = self._w_param.value
        with self._quiet():
            self._w_param.options = [(parameter_label(c, self._locale), c) for c in codes]
            if codes:
                self._w_param.value = current if current in codes else codes[0]
        self._redraw()
        self._tables()

    def _redraw(self, _change=None) -> None:
        unit, code = self.value
        key = (self._enterprise, unit, code, self._locale)
        if (self._hold or not self._visible or not (self._enterprise and unit and code)
                or key == self._drawn):
            return
        self._drawn = key
        hist = self._review.history(self._enterprise, unit, code)
        name = parameter_label(code, self._locale)
        show(self._w_series, plots.history_figure(hist, f"{unit} · {name}", name), self._locale)
        daily_code = code if code in ("coal_consumption_t", "gas_consumption_knm3",
                                      "generation_mwh", "supply_mwh") else "generation_mwh"
        dvm = self._review.daily_vs_monthly(self._enterprise, unit, daily_code)
        show(self._w_daily, plots.daily_figure(
            dvm, f"{label('daily', self._locale)} · {parameter_label(daily_code, self._locale)}"),
             self._locale)

    def _tables(self) -> None:
        unit = self._w_unit.value
        key = (self._enterprise, unit, self._period, self._parameter, self._report,
               self._locale)
        if self._hold or not self._visible or key == self._tabled:
            return
        self._tabled = key
        if not (self._enterprise and unit):
            self.revisions.show(pd.DataFrame())
            self.labs.show(pd.DataFrame())
            return
        flags = self._review.flags_of(self._enterprise)
        rev = self._review.revisions_of(self._enterprise)
        rev = rev[rev["unit_id"] == unit].reset_index(drop=True)
        marked = set(zip(flags["unit_id"], flags["period"], flags["parameter_code"],
                         strict=True))
        self.revisions.show(
            rev, [k in marked for k in zip(rev["unit_id"], rev["period"], rev["parameter_code"],
                                           strict=True)],
            self._first(rev["period"], rev["parameter_code"]))
        labs = self._review.labs_of(self._enterprise)
        labs = labs[labs["unit_id"] == unit][LAB_COLUMNS].reset_index(drop=True)
        flagged_reports = set(flags["report_id"].dropna())
        named = [i for i, r in enumerate(labs["report_id"]) if r == self._report]
        self.labs.show(labs, labs["report_id"].isin(flagged_reports),
                       named[0] if named else self._first(labs["covered_period"]))

    def _first(self, periods: pd.Series, parameters: pd.Series | None = None) -> int | None:
        """The first row of the period a flag pointed at, of its parameter when
        ``parameters`` are given and one matches (None: no row of that period)."""
        hits = [i for i, p in enumerate(periods) if p == self._period]
        if parameters is not None:
            exact = [i for i in hits if parameters.iloc[i] == self._parameter]
            hits = exact or hits
        return hits[0] if hits else None


#: Lab-report columns shown, in order.
LAB_COLUMNS = ["unit_id", "covered_period", "report_id", "lab_name", "lab_accreditation_no",
               "sample_id", "sampling_end_date", "received_date", "test_date", "report_date",
               "carbon_ad_pct", "total_moisture_pct", "moisture_ad_pct", "hydrogen_ad_pct",
               "sulfur_total_pct", "gross_cv_ad_mj_per_kg", "ncv_ar_gj_per_t", "carbon_ar_pct"]
