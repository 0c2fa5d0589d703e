"""Check health: how often each check flags, and how often reviewers threw its flags out.

A finding that cites a check's flags and is then *dismissed* is a labelled false alarm;
one that goes on to rectification (or closes) is a confirmed one.  A flag disposition
(``FindingsStore.dispose``) is a decision on one flag: 误报 (false positive) counts as
dismissed, 已核实 and 已解释 as reviewed and kept; 已关联问题 counts through its finding.
Per check:

* ``flags``, ``critical``, ``enterprises`` flagged, and ``flags_per_1000`` unit-months
  screened (how loud the check is);
* ``cited`` (findings citing its flags), ``reviewed`` (of those, decided: anything but
  ``open``, plus its disposed flags), ``dismissed`` (dismissed findings plus flags marked
  误报) and ``dismissal_share`` = dismissed / reviewed;
* ``needs_tuning``: at least ``check_health.min_reviewed`` decided findings and a dismissal
  share above ``check_health.max_dismissal_share`` (config): a check reviewers keep
  overruling should have its thresholds looked at.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Columns of the check-health table, in order.
HEALTH_COLUMNS = ("check_id", "flags", "critical", "enterprises", "flags_per_1000", "cited",
                  "reviewed", "dismissed", "dismissal_share", "needs_tuning")


def check_health(flags: pd.DataFrame, check_ids: Iterable[str], unit_months: int,
                 findings: Iterable, cfg: dict, dispositions: Iterable = ()) -> pd.DataFrame:
    """One row per check (see the module docstring).

    ``findings`` are :class:`~workbench.findings.model.Finding` objects (``status`` and the
    ``flags`` they cite), ``dispositions`` :class:`~workbench.findings.model.Disposition`
    objects; pass none when there is no findings store (reviews then read 0).
    """
    ids = list(check_ids)
    by_check = flags.groupby("check_id")
    out = pd.DataFrame(index=pd.Index(ids, name="check_id"))
    out["flags"] = by_check.size().reindex(ids).fillna(0).astype(int)
    out["critical"] = flags[flags["severity"] == "critical"].groupby("check_id").size()\
        .reindex(ids).fillna(0).astype(int)
    out["enterprises"] = flags[flags["enterprise_id"] != ""].groupby("check_id")[
        "enterprise_id"].nunique().reindex(ids).fillna(0).astype(int)
    out["flags_per_1000"] = (1000.0 * out["flags"] / max(unit_months, 1)).round(2)
    cites = pd.DataFrame([(ref.check_id, f.id, f.status) for f in findings for ref in f.flags],
                         columns=["check_id", "finding_id", "status"]).drop_duplicates()
    decided = pd.concat([
        cites[cites["status"] != "open"][["check_id", "status"]],
        pd.DataFrame([(d.check_id, "dismissed" if d.disposition == "false_positive" else "kept")
                      for d in dispositions if d.disposition != "linked"],
                     columns=["check_id", "status"])])
    out["cited"] = cites.groupby("check_id").size().reindex(ids).fillna(0).astype(int)
    out["reviewed"] = decided.groupby("check_id").size().reindex(ids).fillna(0).astype(int)
    out["dismissed"] = decided[decided["status"] == "dismissed"].groupby("check_id").size()\
        .reindex(ids).fillna(0).astype(int)
    out["dismissal_share"] = (out["dismissed"] / out["reviewed"].where(out["reviewed"] > 0))\
        .round(3)
    h = cfg["check_health"]
    out["needs_tuning"] = ((out["reviewed"] >= h["min_reviewed"])
                           & (out["dismissal_share"] > h["max_dismissal_share"])).astype(bool)
    return out.reset_index()[list(HEALTH_COLUMNS)]


def read_findings(cfg: dict) -> tuple[list, list, str]:
    """Every finding and flag disposition of the configured store, opened read-only, and a
    note on where they came from ("" when read; otherwise why the store could not be read —
    then none)."""
    from workbench.findings import FindingsError, open_store

    try:
        store = open_store(readonly=True, config=cfg)
    except FindingsError as exc:
        return [], [], f"findings store not read / 未读取问题库: {exc}"
    try:
        return store.list(), store.dispositions(), ""
    finally:
        store.close()


def for_tuning(health: pd.DataFrame) -> list[str]:
    """Checks reviewers overrule too often (``needs_tuning``), most dismissed first."""
    t = health[health["needs_tuning"]].sort_values("dismissal_share", ascending=False)
    return list(t["check_id"])
