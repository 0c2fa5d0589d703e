"""Flags panel: an enterprise's flags grouped by family and severity, each explained (zh/en)
with observed against expected and ΔtCO2, and a jump to the records behind it."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from widgets.labels import label
from workbench.checks.registry import FAMILIES, FAMILY_LABELS, REGISTRY
from workbench.i18n import pick
from workbench.review import ReviewData


def _num(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.4g}"


def flag_rows_html(flags: pd.DataFrame, locale: str) -> str:
    """One escaped HTML table of flags: severity, check title, where, message, numbers."""
    msg = "message_zh" if locale == "zh-CN" else "message_en"
    rows = []
    for f in flags.itertuples():
        spec = REGISTRY.get(f.check_id)
        title = pick(spec.title_zh, spec.title_en, locale) if spec else f.check_id
        delta = "" if pd.isna(f.delta_co2_t) else f"{f.delta_co2_t:,.0f}"
        cells = [f.severity, title, f.unit_id, f.period, getattr(f, msg),
                 _num(f.observed), _num(f.expected), delta]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    head = ("<tr><th>!</th><th>check</th><th>unit</th><th>period</th><th>message</th>"
            "<th>observed</th><th>expected</th><th>ΔtCO2</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


class FlagsPanel:
    """``value`` is the enterprise's flags (a DataFrame); ``on_jump`` receives
    (unit_id, parameter_code, period) when the reviewer asks to see a flag's records."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN"):
        self._review = review
        self._locale = locale
        self._flags = review.flags.iloc[:0]
        self._jump: list[Callable[[str, str, str], None]] = []
        self._w_groups = w.Accordion()
        self._w_pick = w.Dropdown(layout=w.Layout(width="70%"))
        self._w_show = w.Button(icon="search")
        self._w_show.on_click(self._jump_clicked)
        self.widget = w.VBox([w.HBox([self._w_pick, self._w_show]), self._w_groups])
        self.set_locale(locale)

    @property
    def value(self) -> pd.DataFrame:
        """The flags on screen."""
        return self._flags

    def on_jump(self, callback: Callable[[str, str, str], None]) -> None:
        """Call ``callback(unit_id, parameter_code, period)`` on "show records"."""
        self._jump.append(callback)

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Show another enterprise's flags."""
        self._flags = self._review.flags_of(enterprise_id) if enterprise_id else \
            self._review.flags.iloc[:0]
        self._render()

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        self._w_show.description = label("show", locale)
        self._render()

    def select(self, index: int) -> None:
        """Choose the ``index``-th flag in the jump list."""
        self._w_pick.value = index

    def _render(self) -> None:
        f = self._flags
        msg = "message_zh" if self._locale == "zh-CN" else "message_en"
        self._w_pick.options = [(f"{r.severity} · {r.unit_id} {r.period} · {getattr(r, msg)}"[:120],
                                 i) for i, r in enumerate(f.itertuples())]
        family = f["check_id"].str.split(".").str[0]
        children, titles = [], []
        for fam in FAMILIES:
            sub = f[family == fam]
            if sub.empty:
                continue
            counts = sub["severity"].value_counts()
            summary = " ".join(f"{k} {counts[k]}" for k in ("critical", "warning", "info")
                               if k in counts)
            children.append(w.HTML(flag_rows_html(sub, self._locale)))
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
