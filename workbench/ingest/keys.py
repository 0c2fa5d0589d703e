"""Dense integer ids for combinations of key columns (vectorised row identity)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def group_ids(columns: list[pd.Series]) -> np.ndarray:
    """One id per distinct combination of values across ``columns`` (aligned Series).

    Ids are dense (0..k-1) in order of first appearance; a row with a missing
    value in any column gets -1.  Each step re-factorises, so ids stay below the
    row count and never overflow.
    """
    n = len(columns[0]) if columns else 0
    ids = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    for s in columns:
        codes, uniques = pd.factorize(s)
        missing |= codes < 0
        ids = pd.factorize(ids * (len(uniques) + 1) + codes + 1)[0]
    ids[missing] = -1
    return ids


def ids_across(frames: list[pd.DataFrame], columns: list[str]) -> list[np.ndarray]:
    """:func:`group_ids` over several frames at once, so equal keys get equal ids."""
    stacked = [pd.concat([f[c] for f in frames], ignore_index=True) for c in columns]
    ids = group_ids(stacked)
    bounds = np.cumsum([0] + [len(f) for f in frames])
    return [ids[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values are equal (aligned by position)."""
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    equal = (a == b).fillna(False).to_numpy(dtype=bool)
    return equal | (a.isna().to_numpy() & b.isna().to_numpy())


def joined(frame: pd.DataFrame, columns: list[str], sep: str = ", ") -> pd.Series:
    """The values of ``columns`` as one text per row (missing shown as empty), vectorised."""
    out = None
    for c in columns:
        text = frame[c].astype("string").fillna("").astype(str).reset_index(drop=True)
        out = text if out is None else out + sep + text
    return out if out is not None else pd.Series("", index=range(len(frame)), dtype=str)
