"""What a case report says about itself, so that it can be handed over: when it was made
(UTC, ``yyyy-mm-dd HH:MM``), from which dataset (path and fingerprint), by which workbench
version, under which screening configuration (its hash, as the results manifest records
it), who prepared it, and the findings already recorded for the case's enterprises.

Findings come from the configured findings store opened read-only
(:func:`workbench.findings.open_store` with ``readonly=True``); a report is still written
when the store cannot be opened, and then says so instead of listing findings.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from workbench.findings.codes import CATEGORIES, FINAL_STATUSES, SEVERITIES, STATUSES
from workbench.i18n import pick
from workbench.investigate.case import Case
from workbench.labels import Label, columns_of
from workbench.results import MANIFEST
from workbench.review import ReviewData

#: Fields of the "about this report" block (zh, en), in the order shown.
ABOUT_LABELS: dict[str, Label] = columns_of((
    "generated_at", "prepared_by", "dataset", "dataset_fingerprint", "workbench_version",
    "config_hash", "findings_store", "findings_recorded"))
#: Columns of the findings table (zh, en).
FINDING_LABELS: dict[str, Label] = columns_of((
    "id", "enterprise_id", "title", "category", "severity", "status", "periods", "due_date",
    "overdue", "created", "created_by"))
FINDING_COLUMNS = tuple(FINDING_LABELS)


def case_enterprises(case: Case) -> list[str]:
    """The enterprises a case is about: the enterprise itself, those a lab reports for,
    those an agency verifies (sorted)."""
    if case.kind == "enterprise":
        return [case.case_id]
    table = case.reports if case.kind == "lab" else case.enterprises
    return sorted(set(table["enterprise_id"].dropna().astype(str)))


def read_findings(cfg: dict, enterprise_ids: list[str]) -> tuple[list, str, str]:
    """The findings recorded for ``enterprise_ids`` in the configured store (opened
    read-only), where the store is (its URL without password), and a note: "" when the
    store was read; otherwise why it could not be (then no findings)."""
    import sqlalchemy as sa

    from workbench.findings import FindingsError, open_store

    url = str(cfg.get("general", {}).get("database_url", ""))
    try:
        where = sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        where = url
    wanted = set(enterprise_ids)
    try:
        store = open_store(readonly=True, config=cfg)
    except FindingsError as exc:
        return [], where, f"未能打开问题库 / the findings store could not be opened: {exc}"
    try:
        found = store.list(enterprise_id=enterprise_ids[0]) if len(wanted) == 1 \
            else [f for f in store.list() if f.enterprise_id in wanted]
    except (FindingsError, sa.exc.SQLAlchemyError, OSError) as exc:
        return [], where, f"未能读取问题库 / the findings store could not be read: {exc}"
    finally:
        store.close()
    return sorted(found, key=lambda f: (f.enterprise_id, f.created_at)), where, ""


def _day(value: object) -> str:
    """A date or time as ``yyyy-mm-dd`` ("" for none)."""
    if value is None or value == "":
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def findings_frame(findings: list, today: date | None = None) -> pd.DataFrame:
    """One row per finding (:data:`FINDING_COLUMNS`), codes as stored, dates yyyy-mm-dd;
    ``overdue`` when the due date has passed and the finding is neither closed nor
    dismissed."""
    today = today or datetime.now(UTC).date()
    rows = [{"id": f.id, "enterprise_id": f.enterprise_id, "title": f.title,
             "category": f.category, "severity": f.severity, "status": f.status,
             "periods": ", ".join(f.periods or []), "due_date": _day(f.due_date),
             "overdue": bool(f.due_date and f.due_date < today
                             and f.status not in FINAL_STATUSES),
             "created": _day(f.created_at), "created_by": f.created_by} for f in findings]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def findings_display(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """:func:`findings_frame` for reading: codes as words, headers in ``locale``."""
    out = frame.copy()
    for col, labels in (("category", CATEGORIES), ("severity", SEVERITIES),
                        ("status", STATUSES)):
        out[col] = [pick(*labels[v], locale) if v in labels else v for v in out[col]]
    out["overdue"] = ["✓" if v else "" for v in out["overdue"]]
    return out.rename(columns={k: pick(*v, locale) for k, v in FINDING_LABELS.items()})


def _results_manifest(review: ReviewData) -> dict:
    try:
        return json.loads((Path(review.results) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def report_about(review: ReviewData, case: Case, now: datetime | None = None,
                 today: date | None = None) -> tuple[dict[str, str], pd.DataFrame, str]:
    """The facts of the "about this report" block (:data:`ABOUT_LABELS` keys, as text), the
    findings recorded for the case's enterprises (:func:`findings_frame`) and the store's
    note ("" when it was read)."""
    from workbench import __version__
    from workbench.config import config_hash
    from workbench.findings.identity import current_actor

    now = (now or datetime.now(UTC)).astimezone(UTC)
    findings, where, note = read_findings(review.cfg, case_enterprises(case))
    manifest = _results_manifest(review)
    facts = {
        "generated_at": now.strftime("%Y-%m-%d %H:%M"),
        "prepared_by": current_actor(review.cfg) or "—",
        "dataset": str(Path(review.ds.path).resolve()),
        "dataset_fingerprint": str(review.ds.fingerprint or "—"),
        "workbench_version": __version__,
        "config_hash": str(manifest.get("config_hash") or config_hash(review.cfg)),
        "findings_store": where or "—",
        "findings_recorded": str(len(findings)) if not note else note,
    }
    return facts, findings_frame(findings, today), note


def about_frame(facts: dict[str, str], locale: str) -> pd.DataFrame:
    """The facts as two columns (item, value), items in ``locale``."""
    return pd.DataFrame({"field": [pick(*ABOUT_LABELS[k], locale) for k in facts],
                         "value": list(facts.values())})


def about_html(review: ReviewData, case: Case, locale: str,
               now: datetime | None = None) -> str:
    """The "about this report" block as escaped HTML: the facts, then the findings already
    recorded for the case's enterprises (or why the store could not be read)."""
    facts, findings, note = report_about(review, case, now)
    block = about_frame(facts, locale).to_html(index=False, header=False, escape=True,
                                               classes="wb-about")
    heading = "已记录的问题 · Findings already recorded"
    if note:
        body = f'<p class="wb-findings-note" style="color:#a35c00">{html.escape(note)}</p>'
    elif findings.empty:
        body = "<p>{}</p>".format(html.escape(pick(
            "问题库中尚无本案企业的问题记录",
            "No finding is recorded for the enterprises of this case", locale)))
    else:
        shown = findings_display(findings, locale)
        if case.kind == "enterprise":      # one enterprise: its code heads the report
            shown = shown.drop(columns=pick(*FINDING_LABELS["enterprise_id"], locale))
        body = shown.to_html(index=False, escape=True, na_rep="", classes="wb-findings")
    return f'{block}<h3>{html.escape(heading)}</h3>{body}'
