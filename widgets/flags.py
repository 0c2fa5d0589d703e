"""Flags panel: an enterprise's flags grouped by family and severity, each explained (zh/en)
with observed against expected and ΔtCO2, and a jump to the records behind it.

Every check whose flags are shown is explained beside them, as in ``docs/checks.md``
(:func:`workbench.checks_doc.check_explanation`): its rule, why it matters, its source
and the thresholds it read with their values in the review's configuration; the check of
the flag chosen in the jump list is explained above the groups.

No flag can mean "not checked": above everything, a line says how many checks could not
run (or ran only in part) for the enterprise because data was missing from the export,
and opens to the checks and the inputs they missed (:func:`workbench.tables.coverage_html`);
there is no line when every check ran.

With a findings store a reviewer records, per flag, what they concluded: 已核实 / 已解释 /
误报 (with a note) or linked to one of the enterprise's findings
(:meth:`~workbench.findings.store.FindingsStore.dispose`); the flag tables and the flag
list show each flag's disposition."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from widgets.findings import refusal_html
from widgets.grid import EvidenceGrid
from widgets.labels import label
from workbench import checks
from workbench.checks.registry import FAMILIES
from workbench.checks_doc import (
    EXPLANATION_COLUMNS,
    NO_THRESHOLDS,
    check_explanation,
    checks_named,
)
from workbench.enterprise_card import flag_keys
from workbench.findings.errors import FindingsError
from workbench.i18n import pick
from workbench.labels import DISPOSITIONS, header
from workbench.labels import FAMILIES as FAMILY_LABELS
from workbench.labels import SEVERITIES as SEVERITY_LABELS
from workbench.review import ReviewData
from workbench.tables import coverage_html


def _num(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.4g}"


#: Columns of the flags grid, in order (the message in the user's language).
GRID_COLUMNS = ("severity", "check_id", "unit_id", "period", "message_zh", "message_en",
                "observed", "expected", "delta_co2_t")
#: Columns of the flag tables (headers from the catalogue).
FLAG_HEADERS = ("severity", "check_id", "unit_id", "period", "message", "observed", "expected",
                "delta_co2_t", "disposition")


def disposition_text(disposition, locale: str) -> str:
    """A disposition as the reviewer reads it: its label, then its note ("" for none)."""
    if disposition is None:
        return ""
    text = pick(*DISPOSITIONS[disposition.disposition], locale)
    return f"{text}：{disposition.note}" if disposition.note else text


def flag_rows_html(flags: pd.DataFrame, locale: str, disposed: dict | None = None) -> str:
    """One escaped HTML table of flags: severity, check title, where, message, numbers and,
    from ``disposed`` (flag key -> disposition), what a reviewer concluded."""
    msg = "message_zh" if locale == "zh-CN" else "message_en"
    registry = checks.registry()
    disposed = disposed or {}
    rows = []
    for key, f in zip(flag_keys(flags), flags.itertuples(), strict=True):
        spec = registry.get(f.check_id)
        title = pick(spec.title_zh, spec.title_en, locale) if spec else f.check_id
        delta = "" if pd.isna(f.delta_co2_t) else f"{f.delta_co2_t:,.0f}"
        cells = [pick(*SEVERITY_LABELS[f.severity], locale), title, f.unit_id, f.period,
                 getattr(f, msg), _num(f.observed), _num(f.expected), delta,
                 disposition_text(disposed.get(key), locale)]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{html.escape(header(h, locale))}</th>" for h in FLAG_HEADERS)
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def explanation_html(check_id: str, cfg: dict, locale: str, open_: bool = False) -> str:
    """One check explained in ``locale`` as an escaped, collapsible HTML block (open when
    ``open_``): title, severity and basis, then the rule, why it matters, the source with
    its full references, and each threshold's config key, value in ``cfg`` and meaning."""
    e = check_explanation(check_id, cfg, locale)
    esc = html.escape

    def head(key: str) -> str:
        return esc(pick(*EXPLANATION_COLUMNS[key], locale))

    refs = "".join(f"<li>{esc(r)}</li>" for r in e["references"])
    if e["thresholds"]:
        cols = "".join(f"<th>{esc(label(k, locale))}</th>" for k in
                       ("threshold_key", "threshold_value", "threshold_meaning"))
        body = "".join(f"<tr><td><code>{esc(t['key'])}</code></td><td>{esc(t['value'])}</td>"
                       f"<td>{esc(t['description'])}</td></tr>" for t in e["thresholds"])
        thresholds = f"<table><tr>{cols}</tr>{body}</table>"
    else:
        thresholds = esc(pick(*NO_THRESHOLDS, locale))
    summary = " · ".join(esc(e[k]) for k in ("title", "severity", "basis"))
    return (f'<details class="check-explained" data-check="{esc(e["id"])}"'
            f'{" open" if open_ else ""}><summary>{summary}</summary><dl>'
            f"<dt>{head('rule')}</dt><dd>{esc(e['rule'])}</dd>"
            f"<dt>{head('rationale')}</dt><dd>{esc(e['rationale'])}</dd>"
            f"<dt>{head('source')}</dt><dd>{esc(e['source'])}<ul>{refs}</ul></dd>"
            f"<dt>{head('thresholds')}</dt><dd>{thresholds}</dd></dl></details>")


class FlagsPanel:
    """``value`` is the enterprise's flags (a DataFrame), ``coverage`` the checks that could
    not (fully) run for it; ``on_jump`` receives the flag (a row of the flags table) when
    the reviewer asks to see its records.  With a writable findings ``store`` the flag
    chosen in the list can be disposed of (``on_disposed`` callbacks follow each save)."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN", store=None):
        self._review = review
        self._store = store
        self._locale = locale
        self._disposed: dict = {}
        self._enterprise: str | None = None
        self._on_disposed: list[Callable[[object], None]] = []
        self._flags = review.flags.iloc[:0]
        self._coverage = review.coverage.iloc[:0]
        self._jump: list[Callable[[pd.Series], None]] = []
        self._explained: dict[tuple[str, str, bool], str] = {}   # (check, locale, open) -> HTML
        self._w_groups = w.Accordion()
        self._w_coverage = w.HTML()
        self._w_explain = w.HTML()
        self._w_pick = w.Dropdown(layout=w.Layout(width="70%"))
        self._w_pick.observe(self._explain_picked, names="value")
        self._w_show = w.Button(icon="search")
        self._w_show.on_click(self._jump_clicked)
        self._w_disposition = w.Dropdown(layout=w.Layout(width="14em"))
        self._w_note = w.Text(layout=w.Layout(width="30%"))
        self._w_link = w.Dropdown(layout=w.Layout(width="24em"))
        self._w_dispose = w.Button(button_style="info")
        self._w_dispose.on_click(self._dispose_clicked)
        self._w_disposed_msg = w.HTML()
        self.grid = EvidenceGrid("flags", locale, height="260px")
        dispose_row = [] if store is None or store.readonly else [
            w.HBox([self._w_disposition, self._w_note, self._w_link, self._w_dispose]),
            self._w_disposed_msg]
        self.widget = w.VBox([self._w_coverage, self.grid.widget,
                              w.HBox([self._w_pick, self._w_show]),
                              *dispose_row, self._w_explain, self._w_groups])
        self.set_locale(locale)

    @property
    def value(self) -> pd.DataFrame:
        """The flags on screen."""
        return self._flags

    @property
    def coverage(self) -> pd.DataFrame:
        """The checks that could not run, or ran only in part, for the enterprise on screen
        (:meth:`~workbench.review.ReviewData.coverage_of`)."""
        return self._coverage

    @property
    def dispositions(self) -> dict:
        """Flag key -> the current disposition of the enterprise's disposed flags."""
        return self._disposed

    @property
    def disposal_message(self) -> str:
        """What the store said to the last disposal, as plain text."""
        return html.unescape(re.sub(r"<[^>]+>", "",
                                    self._w_disposed_msg.value.replace("<br>", "\n")))

    def on_disposed(self, callback: Callable[[object], None]) -> None:
        """Call ``callback(disposition)`` after a flag's disposition was saved."""
        self._on_disposed.append(callback)

    def dispose(self, index: int, disposition: str, note: str = "",
                finding_id: str | None = None) -> None:
        """Choose the ``index``-th flag, fill in the disposition and press save (what the
        reviewer does with the controls)."""
        self.select(index)
        self._w_disposition.value = disposition
        self._w_note.value = note
        self._w_link.value = finding_id
        self._dispose_clicked()

    def refresh_findings(self, _finding=None) -> None:
        """Offer the enterprise's findings (as they are now) to link a flag to."""
        none = [(label("disposition_no_link", self._locale), None)]
        if self._store is None or self._enterprise is None:
            self._w_link.options = none
            return
        self._w_link.options = none + [(f"{f.id[:8]} · {f.title}"[:60], f.id)
                                       for f in self._store.list(enterprise_id=self._enterprise)]

    def _read_dispositions(self) -> None:
        self._disposed = {} if self._store is None or self._enterprise is None else {
            d.flag_key: d for d in self._store.dispositions(self._enterprise)}

    def _dispose_clicked(self, _button=None) -> None:
        i = self._w_pick.value
        if i is None or self._flags.empty or self._store is None:
            return
        row = self._flags.iloc[i]
        key = flag_keys(self._flags.iloc[[i]]).iloc[0]
        current = self._disposed.get(key)
        flag = {k: (None if pd.isna(row[k]) else str(row[k])) for k in
                ("check_id", "enterprise_id", "unit_id", "period", "parameter_code")}
        try:
            saved = self._store.dispose(
                flag, self._w_disposition.value, self._review.ds, note=self._w_note.value,
                finding_id=self._w_link.value,
                expected_version=current.version if current else None)
        except FindingsError as exc:
            self._w_disposed_msg.value = refusal_html(exc, self._locale)
            self._read_dispositions()
            return
        self._w_disposed_msg.value = f"<b>{html.escape(label('finding_saved', self._locale))}</b>"
        self._w_note.value = ""
        self._read_dispositions()
        self._render(keep_selection=True)
        for cb in self._on_disposed:
            cb(saved)

    def on_jump(self, callback: Callable[[pd.Series], None]) -> None:
        """Call ``callback(flag)`` (its row of the flags table) on "show records"."""
        self._jump.append(callback)

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Show another enterprise's flags and the checks that could not run for it."""
        self._flags = self._review.flags_of(enterprise_id) if enterprise_id else \
            self._review.flags.iloc[:0]
        self._coverage = self._review.coverage_of(enterprise_id) if enterprise_id else \
            self._review.coverage.iloc[:0]
        self._enterprise = enterprise_id
        self._read_dispositions()
        self.refresh_findings()
        self._w_disposed_msg.value = ""
        self._render()

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        self._w_show.description = label("show", locale)
        self._w_dispose.description = label("disposition_save", locale)
        self._w_note.placeholder = label("disposition_note", locale)
        chosen = self._w_disposition.value
        self._w_disposition.options = [(pick(*names, locale), code)
                                       for code, names in DISPOSITIONS.items()]
        self._w_disposition.value = chosen if chosen in DISPOSITIONS else "verified"
        self.grid.set_locale(locale)
        self.refresh_findings()
        self._render(keep_selection=True)

    def select(self, index: int) -> None:
        """Choose the ``index``-th flag in the jump list."""
        self._w_pick.value = index

    def explanation(self, check_id: str, open_: bool = False) -> str:
        """The HTML explaining ``check_id`` in the panel's locale (computed once)."""
        key = (check_id, self._locale, open_)
        if key not in self._explained:
            self._explained[key] = explanation_html(check_id, self._review.cfg, self._locale,
                                                    open_)
        return self._explained[key]

    def _explain_picked(self, _change=None) -> None:
        """Explain the check of the flag chosen in the jump list (nothing for a check the
        registry does not know: results of other check code)."""
        i = self._w_pick.value
        picked = None if i is None or self._flags.empty else self._flags["check_id"].iloc[i]
        known = picked in checks.registry()
        self._w_explain.value = self.explanation(picked, open_=True) if known else ""

    def _render(self, keep_selection: bool = False) -> None:
        """Draw the flags; the jump list chooses the first (worst) flag, or keeps its choice
        when ``keep_selection`` (the same flags relabelled)."""
        f = self._flags
        keys = flag_keys(f)
        self._w_coverage.value = coverage_html(self._coverage, self._locale)
        msg = "message_zh" if self._locale == "zh-CN" else "message_en"
        chosen = self._w_pick.value if keep_selection and self._w_pick.value is not None else 0
        self._w_pick.options = [
            (self._option_text(r, keys.iloc[i], msg), i) for i, r in enumerate(f.itertuples())]
        self._w_pick.value = chosen if len(f) else None
        self._show_grid(keys)                           # the chosen flag selected in it
        self._explain_picked()                          # also when the value did not change
        family = f["check_id"].str.split(".").str[0]
        children, titles = [], []
        for fam in FAMILIES:
            sub = f[family == fam]
            if sub.empty:
                continue
            counts = sub["severity"].value_counts()
            summary = " ".join(f"{k} {counts[k]}" for k in ("critical", "warning", "info")
                               if k in counts)
            explained = "".join(self.explanation(c) for c in checks_named(sub["check_id"]))
            children.append(w.HTML(flag_rows_html(sub, self._locale, self._disposed)
                                   + explained))
            titles.append(f"{pick(*FAMILY_LABELS[fam], self._locale)} ({summary})")
        if not children:
            children, titles = [w.HTML(label("no_flags", self._locale))], [label("flags",
                                                                              self._locale)]
        self._w_groups.children = children
        for i, t in enumerate(titles):
            self._w_groups.set_title(i, t)

    def _show_grid(self, keys: pd.Series) -> None:
        """All the enterprise's flags (their flag ``keys``) in one grid (sort, filter,
        export), critical rows highlighted, the flag chosen in the list selected."""
        f = self._flags
        shown = f[[c for c in GRID_COLUMNS if c in f.columns]].assign(
            disposition=[disposition_text(self._disposed.get(k), self._locale) for k in keys])
        self.grid.show(shown, f["severity"] == "critical", self._w_pick.value)

    def _option_text(self, row, key: str, msg: str) -> str:
        """A flag in the list: [its disposition] severity · unit period · message."""
        done = self._disposed.get(key)
        mark = f"[{pick(*DISPOSITIONS[done.disposition], self._locale)}] " if done else ""
        severity = pick(*SEVERITY_LABELS[row.severity], self._locale)
        return f"{mark}{severity} · {row.unit_id} {row.period} · {getattr(row, msg)}"[:120]

    def _jump_clicked(self, _button=None) -> None:
        i = self._w_pick.value
        if i is None or self._flags.empty:
            return
        row = self._flags.iloc[i]
        for cb in self._jump:
            cb(row)
