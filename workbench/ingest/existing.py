"""Rows of an import against the dataset they go into: references, repeats, revisions.

* :class:`Known` answers "does this enterprise/unit exist?" from the dataset
  plus the rows this import has already accepted (tables are processed in
  :data:`workbench.schema.IMPORT_ORDER`).
* :func:`reconcile` classifies rows that passed validation.  Master data and
  other tables: a key already in the dataset with identical values is *already
  present* (accepted, not written again); with different values the row is
  quarantined, because master data does not change silently.
  ``monthly_parameters`` (key unit, period, parameter): a row identical in
  value, unit, source and report to the latest revision — or to the revision it
  names — is already present; a row that names an existing revision but differs
  from it is quarantined; any other change becomes a new row with revision =
  latest + 1 (then + 2 … for several changes of one key in one import, in the
  order of the revisions they give, then of the rows).  New keys keep the
  revision they give (default 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import schema
from workbench.dataset import Dataset
from workbench.ingest.issues import Issues
from workbench.ingest.keys import ids_across, joined, same
from workbench.ingest.reasons import Bi

MONTHLY = "monthly_parameters"
#: Columns that make two filings of one monthly key the same filing.
MONTHLY_CONTENT = ("value", "unit", "source_code", "report_id")
MONTHLY_KEY = ("unit_id", "period", "parameter_code")


class Existing:
    """The dataset as it was before this import; tables are read once, on demand."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._cache: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """The canonical columns of ``name`` (empty frame when the dataset has none)."""
        if name not in self._cache:
            cols = schema.TABLES[name].column_names
            self._cache[name] = self.dataset.read(name, columns=cols if self.dataset.has(name)
                                                  else None)
        return self._cache[name]


class Known:
    """Values a reference may point at: in the dataset or accepted earlier in this import."""

    def __init__(self, existing: Existing):
        self.existing = existing
        self._added: dict[tuple[str, str], list[pd.Series]] = {}

    def add(self, table: str, frame: pd.DataFrame) -> None:
        """Record the accepted rows of ``table``."""
        for column in frame.columns.intersection(schema.TABLES[table].column_names):
            self._added.setdefault((table, column), []).append(frame[column])

    def values(self, table: str, column: str) -> pd.Index:
        """Distinct values of ``table.column`` known so far."""
        parts = [self.existing.table(table)[column], *self._added.get((table, column), [])]
        return pd.Index(pd.concat(parts, ignore_index=True).dropna().unique())


@dataclass
class Outcome:
    """Per row of the checked table: already in the dataset, or added as a new revision."""

    already_present: np.ndarray
    revision_added: np.ndarray


def _describe_differences(new: pd.DataFrame, old: pd.DataFrame, columns: list[str],
                          differs: dict[str, np.ndarray]) -> Bi:
    """Per row, 'column: existing X, imported Y' for every differing column."""
    zh = pd.Series("", index=range(len(new)), dtype=str)
    en = zh.copy()
    for c in columns:
        d = differs[c]
        if not d.any():
            continue
        was = old[c].astype("string").fillna("∅").reset_index(drop=True)
        now = new[c].astype("string").fillna("∅").reset_index(drop=True)
        zh = zh.where(~d, zh + c + "：现有 " + was + "，导入 " + now + "；")
        en = en.where(~d, en + c + ": existing " + was + ", imported " + now + "; ")
    return Bi(zh.str.rstrip("；"), en.str.rstrip("; "))


def _reconcile_master(table: str, frame: pd.DataFrame, candidates: np.ndarray,
                      existing: pd.DataFrame, issues: Issues) -> Outcome:
    spec = schema.TABLES[table]
    n = len(frame)
    already = np.zeros(n, dtype=bool)
    pos = np.flatnonzero(candidates)
    batch = frame.iloc[pos]
    new_ids, old_ids = ids_across([batch, existing], list(spec.key))
    at = pd.Index(old_ids).get_indexer(new_ids)
    hit = (at >= 0) & (new_ids >= 0)
    if not hit.any():
        return Outcome(already, np.zeros(n, dtype=bool))
    new, old = batch.iloc[hit], existing.iloc[at[hit]]
    others = [c for c in spec.column_names if c not in spec.key]
    differs = {c: ~same(new[c], old[c]) for c in others}
    changed = np.logical_or.reduce([differs[c] for c in others]) if others else np.zeros(
        len(new), dtype=bool)
    already[pos[hit][~changed]] = True
    mask = np.zeros(n, dtype=bool)
    mask[pos[hit][changed]] = True
    detail = _describe_differences(new, old, others, differs)
    full = Bi(pd.Series("", index=range(n), dtype=str), pd.Series("", index=range(n), dtype=str))
    full.zh.iloc[pos[hit]] = detail.zh.to_numpy()
    full.en.iloc[pos[hit]] = detail.en.to_numpy()
    issues.add(mask, "conflict", ", ".join(spec.key), joined(frame, list(spec.key)), value=full)
    return Outcome(already, np.zeros(n, dtype=bool))


def _reconcile_monthly(frame: pd.DataFrame, candidates: np.ndarray, given: np.ndarray,
                       existing: pd.DataFrame, issues: Issues) -> Outcome:
    n = len(frame)
    already = np.zeros(n, dtype=bool)
    added = np.zeros(n, dtype=bool)
    pos = np.flatnonzero(candidates)
    batch = frame.iloc[pos].reset_index(drop=True)
    new3, old3 = ids_across([batch, existing], list(MONTHLY_KEY))
    order = np.lexsort((existing["revision"].to_numpy(dtype=np.int64), old3))
    latest = pd.Series(order, index=old3[order]).groupby(level=0).last()
    at = latest.reindex(new3).to_numpy()
    exists = ~np.isnan(at)
    if not exists.any():
        return Outcome(already, added)
    at = np.where(exists, at, 0).astype(np.int64)
    old_latest = existing.iloc[at].reset_index(drop=True)
    same_latest = exists & np.logical_and.reduce(
        [same(batch[c], old_latest[c]) for c in MONTHLY_CONTENT])
    new4, old4 = ids_across([batch, existing], [*MONTHLY_KEY, "revision"])
    named_at = pd.Index(old4).get_indexer(new4)
    named = given[pos] & (named_at >= 0)
    old_named = existing.iloc[np.where(named, named_at, 0)].reset_index(drop=True)
    same_named = named & np.logical_and.reduce(
        [same(batch[c], old_named[c]) for c in MONTHLY_CONTENT])
    is_already = same_latest | same_named
    conflict = exists & ~is_already & named
    new_rev = exists & ~is_already & ~conflict
    already[pos[is_already]] = True
    latest_rev = old_latest["revision"].to_numpy(dtype=np.int64, na_value=0)
    if conflict.any():
        mask = np.zeros(n, dtype=bool)
        mask[pos[conflict]] = True
        filed = pd.Series("", index=range(n), dtype=str)
        filed.iloc[pos[conflict]] = batch["revision"][conflict].astype(str).to_numpy()
        latest_full = np.zeros(n, dtype=np.int64)
        latest_full[pos] = latest_rev
        issues.add(mask, "revision_exists", "revision", filed, expected=latest_full)
    if new_rev.any():
        rows = pd.DataFrame({"key": new3[new_rev], "rev": batch["revision"][new_rev].to_numpy(),
                             "pos": pos[new_rev]})
        rank = rows.sort_values(["rev", "pos"]).groupby("key").cumcount().sort_index()
        revision = frame["revision"].copy()
        revision.iloc[pos[new_rev]] = latest_rev[new_rev] + 1 + rank.to_numpy()
        frame["revision"] = revision
        added[pos[new_rev]] = True
    return Outcome(already, added)


def reconcile(table: str, frame: pd.DataFrame, issues: Issues, given_revision: np.ndarray,
              existing: Existing) -> Outcome:
    """Classify the rows not yet rejected against the dataset (see the module docstring).

    Conflicts are added to ``issues``; new monthly revisions are written into
    ``frame["revision"]``.
    """
    old = existing.table(table)
    candidates = ~issues.rejected
    if old.empty or not candidates.any():
        n = len(frame)
        return Outcome(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    if table == MONTHLY:
        return _reconcile_monthly(frame, candidates, given_revision, old, issues)
    return _reconcile_master(table, frame, candidates, old, issues)
