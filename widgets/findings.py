"""Finding form and list: turn flags into a structured finding, then move it along the workflow.

The store (``workbench.findings``) validates, checks permissions and versions and
writes the audit log; this view only collects input and shows what the store
says, in the reviewer's language.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from widgets.labels import label
from workbench.findings.codes import ACTIONS, CATEGORIES, SEVERITIES, STATUSES, TRANSITIONS
from workbench.findings.errors import FindingsError
from workbench.i18n import pick
from workbench.review import ReviewData


def _options(codes: dict[str, tuple[str, str]], locale: str) -> list[tuple[str, str]]:
    return [(pick(zh, en, locale), code) for code, (zh, en) in codes.items()]


def refusal_html(exc: FindingsError, locale: str) -> str:
    """The store's reasons for refusing a change, escaped, in ``locale``."""
    lines = [html.escape(m) for m in exc.messages(locale)]
    return f"<b>{html.escape(label('finding_refused', locale))}</b><br>" + "<br>".join(lines)


def findings_html(rows: list, locale: str) -> str:
    """An escaped HTML table of findings (id, status, severity, title, periods, due, by)."""
    if not rows:
        return f"<p>{html.escape(label('finding_none', locale))}</p>"
    head = "".join(f"<th>{h}</th>" for h in ("id", "status", "!", "title", "periods", "due",
                                             "by", "v"))
    body = []
    for f in rows:
        cells = [f.id[:8], pick(*STATUSES[f.status], locale), f.severity, f.title,
                 ", ".join(f.periods), f.due_date or "", f.updated_by, f.version]
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


class FindingForm:
    """Create a finding for the enterprise on screen from the flags ticked in ``flags``.

    ``value`` is the last finding saved (or ``None``); ``message`` what the store said.
    """

    def __init__(self, review: ReviewData, store, locale: str = "zh-CN"):
        self._review = review
        self._store = store
        self._locale = locale
        self._enterprise: str | None = None
        self._flags = review.flags.iloc[:0]
        self.value = None
        self._saved: list[Callable[[object], None]] = []
        self._w_title = w.Text()
        self._w_category = w.Dropdown()
        self._w_severity = w.Dropdown()
        self._w_description = w.Textarea(layout=w.Layout(width="95%", height="90px"))
        self._w_materiality = w.FloatText()
        self._w_action = w.Dropdown()
        self._w_due = w.DatePicker()
        self._w_evidence = w.SelectMultiple(rows=6, layout=w.Layout(width="95%"))
        self._w_save = w.Button(button_style="primary", icon="save",
                                disabled=store.readonly)
        self._w_message = w.HTML()
        self._w_save.on_click(self._save)
        self._w_evidence.observe(self._evidence_changed, names="value")
        self.widget = w.VBox([self._w_evidence, self._w_title, self._w_category,
                              self._w_severity, self._w_description, self._w_materiality,
                              self._w_action, self._w_due, self._w_save, self._w_message])
        self.set_locale(locale)

    @property
    def message(self) -> str:
        """The store's last answer as plain text."""
        return html.unescape(self._w_message.value.replace("<br>", "\n"))

    def on_saved(self, callback: Callable[[object], None]) -> None:
        """Call ``callback(finding)`` after a successful save."""
        self._saved.append(callback)

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Offer another enterprise's flags as evidence."""
        self._enterprise = enterprise_id
        self._flags = self._review.flags_of(enterprise_id) if enterprise_id else \
            self._review.flags.iloc[:0]
        msg = "message_zh" if self._locale == "zh-CN" else "message_en"
        self._w_evidence.options = [
            (f"{r.severity} · {r.unit_id} {r.period} · {getattr(r, msg)}"[:140], i)
            for i, r in enumerate(self._flags.itertuples())]
        self._w_message.value = ""

    def fill(self, **values) -> None:
        """Set form fields by name: title, category, severity, description, materiality_t,
        recommended_action, due_date, evidence (list of flag positions)."""
        widgets = {"title": self._w_title, "category": self._w_category,
                   "severity": self._w_severity, "description": self._w_description,
                   "materiality_t": self._w_materiality, "recommended_action": self._w_action,
                   "due_date": self._w_due, "evidence": self._w_evidence}
        for key, value in values.items():
            widgets[key].value = tuple(value) if key == "evidence" else value

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        for child, key in ((self._w_title, "title"), (self._w_category, "category"),
                           (self._w_severity, "severity"), (self._w_description, "description"),
                           (self._w_materiality, "materiality"), (self._w_action, "action"),
                           (self._w_due, "due"), (self._w_evidence, "evidence")):
            child.description = label(f"finding_{key}", locale)
        for child, codes in ((self._w_category, CATEGORIES), (self._w_severity, SEVERITIES),
                             (self._w_action, ACTIONS)):
            current = child.value
            child.options = _options(codes, locale)
            if current is not None:
                child.value = current
        self._w_save.description = label(
            "finding_readonly" if self._store.readonly else "finding_save", locale)
        self.show_enterprise(self._enterprise)

    def draft(self) -> dict:
        """The finding the form describes, as the store expects it."""
        chosen = self._flags.iloc[list(self._w_evidence.value)]
        flags = [{"check_id": r.check_id, "enterprise_id": r.enterprise_id,
                  "unit_id": r.unit_id or None, "period": r.period,
                  "parameter_code": r.parameter_code or None,
                  "dataset_fingerprint": self._review.ds.fingerprint}
                 for r in chosen.itertuples()]
        units = sorted(set(chosen["unit_id"]) - {""})
        periods = sorted(set(chosen["period"]) - {""})
        return {"enterprise_id": self._enterprise, "unit_id": units[0] if len(units) == 1
                else None, "periods": periods, "title": self._w_title.value,
                "category": self._w_category.value, "severity": self._w_severity.value,
                "description": self._w_description.value,
                "materiality_t": self._w_materiality.value or None,
                "recommended_action": self._w_action.value,
                "due_date": self._w_due.value, "flags": flags}

    def _evidence_changed(self, change) -> None:
        chosen = self._flags.iloc[list(change["new"])]
        self._w_materiality.value = float(chosen["delta_co2_t"].fillna(0).sum())
        worst = chosen["severity"].map({"critical": 0, "warning": 1, "info": 2}).min()
        if pd.notna(worst):
            self._w_severity.value = ("critical", "warning", "info")[int(worst)]

    def _save(self, _button=None) -> None:
        try:
            self.value = self._store.create(self.draft(), self._review.ds)
        except FindingsError as exc:
            self._w_message.value = refusal_html(exc, self._locale)
            return
        self._w_message.value = (f"<b>{html.escape(label('finding_saved', self._locale))}</b> "
                                 f"{html.escape(self.value.id)}")
        for cb in self._saved:
            cb(self.value)


class FindingList:
    """The enterprise's findings, and the workflow moves allowed from a chosen one."""

    def __init__(self, store, locale: str = "zh-CN"):
        self._store = store
        self._locale = locale
        self._enterprise: str | None = None
        self._rows: list = []
        self._w_table = w.HTML()
        self._w_pick = w.Dropdown()
        self._w_to = w.Dropdown()
        self._w_reason = w.Text()
        self._w_move = w.Button(icon="arrow-right", disabled=store.readonly)
        self._w_message = w.HTML()
        self._w_pick.observe(self._picked, names="value")
        self._w_move.on_click(self._move)
        controls = [] if store.readonly else [w.HBox([self._w_pick, self._w_to]),
                                              self._w_reason, self._w_move]
        self.widget = w.VBox([self._w_table, *controls, self._w_message])
        self.set_locale(locale)

    @property
    def value(self) -> list:
        """The findings listed."""
        return self._rows

    @property
    def message(self) -> str:
        """The store's last answer as plain text."""
        return html.unescape(self._w_message.value.replace("<br>", "\n"))

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """List another enterprise's findings."""
        self._enterprise = enterprise_id
        self.refresh()

    def refresh(self, _finding=None) -> None:
        """Read the findings again from the store."""
        self._rows = self._store.list(enterprise_id=self._enterprise) if self._enterprise else []
        self._w_table.value = findings_html(self._rows, self._locale)
        self._w_pick.options = [(f"{f.id[:8]} · {f.title}"[:80], f.id) for f in self._rows]

    def choose(self, finding_id: str, to_status: str, reason: str = "") -> None:
        """Select a finding, a target status and a reason (then press the button)."""
        self._w_pick.value = finding_id
        self._w_to.value = to_status
        self._w_reason.value = reason

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        self._w_move.description = label("finding_move", locale)
        self._w_reason.description = label("finding_reason", locale)
        self._picked()
        self.refresh()

    def _picked(self, _change=None) -> None:
        chosen = next((f for f in self._rows if f.id == self._w_pick.value), None)
        nxt = sorted(TRANSITIONS[chosen.status]) if chosen else []
        self._w_to.options = [(pick(*STATUSES[s], self._locale), s) for s in nxt]

    def _move(self, _button=None) -> None:
        chosen = next((f for f in self._rows if f.id == self._w_pick.value), None)
        if chosen is None or not self._w_to.value:
            return
        try:
            self._store.transition(chosen.id, self._w_to.value, chosen.version,
                                   self._w_reason.value or None)
        except FindingsError as exc:
            self._w_message.value = refusal_html(exc, self._locale)
            return
        self._w_message.value = f"<b>{html.escape(label('finding_saved', self._locale))}</b>"
        self.refresh()

