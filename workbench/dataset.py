"""The canonical dataset on disk.

Layout (one folder)::

    DATASET/
      manifest.json                 schema version, row counts, file hashes, fingerprint, import log
      tables/<table>/part-NNNNN.parquet   append-only parts, canonical columns and dtypes
      quarantine/<import_id>/<table>.csv  rows an import rejected, with reasons (zh/en)
      .lock                         held (fcntl) by the import writing the dataset

Parts are only ever added, never rewritten: a re-import that changes a value
adds a new ``revision`` row, so nothing already in the dataset is overwritten.
The fingerprint is a SHA-256 over every part's hash; results computed from a
dataset record it so a reviewer can tell exactly which data a flag came from.
Imports take the dataset's lock (:meth:`Dataset.lock`) so two never interleave
their read-modify-write of the manifest, and :meth:`Dataset.verify` checks the
parts on disk against the manifest (presence, SHA-256, row counts, fingerprint).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from workbench import schema

MANIFEST = "manifest.json"
LOCK = ".lock"


class DatasetError(Exception):
    """The folder is not a readable canonical dataset."""


class DatasetLocked(DatasetError):
    """Another process held the dataset's lock for longer than the caller would wait."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def canonical_frame(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Cast ``df`` to the canonical dtypes of ``table``, canonical columns first.

    Missing nullable columns are added empty; extra (unknown) columns are kept
    as strings after the canonical ones.  The input must already be valid
    (see ``workbench.ingest``); a value that cannot be cast raises.
    """
    spec = schema.TABLES[table]
    out = {}
    for col in spec.columns:
        dtype = schema.PANDAS_DTYPES[col.kind]
        if col.name in df.columns:
            s = df[col.name]
        elif col.nullable:
            s = pd.Series(index=df.index, dtype=dtype)
        else:
            raise DatasetError(f"{table}: required column {col.name!r} is missing")
        if col.kind in ("date", "timestamp"):
            s = pd.to_datetime(s).astype(dtype)
        elif col.kind in ("float", "int"):
            s = pd.to_numeric(s).astype(dtype)
        else:
            s = s.astype(dtype)
        out[col.name] = s
    for extra in df.columns:
        if extra not in out:
            out[extra] = df[extra].astype("string")
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


class Dataset:
    """A canonical dataset folder (see the module docstring for the layout)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    # -- manifest -----------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    def exists(self) -> bool:
        """True when the folder holds a manifest."""
        return self.manifest_path.is_file()

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest (an empty one for a dataset not yet written)."""
        if not self.exists():
            return {"schema_version": schema.SCHEMA_VERSION, "tables": {}, "imports": [],
                    "fingerprint": None}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DatasetError(f"{self.manifest_path}: unreadable manifest ({exc})") from exc
        if data.get("schema_version") != schema.SCHEMA_VERSION:
            raise DatasetError(
                f"{self.manifest_path}: schema version {data.get('schema_version')!r}, "
                f"this workbench reads {schema.SCHEMA_VERSION!r}"
            )
        return data

    @property
    def fingerprint(self) -> str | None:
        """Content fingerprint (SHA-256 over all parts), ``None`` for an empty dataset."""
        return self.manifest.get("fingerprint")

    def row_counts(self) -> dict[str, int]:
        """Rows per table as recorded in the manifest."""
        return {t: info["rows"] for t, info in self.manifest["tables"].items()}

    @staticmethod
    def _fingerprint(tables: dict[str, Any]) -> str:
        h = hashlib.sha256()
        for name in sorted(tables):
            for part in tables[name]["parts"]:
                h.update(f"{name}/{part['file']}:{part['sha256']}\n".encode())
        return h.hexdigest()

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        manifest["fingerprint"] = self._fingerprint(manifest["tables"])
        tmp = self.manifest_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                       encoding="utf-8")
        tmp.replace(self.manifest_path)

    # -- writing ------------------------------------------------------------------
    def append(self, tables: dict[str, pd.DataFrame], log_entry: dict[str, Any] | None = None,
               stamp: bool = True) -> dict[str, Any]:
        """Append one part per non-empty table and record ``log_entry`` in the import log.

        Frames are cast with :func:`canonical_frame`.  The manifest is replaced
        atomically after every part is on disk, so a crash leaves either the old
        dataset or the new one (a stray part file that no manifest names is ignored).
        ``stamp=False`` leaves wall-clock time out of the manifest (deterministic output).
        """
        self.path.mkdir(parents=True, exist_ok=True)
        manifest = self.manifest
        for name, df in tables.items():
            if name not in schema.TABLES:
                raise DatasetError(f"unknown table {name!r}")
            if df is None or df.empty:
                continue
            frame = canonical_frame(name, df)
            info = manifest["tables"].setdefault(name, {"rows": 0, "parts": []})
            folder = self.path / "tables" / name
            folder.mkdir(parents=True, exist_ok=True)
            fname = f"part-{len(info['parts']):05d}.parquet"
            target = folder / fname
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), target,
                           compression="zstd")
            info["parts"].append({"file": fname, "rows": len(frame), "sha256": _sha256(target)})
            info["rows"] += len(frame)
        if log_entry is not None:
            entry = dict(log_entry)
            if stamp:
                entry.setdefault("at", datetime.now(UTC).isoformat(timespec="seconds"))
            manifest["imports"].append(entry)
        self._write_manifest(manifest)
        return manifest

    @contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        """Hold the dataset's exclusive lock (``flock`` on ``DATASET/.lock``).

        Waits up to ``timeout`` seconds for another holder, then raises
        :class:`DatasetLocked`.  The lock goes with the process, so a killed
        import never leaves the dataset locked.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        with (self.path / LOCK).open("a") as fh:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DatasetLocked(f"{self.path}: locked by another import") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def verify(self) -> list[dict[str, str]]:
        """Problems found checking every part against the manifest (empty when all match).

        Each problem names the part (``table/part-NNNNN.parquet``, or the manifest)
        with a zh and en text: a missing or unreadable part, a SHA-256 or row count
        that differs from the manifest, a table total that is not the sum of its
        parts, or a fingerprint that does not match the part hashes.
        """
        manifest, problems = self.manifest, []

        def problem(where: str, zh: str, en: str) -> None:
            problems.append({"part": where, "zh": zh, "en": en})

        for name, info in sorted(manifest["tables"].items()):
            for part in info["parts"]:
                where, path = f"{name}/{part['file']}", self.path / "tables" / name / part["file"]
                if not path.is_file():
                    problem(where, "文件缺失", "file missing")
                    continue
                if _sha256(path) != part["sha256"]:
                    problem(where, "SHA-256 与清单不符", "SHA-256 differs from the manifest")
                try:
                    rows = pq.read_metadata(path).num_rows
                except (pa.ArrowException, OSError) as exc:
                    problem(where, f"无法读取：{exc}", f"unreadable: {exc}")
                    continue
                if rows != part["rows"]:
                    problem(where, f"有 {rows} 行，清单记为 {part['rows']} 行",
                            f"holds {rows} rows, the manifest says {part['rows']}")
            total = sum(p["rows"] for p in info["parts"])
            if total != info["rows"]:
                problem(name, f"清单中各分片共 {total} 行，表总数记为 {info['rows']}",
                        f"the parts add up to {total} rows, the table total says {info['rows']}")
        if manifest["tables"] and manifest.get("fingerprint") != self._fingerprint(
                manifest["tables"]):
            problem(MANIFEST, "指纹与分片哈希不符",
                    "the fingerprint does not match the part hashes")
        return problems

    # -- reading ------------------------------------------------------------------
    def parts(self, table: str) -> list[Path]:
        """The Parquet parts of ``table`` named by the manifest (empty if the table is absent)."""
        info = self.manifest["tables"].get(table)
        if not info:
            return []
        return [self.path / "tables" / table / p["file"] for p in info["parts"]]

    def has(self, table: str) -> bool:
        """True when ``table`` has at least one row."""
        return bool(self.parts(table))

    def read(self, table: str, columns: list[str] | None = None,
             filters: list[tuple] | None = None) -> pd.DataFrame:
        """Read a table as a DataFrame with canonical dtypes.

        ``filters`` are pyarrow predicates such as ``[("unit_id", "in", ids)]``,
        applied while reading (row groups that cannot match are skipped).  An
        absent table reads as an empty frame with the canonical columns, so
        callers can tell "no rows" from "no such table" with :meth:`has`.
        """
        parts = self.parts(table)
        if not parts:
            spec = schema.TABLES[table]
            empty = pd.DataFrame({c.name: pd.Series(dtype=schema.PANDAS_DTYPES[c.kind])
                                  for c in spec.columns})
            return empty[columns] if columns else empty
        frames = [_read_part(table, p, columns, filters) for p in parts]
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    def latest_monthly(self) -> pd.DataFrame:
        """``monthly_parameters``, only the latest revision of each (unit, period, parameter)."""
        df = self.read("monthly_parameters")
        if df.empty:
            return df
        df = df.sort_values(["unit_id", "period", "parameter_code", "revision"])
        return df.drop_duplicates(["unit_id", "period", "parameter_code"], keep="last").reset_index(
            drop=True
        )

    def duckdb(self):
        """An in-memory DuckDB connection with one view per table over the Parquet parts."""
        import duckdb

        con = duckdb.connect()
        for table in schema.TABLES:
            parts = self.parts(table)
            if parts:
                files = ", ".join(f"'{p.as_posix()}'" for p in parts)
                # table names come from the schema, file names from the manifest
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}])")  # noqa: S608
        return con


def _read_part(table: str, path: Path, columns: list[str] | None,
               filters: list[tuple] | None) -> pd.DataFrame:
    """One Parquet part of ``table``; contract columns added since it was written come as
    the contract says an absent column reads (empty when nullable, else its input default:
    a lab report written before sample types is a coal report)."""
    spec = schema.TABLES[table]
    held = set(pq.read_schema(path).names)
    wanted = columns or spec.column_names
    frame = pq.read_table(path, columns=[c for c in wanted if c in held] if columns else None,
                          filters=filters).to_pandas()
    for name in (c for c in wanted if c not in held and c in spec.column_names):
        column = spec.column(name)
        default = schema.INPUT_DEFAULTS.get((table, name))
        if not column.nullable and default is None:
            raise KeyError(f"{path}: no column {name!r}")
        value = int(default) if default is not None and column.kind == "int" else default
        frame[name] = pd.Series(value, index=frame.index,
                                dtype=schema.PANDAS_DTYPES[column.kind])
    return frame[wanted] if columns else frame[[*spec.column_names,
                                                 *(c for c in frame if c not in wanted)]]
