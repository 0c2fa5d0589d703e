"""``import_files``: read, validate and append platform exports to a canonical dataset.

All sources are read first (one unreadable file is reported and the others go
on; what is not a regular file, or is beyond the ``[import]`` size, column or
header limits, is refused before it is opened or parsed), headers are mapped
per sheet, then tables are checked in :data:`workbench.schema.IMPORT_ORDER` so
a unit can reference an enterprise imported in the same batch.  Accepted new
rows are appended to the dataset in
one :meth:`Dataset.append` (one new part per table, manifest replaced
atomically), with an import-log entry naming every source and its SHA-256,
the counts, the unit conversions and the code labels (each label as written,
the code stored for it and how many accepted rows used it: the dataset holds
codes only).  Rejected rows go to the quarantine.  Everything from reading the
existing dataset to writing the manifest happens under the dataset's lock, so a
concurrent import waits (up to ``import.lock_timeout_s``) and then either runs on
the updated dataset or is refused with a message naming the dataset.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from workbench import schema
from workbench.config import load_config
from workbench.dataset import Dataset, DatasetLocked
from workbench.ingest import quarantine, readers
from workbench.ingest.existing import Existing, Known, reconcile
from workbench.ingest.headers import map_headers
from workbench.ingest.reasons import FileError
from workbench.ingest.report import ImportReport, TableCounts
from workbench.ingest.validate import Checked, Part, check

QUARANTINE = "quarantine"


def _sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _import_id(dataset: Dataset, hashes: list[str | None]) -> str:
    """UTC timestamp + short hash of the sources; suffixed if that id is already taken."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256("\n".join(h or "-" for h in hashes).encode()).hexdigest()[:8]
    taken = {e.get("import_id") for e in dataset.manifest["imports"]} if dataset.exists() else set()
    candidate, n = f"{stamp}-{digest}", 1
    while candidate in taken or (dataset.path / QUARANTINE / candidate).exists():
        n += 1
        candidate = f"{stamp}-{digest}-{n}"
    return candidate


def _error(file: str, exc: FileError) -> dict[str, str]:
    return {"file": file, "message_zh": exc.zh, "message_en": exc.en}


def _read_all(sources: list[Path], table: str | None, fallbacks: list[str],
              limits: readers.Limits
              ) -> tuple[dict[str, list[Part]], list[dict[str, str]], list[dict[str, Any]]]:
    """Sheets by table, file errors, and the import-log record of every source."""
    parts: dict[str, list[Part]] = {}
    errors, log = [], []
    resolved = readers.resolve_table(table) if table else None
    for path in sources:
        try:
            readers.check_file(path, limits)
        except FileError as exc:
            log.append({"file": str(path), "sha256": None})
            errors.append(_error(str(path), exc))
            continue
        log.append({"file": str(path), "sha256": _sha256(path)})
        if table and resolved is None:
            errors.append(_error(str(path), readers.unknown_table(table)))
            continue
        read = readers.read_source(path, resolved, fallbacks, limits)
        if read.encoding:
            log[-1]["encoding"] = read.encoding
        errors += [_error(str(path), e) for e in read.errors]
        for sheet in read.sheets:
            try:
                readers.check_header(sheet.headers, limits)
                mapping = map_headers(sheet.table, sheet.headers, list(sheet.frame.columns))
                readers.check_extras(mapping.extras, limits)
            except FileError as exc:
                errors.append(_error(sheet.label if sheet.label != path.name else str(path), exc))
                continue
            parts.setdefault(sheet.table, []).append(Part(sheet, mapping))
    return parts, errors, log


def _finish_table(checked: Checked, outcome_already: np.ndarray, revisions: np.ndarray,
                  quarantine_path: Path) -> tuple[TableCounts, np.ndarray]:
    """Counts of one table and the mask of rows to write; writes its quarantine file."""
    accepted = ~checked.issues.rejected
    n_quarantined = quarantine.write(quarantine_path, checked)
    counts = TableCounts(read=len(checked.frame), imported=int(accepted.sum()),
                         quarantined=n_quarantined,
                         already_present=int((accepted & outcome_already).sum()),
                         revisions_added=int((accepted & revisions).sum()),
                         quarantine_file=str(quarantine_path) if n_quarantined else None)
    return counts, accepted & ~outcome_already


def import_files(sources: list[Path], into: Path, table: str | None = None,
                 config: dict | None = None) -> ImportReport:
    """Validate ``sources`` (CSV/XLSX/Parquet) and append what passes to the dataset ``into``.

    ``table`` forces the table of every source (otherwise taken from each file
    or sheet name); ``config`` defaults to :func:`workbench.config.load_config`.
    Never raises for bad input: unreadable files become ``errors`` in the
    report and bad rows go to ``into/quarantine/<import_id>/<table>.csv``.
    """
    cfg = (config or load_config())["import"]
    dataset = Dataset(into)
    sources = list(dict.fromkeys(Path(s) for s in sources))  # a file named twice is read once
    parts, errors, log = _read_all(sources, table, list(cfg["fallback_encodings"]),
                                   readers.Limits.from_config(cfg))
    timeout = float(cfg["lock_timeout_s"])
    try:
        with dataset.lock(timeout):
            return _import_locked(dataset, parts, errors, log, int(cfg["max_text_length"]))
    except DatasetLocked:
        locked = FileError("dataset_locked", dataset=str(dataset.path), timeout=f"{timeout:g}")
        return ImportReport(dataset.path, "", dataset.fingerprint, {}, [],
                            [*errors, _error(str(dataset.path), locked)], [])


def _import_locked(dataset: Dataset, parts: dict[str, list[Part]], errors: list[dict[str, str]],
                   log: list[dict[str, Any]], max_text: int) -> ImportReport:
    """Check the rows read against the dataset and append them (the caller holds the lock)."""
    import_id = _import_id(dataset, [entry["sha256"] for entry in log])
    existing = Existing(dataset)
    known = Known(existing)
    counts, to_write, conversions, labels = {}, {}, [], []
    for name in schema.IMPORT_ORDER:
        if name not in parts:
            continue
        checked = check(name, parts[name], known, max_text)
        outcome = reconcile(name, checked.frame, checked.issues, checked.given_revision,
                            existing)
        counts[name], write = _finish_table(
            checked, outcome.already_present, outcome.revision_added,
            dataset.path / QUARANTINE / import_id / f"{name}.csv")
        accepted = ~checked.issues.rejected
        known.add(name, checked.frame[accepted])
        to_write[name] = checked.frame if write.all() else checked.frame[write]
        conversions += [c.entry(accepted) for c in checked.conversions]
        labels += [{"table": name, "column": column, **entry}
                   for column, used in checked.labels.items() for entry in used.entries(accepted)]
    conversions = [c for c in conversions if c["rows"]]
    log_entry = {"import_id": import_id, "source": "workbench import", "sources": log,
                 "tables": {k: asdict(c) for k, c in counts.items()},
                 "conversions": conversions, "labels": labels, "errors": errors}
    manifest = dataset.append(to_write, log_entry)
    return ImportReport(dataset.path, import_id, manifest["fingerprint"], counts, conversions,
                        errors, labels)
