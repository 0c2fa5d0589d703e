"""Write the rows an import rejected to ``DATASET/quarantine/<import_id>/<table>.csv``.

One file per table, UTF-8 with BOM so Excel shows the Chinese text.  Columns:
``source_file``, ``row_number`` (1-based row in that file, see
:mod:`.readers`), ``columns`` (the columns concerned), ``values`` (the values
as filed), ``reason_zh``, ``reason_en`` — several reasons of one row joined
with ``; `` — then every column of the row exactly as read, under its original
header.  A cell that Excel or WPS would run as a formula is prefixed with an apostrophe
(:func:`workbench.safe_cells.neutralise`), because reviewers open these files from
untrusted filings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.ingest.issues import SUMMARY_COLUMNS
from workbench.ingest.validate import Checked
from workbench.safe_cells import neutralise

LEADING = ("source_file", "row_number", *SUMMARY_COLUMNS)


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
        out[column] = out[column].astype("string").fillna("").map(neutralise)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return len(out)
