"""Finding form and list: turn flags into a structured finding, then move it along the workflow.

The store (``workbench.findings``) validates, checks permissions and versions and
writes the audit log; this view only collects input and shows what the store
says, in the reviewer's language.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from datetime import date

import ipywidgets as w
import pandas as pd

from widgets.grid import EvidenceGrid
from widgets.labels import label
from workbench.findings.codes import (
    ACTIONS,
    CATEGORIES,
    FINAL_STATUSES,
    NEXT_STEPS,
    SEVERITIES,
    STATUSES,
)
from workbench.findings.errors import FindingsError
from workbench.findings.sheet_columns import AUDIT_ACTIONS, HISTORY_LABELS
from workbench.i18n import pick
from workbench.labels import COLUMNS
from workbench.review import ReviewData


def _options(codes: dict[str, tuple[str, str]], locale: str) -> list[tuple[str, str]]:
    return [(pick(zh, en, locale), code) for code, (zh, en) in codes.items()]


def field_name(field: str, locale: str) -> str:
    """A refusal's field as the reader knows it (``title`` → 问题标题 / Title); fields not
    named here (``flags[0].period``) keep their name after the known part."""
    head, sep, rest = field.partition(".")
    base = head.split("[")[0]
    names = COLUMNS.get(base)
    if names is None:
        return field
    return pick(*names, locale) + head[len(base):] + (sep + rest if sep else "")


def refusal_html(exc: FindingsError, locale: str) -> str:
    """The store's reasons for refusing a change, escaped, in ``locale``, each naming its
    field in words."""
    lines = [f"{html.escape(field_name(p.field, locale))}: "
             f"{html.escape(pick(p.zh, p.en, locale))}" for p in exc.problems]
    return f"<b>{html.escape(label('finding_refused', locale))}</b><br>" + "<br>".join(lines)


def findings_frame(rows: list) -> pd.DataFrame:
    """The findings listed, one row each (id shortened; codes kept, shown as words)."""
    return pd.DataFrame({
        "id": [f.id[:8] for f in rows], "status": [f.status for f in rows],
        "severity": [f.severity for f in rows], "title": [f.title for f in rows],
        "periods": [", ".join(f.periods) for f in rows],
        "due_date": [f.due_date.isoformat() if f.due_date else "" for f in rows],
        "updated_by": [f.updated_by for f in rows], "version": [f.version for f in rows]})


def overdue(rows: list, today: date | None = None) -> list[bool]:
    """Which findings are past their due date and neither closed nor dismissed."""
    today = today or date.today()
    return [bool(f.due_date and f.due_date < today and f.status not in FINAL_STATUSES)
            for f in rows]


def _digest(draft: dict) -> str:
    """A fingerprint of a draft (its fields and evidence flags, as the form gives them)."""
    text = json.dumps(draft, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def history_html(entries: list[dict], locale: str) -> str:
    """An escaped HTML table of a finding's audit entries: when, who, what, status, reason."""
    rows = []
    for e in entries:
        payload = json.loads(e["payload"])
        before, after = payload.get("before") or {}, payload.get("after") or {}
        status = pick(*STATUSES[after["status"]], locale) if after.get("status") else ""
        if before.get("status") and before["status"] != after.get("status"):
            status = f"{pick(*STATUSES[before['status']], locale)} → {status}"
        note = after.get("status_reason") or ""
        if after.get("rectification_ref") and before.get("status") != after.get("status") \
                and after.get("status") == "rectified":
            evidence = f"{after['rectification_ref']} ({after.get('rectification_date')})"
            note = f"{evidence}; {note}" if note else evidence
        action = AUDIT_ACTIONS.get(e["action"])
        cells = [e["at"][:19].replace("T", " "), e["actor"],
                 pick(*action, locale) if action else e["action"], status, note]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
                    + "</tr>")
    head = "".join(f"<th>{html.escape(pick(*HISTORY_LABELS[k], locale))}</th>"
                   for k in ("at", "actor", "action", "status", "reason"))
    return (f"<b>{html.escape(label('finding_history', locale))}</b>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>")


class FindingForm:
    """Create a finding for the enterprise on screen from the flags ticked in ``flags``.

    ``value`` is the last finding saved (or ``None``); ``message`` what the store said.
    Saving the draft just saved again (a double click) stores nothing and says so; the
    store refuses such a repeat too (``FindingsStore.create`` is idempotent).  A draft
    citing exactly the evidence of a live finding of the enterprise is saved only when
    save is clicked again after the warning.
    """

    def __init__(self, review: ReviewData, store, locale: str = "zh-CN"):
        self._review = review
        self._store = store
        self._locale = locale
        self._enterprise: str | None = None
        self._flags = review.flags.iloc[:0]
        self.value = None
        self._saved_digest: str | None = None
        self._warned_digest: str | None = None
        self._saving = False
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
            (f"{pick(*SEVERITIES[r.severity], self._locale)} · {r.unit_id} {r.period} · "
             f"{getattr(r, msg)}"[:140], i)
            for i, r in enumerate(self._flags.itertuples())]
        self._w_message.value = ""
        self._saved_digest = self._warned_digest = None

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

    def _same_evidence(self, draft: dict) -> list:
        """Live (not dismissed) findings of the draft's enterprise that cite exactly the
        draft's evidence flags (none when the draft cites none)."""
        def keys(flags) -> frozenset:
            return frozenset((f["check_id"], f["unit_id"], f["period"], f["parameter_code"])
                             for f in flags)

        wanted = keys(draft["flags"])
        if not wanted or self._enterprise is None:
            return []
        return [f for f in self._store.list(enterprise_id=self._enterprise)
                if f.status != "dismissed" and keys(r.__dict__ for r in f.flags) == wanted]

    def _save(self, _button=None) -> None:
        if self._saving:
            return
        draft = self.draft()
        digest = _digest(draft)
        if digest == self._saved_digest and self.value is not None:
            self._w_message.value = (
                f"<b>{html.escape(label('finding_already_saved', self._locale))}</b> "
                f"{html.escape(self.value.id)}")
            return
        twins = self._same_evidence(draft)
        if twins and digest != self._warned_digest:
            self._warned_digest = digest
            text = label("finding_same_evidence", self._locale).format(
                ids=", ".join(f.id[:8] for f in twins))
            self._w_message.value = f"<b>{html.escape(text)}</b>"
            return
        self._saving, self._w_save.disabled = True, True
        try:
            self.value = self._store.create(draft, self._review.ds)
        except FindingsError as exc:
            self._w_message.value = refusal_html(exc, self._locale)
            return
        finally:
            self._saving, self._w_save.disabled = False, self._store.readonly
        self._saved_digest = digest
        self._w_message.value = (f"<b>{html.escape(label('finding_saved', self._locale))}</b> "
                                 f"{html.escape(self.value.id)}")
        for cb in self._saved:
            cb(self.value)


class FindingList:
    """The enterprise's findings, and for the chosen one its history and one button per
    move the workflow allows from its current status (the forward step first; none for
    a closed or dismissed finding), redrawn after every move."""

    def __init__(self, store, locale: str = "zh-CN"):
        self._store = store
        self._locale = locale
        self._enterprise: str | None = None
        self._rows: list = []
        self._buttons: dict[str, w.Button] = {}
        self._changed: list[Callable[[str], None]] = []
        self.table = EvidenceGrid("findings", locale, height="200px")
        self._w_pick = w.Dropdown()
        self._w_reason = w.Text()
        self._w_evidence_ref = w.Text()
        self._w_evidence_date = w.DatePicker()
        self._w_steps = w.HBox()
        self._w_history = w.HTML()
        self._w_message = w.HTML()
        self._w_pick.observe(self._picked, names="value")
        controls = [] if store.readonly else [
            self._w_reason, w.HBox([self._w_evidence_ref, self._w_evidence_date]),
            self._w_steps]
        self.widget = w.VBox([self.table.widget, self._w_pick, *controls, self._w_history,
                              self._w_message])
        self.set_locale(locale)

    @property
    def value(self) -> list:
        """The findings listed."""
        return self._rows

    @property
    def message(self) -> str:
        """The store's last answer as plain text."""
        return html.unescape(self._w_message.value.replace("<br>", "\n"))

    @property
    def steps(self) -> list[str]:
        """The target statuses offered for the chosen finding, in button order."""
        return list(self._buttons)

    def button(self, to_status: str) -> w.Button:
        """The button that moves the chosen finding to ``to_status`` (KeyError if not offered)."""
        return self._buttons[to_status]

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """List another enterprise's findings."""
        self._enterprise = enterprise_id
        self.refresh()

    def refresh(self, _finding=None) -> None:
        """Read the findings again from the store, keeping the chosen one chosen."""
        chosen = self._w_pick.value
        self._rows = self._store.list(enterprise_id=self._enterprise) if self._enterprise else []
        self.table.show(findings_frame(self._rows), overdue(self._rows))
        options = [(f"{f.id[:8]} · {f.title}"[:80], f.id) for f in self._rows]
        self._w_pick.options = options
        if any(fid == chosen for _, fid in options):
            self._w_pick.value = chosen
        self._picked()

    def on_changed(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(finding_id)`` after a finding was moved to another status."""
        self._changed.append(callback)

    def choose(self, finding_id: str, reason: str = "",
               evidence: tuple[str, date] | None = None) -> None:
        """Select a finding and type a reason and, for marking it rectified, the
        rectification document's reference and date (then press one of its step buttons)."""
        self._w_pick.value = finding_id
        self._w_reason.value = reason
        self._w_evidence_ref.value, self._w_evidence_date.value = evidence or ("", None)

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        self._w_reason.description = label("finding_reason", locale)
        self._w_evidence_ref.description = label("finding_evidence_ref", locale)
        self._w_evidence_date.description = label("finding_evidence_date", locale)
        self.table.set_locale(locale)
        self.refresh()

    def _chosen(self):
        return next((f for f in self._rows if f.id == self._w_pick.value), None)

    def _picked(self, _change=None) -> None:
        """Offer the moves allowed from the chosen finding's status as it is now."""
        chosen = self._chosen()
        self._buttons = {}
        for i, status in enumerate(NEXT_STEPS[chosen.status] if chosen else ()):
            button = w.Button(description=f"→ {pick(*STATUSES[status], self._locale)}",
                              button_style="primary" if i == 0 else "",
                              disabled=self._store.readonly)
            button.on_click(lambda _b, to=status: self._move(to))
            self._buttons[status] = button
        if self._buttons:
            caption = [w.Label(label("finding_move", self._locale))]
        else:
            caption = [w.Label(label("finding_final", self._locale))] if chosen else []
        self._w_steps.children = [*caption, *self._buttons.values()]
        self._w_history.value = (history_html(self._store.history(chosen.id), self._locale)
                                 if chosen else "")

    def _move(self, to_status: str) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        try:
            self._store.transition(
                chosen.id, to_status, chosen.version, self._w_reason.value or None,
                evidence={"ref": self._w_evidence_ref.value,
                          "date": self._w_evidence_date.value})
        except FindingsError as exc:
            self._w_message.value = refusal_html(exc, self._locale)
            return
        self._w_message.value = f"<b>{html.escape(label('finding_saved', self._locale))}</b>"
        self._w_reason.value = self._w_evidence_ref.value = ""
        self._w_evidence_date.value = None
        self.refresh()
        for cb in self._changed:
            cb(chosen.id)
