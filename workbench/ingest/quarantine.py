"""Write the rows an import rejected to ``DATASET/quarantine/<import_id>/<table>.csv``.

One file per table, UTF-8 with BOM so Excel shows the Chinese text.  Columns:
``source_file``, ``row_number`` (1-based row in that file, see
:mod:`.readers`), ``columns`` (the columns concerned), ``values`` (the values
as filed), ``reason_zh``, ``reason_en`` — several reasons of one row joined
with ``; `` — then every column of the row exactly as read, under its original
header.  A cell that Excel would run as a formula (starting with ``=``, ``@``,
``+`` or ``-`` and not a plain number) is prefixed with an apostrophe, because
reviewers open these files from untrusted filings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.ingest.issues import SUMMARY_COLUMNS
from workbench.ingest.parse import NUMBER
from workbench.ingest.validate import Checked

LEADING = ("source_file", "row_number", *SUMMARY_COLUMNS)
_FORMULA = r"^[=+\-@\t\r]"


def excel_safe(cells: pd.Series) -> pd.Series:
    """Cells with an apostrophe before anything Excel would evaluate as a formula."""
    text = cells.astype("string").fillna("")
    risky = text.str.contains(_FORMULA, regex=True) & ~text.str.fullmatch(NUMBER)
    return text.where(~risky, "'" + text)


def _originals(checked: Checked, positions: np.ndarray) -> pd.DataFrame:
    """The rejected rows as read, under their original headers (union over the files)."""
    frames, start = [], 0
    for part in checked.parts:
        rows = len(part.sheet.frame)
        local = positions[(positions >= start) & (positions < start + rows)] - start
        if local.size:
            frames.append(part.sheet.frame.iloc[local].reset_index(drop=True))
        start += rows
    if not frames:
        return pd.DataFrame(index=range(len(positions)))
    return pd.concat(frames, ignore_index=True).fillna("")


def write(path: Path, checked: Checked) -> int:
    """Write the quarantine file of ``checked`` (if any row was rejected); rows written."""
    summary = checked.issues.summary()
    if summary.empty:
        return 0
    positions = summary.index.to_numpy(dtype=np.int64)
    out = pd.DataFrame({"source_file": checked.sources[positions],
                        "row_number": checked.row_numbers[positions]})
    for column in SUMMARY_COLUMNS:
        out[column] = summary[column].to_numpy()
    originals = _originals(checked, positions)
    originals.columns = [f"{c} (original)" if c in LEADING else c for c in originals.columns]
    out = pd.concat([out, originals], axis=1)
    for column in out.columns.drop("row_number"):
        out[column] = excel_safe(out[column])
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return len(out)
