"""Flags panel: an enterprise's flags grouped by family and severity, each explained (zh/en)
with observed against expected and ΔtCO2, and a jump to the records behind it.

Every check whose flags are shown is explained beside them, as in ``docs/checks.md``
(:func:`workbench.checks_doc.check_explanation`): its rule, why it matters, its source
and the thresholds it read with their values in the review's configuration; the check of
the flag chosen in the jump list is explained above the groups.

No flag can mean "not checked": above everything, a line says how many checks could not
run (or ran only in part) for the enterprise because data was missing from the export,
and opens to the checks and the inputs they missed (:func:`workbench.tables.coverage_html`);
there is no line when every check ran."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from widgets.labels import label
from workbench import checks
from workbench.checks.registry import FAMILIES, FAMILY_LABELS
from workbench.checks_doc import (
    EXPLANATION_COLUMNS,
    NO_THRESHOLDS,
    check_explanation,
    checks_named,
)
from workbench.i18n import pick
from workbench.review import ReviewData
from workbench.tables import coverage_html


def _num(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.4g}"


def flag_rows_html(flags: pd.DataFrame, locale: str) -> str:
    """One escaped HTML table of flags: severity, check title, where, message, numbers."""
    msg = "message_zh" if locale == "zh-CN" else "message_en"
    registry = checks.registry()
    rows = []
    for f in flags.itertuples():
        spec = registry.get(f.check_id)
        title = pick(spec.title_zh, spec.title_en, locale) if spec else f.check_id
        delta = "" if pd.isna(f.delta_co2_t) else f"{f.delta_co2_t:,.0f}"
        cells = [f.severity, title, f.unit_id, f.period, getattr(f, msg),
                 _num(f.observed), _num(f.expected), delta]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    head = ("<tr><th>!</th><th>check</th><th>unit</th><th>period</th><th>message</th>"
            "<th>observed</th><th>expected</th><th>ΔtCO2</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


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
    not (fully) run for it; ``on_jump`` receives (unit_id, parameter_code, period) when the
    reviewer asks to see a flag's records."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN"):
        self._review = review
        self._locale = locale
        self._flags = review.flags.iloc[:0]
        self._coverage = review.coverage.iloc[:0]
        self._jump: list[Callable[[str, str, str], None]] = []
        self._explained: dict[tuple[str, str, bool], str] = {}   # (check, locale, open) -> HTML
        self._w_groups = w.Accordion()
        self._w_coverage = w.HTML()
        self._w_explain = w.HTML()
        self._w_pick = w.Dropdown(layout=w.Layout(width="70%"))
        self._w_pick.observe(self._explain_picked, names="value")
        self._w_show = w.Button(icon="search")
        self._w_show.on_click(self._jump_clicked)
        self.widget = w.VBox([self._w_coverage, w.HBox([self._w_pick, self._w_show]),
                              self._w_explain, self._w_groups])
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

    def on_jump(self, callback: Callable[[str, str, str], None]) -> None:
        """Call ``callback(unit_id, parameter_code, period)`` on "show records"."""
        self._jump.append(callback)

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Show another enterprise's flags and the checks that could not run for it."""
        self._flags = self._review.flags_of(enterprise_id) if enterprise_id else \
            self._review.flags.iloc[:0]
        self._coverage = self._review.coverage_of(enterprise_id) if enterprise_id else \
            self._review.coverage.iloc[:0]
        self._render()

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        self._w_show.description = label("show", locale)
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
        self._w_coverage.value = coverage_html(self._coverage, self._locale)
        msg = "message_zh" if self._locale == "zh-CN" else "message_en"
        chosen = self._w_pick.value if keep_selection and self._w_pick.value is not None else 0
        self._w_pick.options = [(f"{r.severity} · {r.unit_id} {r.period} · {getattr(r, msg)}"[:120],
                                 i) for i, r in enumerate(f.itertuples())]
        self._w_pick.value = chosen if len(f) else None
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
            children.append(w.HTML(flag_rows_html(sub, self._locale) + explained))
            titles.append(f"{pick(*FAMILY_LABELS[fam], self._locale)} ({summary})")
        if not children:
            children, titles = [w.HTML(label("no_flags", self._locale))], [label("flags",
                                                                              self._locale)]
        self._w_groups.children = children
        for i, t in enumerate(titles):
            self._w_groups.set_title(i, t)

    def _jump_clicked(self, _button=None) -> None:
        i = self._w_pick.value
        if i is None or self._flags.empty:
            return
        row = self._flags.iloc[i]
        for cb in self._jump:
            cb(row["unit_id"], row["parameter_code"], row["period"])
