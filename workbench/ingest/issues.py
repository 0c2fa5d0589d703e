"""Collect row rejections, many rows at a time, and summarise them per row.

Each check adds one batch: the rows it rejects (a boolean mask), the column(s)
concerned, the values as filed and the bilingual reason.  A row rejected by
several checks gets all its reasons, joined with ``; `` in check order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.ingest import reasons
from workbench.ingest.reasons import Bi

SUMMARY_COLUMNS = ("columns", "values", "reason_zh", "reason_en")


def _subset(value: Any, idx: np.ndarray) -> Any:
    """The part of a per-row field for the rows ``idx`` (scalars pass through)."""
    if isinstance(value, Bi):
        return Bi(_subset(value.zh, idx), _subset(value.en, idx))
    if isinstance(value, pd.Series):
        return value.iloc[idx].reset_index(drop=True)
    if isinstance(value, np.ndarray):
        return pd.Series(value[idx])
    return value


class Issues:
    """Rejections of the ``n`` rows of one table in one import."""

    def __init__(self, n: int):
        self.n = n
        self.rejected = np.zeros(n, dtype=bool)
        self._parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, code: str, columns: str, filed: Any, **fields: Any) -> None:
        """Reject the rows in ``mask`` for ``code``.

        ``columns`` names the column(s) concerned, ``filed`` is the value as filed
        (per row or one for all) and ``fields`` fill the reason template; the
        template's ``{value}`` defaults to ``filed``.
        """
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        self.rejected[idx] = True
        filed_rows = _subset(filed, idx)
        fields = {k: _subset(v, idx) for k, v in fields.items()}
        fields.setdefault("value", filed_rows)
        zh, en = reasons.row_reasons(code, idx.size, **fields)
        values = (filed_rows.astype(str) if isinstance(filed_rows, pd.Series)
                  else pd.Series([str(filed_rows)] * idx.size, dtype=str))
        self._parts.append(pd.DataFrame({"pos": idx, "columns": columns, "values": values,
                                         "reason_zh": zh, "reason_en": en}))

    def summary(self) -> pd.DataFrame:
        """One row per rejected row (index = row position), reasons joined in check order."""
        if not self._parts:
            return pd.DataFrame(columns=list(SUMMARY_COLUMNS), index=pd.Index([], name="pos"))
        parts = pd.concat(self._parts, ignore_index=True)
        if parts["pos"].is_unique:
            return parts.set_index("pos").sort_index()[list(SUMMARY_COLUMNS)]
        return parts.groupby("pos", sort=True)[list(SUMMARY_COLUMNS)].agg("; ".join)


def fmt_numbers(values: np.ndarray, mask: np.ndarray, unit: np.ndarray | str = "") -> np.ndarray:
    """Readable numbers (10 significant digits, with unit) at ``mask``, "" elsewhere.

    Formats only the flagged rows, so it stays cheap on big tables.
    """
    out = np.full(len(values), "", dtype=object)
    idx = np.flatnonzero(mask)
    units = np.broadcast_to(np.asarray(unit, dtype=object), len(values))
    out[idx] = [f"{v:.10g} {u}".rstrip() if u not in ("", "1") else f"{v:.10g}"
                for v, u in zip(values[idx], units[idx], strict=True)]
    return out
