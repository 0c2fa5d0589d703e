"""Read CSV, XLSX and Parquet files into sheets of strings, one per table.

Nothing is interpreted here: every cell becomes a string (``""`` for an empty
cell) so the validator sees exactly what was filed, and every row keeps its
1-based position in the source (CSV: physical line, so data row 1 is line 2;
XLSX: spreadsheet row; Parquet: row index + 1).  Rows with every cell empty are
not records and are skipped.  The header is the first non-empty row, or, when
a title row sits above it, the first of the first rows that names every
required column.

CSV text is decoded as UTF-8 (with or without BOM; UTF-16/32 with BOM), then
with the configured fallbacks (GB18030, a superset of GBK).  The
charset-normalizer detector is consulted only when all of these fail, and only
a Chinese or UTF-16/32 encoding it proposes is tried; otherwise the file is
reported as undecodable instead of being read as mojibake.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from workbench import schema
from workbench.ingest import headers as hdr
from workbench.ingest.reasons import Bi, FileError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Encodings the detector may propose that are tried (Chinese, or Unicode without a BOM).
HINT_ENCODINGS = ("big5", "big5hkscs", "cp950", "utf_16", "utf_16_le", "utf_16_be", "utf_32",
                  "utf_32_le", "utf_32_be")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_DELIMITERS = (",", "\t", ";", "|")


@dataclass
class Sheet:
    """The rows of one table read from one file (a CSV or Parquet file, or one XLSX sheet).

    ``headers`` are the header cells as read; ``frame`` holds the data cells as
    strings under unique display names of those headers (an empty header is
    ``column_<n>``, a repeated one gets `` (2)``); ``row_numbers`` locate each row
    in the source; ``overflow`` holds, per row, any cells beyond the last header
    (``""`` for rows without).
    """

    source: Path
    label: str
    table: str
    headers: list[str]
    frame: pd.DataFrame
    row_numbers: np.ndarray
    overflow: pd.Series


@dataclass
class SourceRead:
    """Everything read from one source file, and the problems that stopped parts of it."""

    path: Path
    sheets: list[Sheet]
    errors: list[FileError]
    encoding: str | None = None


def _table_names() -> dict[str, str]:
    names = {}
    for name, t in schema.TABLES.items():
        for n in (name, t.label_zh, t.label_en):
            names[hdr.key(n)] = name
    names.update({hdr.key(alias): t for alias, t in schema.TABLE_ALIASES.items()})
    return names


_TABLE_NAMES = _table_names()


def resolve_table(name: str) -> str | None:
    """The table a file stem or sheet name stands for.

    Matches a canonical table name, its labels or a :data:`schema.TABLE_ALIASES`
    key, exactly or followed by ``_`` or ``-`` (``monthly_parameters_2024-03``,
    ``月度存证_2024-03``).
    """
    k = hdr.key(name)
    if k in _TABLE_NAMES:
        return _TABLE_NAMES[k]
    for n in sorted(_TABLE_NAMES, key=len, reverse=True):
        if k.startswith(n) and k[len(n)] in "_-":
            return _TABLE_NAMES[n]
    return None


def unknown_table(name: str) -> FileError:
    """The error for a file or sheet name that names no table."""
    return FileError("unknown_table", name=name, tables=", ".join(schema.TABLES),
                     aliases="、".join(schema.TABLE_ALIASES))


def decode(data: bytes, fallbacks: list[str]) -> tuple[str, str]:
    """Text and encoding of a CSV's bytes; :class:`FileError` if no accepted encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise FileError("undecodable", encodings=encoding,
                                hint=Bi(f"（有 {encoding} 字节顺序标记，但内容不符）",
                                        f" (it starts with a {encoding} byte-order mark but "
                                        "the rest does not match)")) from exc
    for encoding in ("utf-8", *fallbacks):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    if guess in HINT_ENCODINGS:
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" not in text:
            return text, guess
    hint = Bi(f"（检测器推测为 {guess}，但不采用）", f" (a detector suggests {guess}, not used)"
              ) if guess else Bi("", "")
    raise FileError("undecodable", encodings=", ".join(fallbacks) or "-", hint=hint)


def _delimiter(text: str, table: str) -> str:
    """The delimiter that splits the first lines into the most known headers (then the one
    that splits them most often; comma when nothing splits).
    """
    lines = [ln for ln in text[:65536].splitlines()[:hdr.HEADER_SEARCH_ROWS] if ln.strip()]

    def rank(d: str) -> tuple[int, int, bool]:
        score = max((hdr.header_score(table, ln.split(d)) for ln in lines), default=0)
        return score, max((ln.count(d) for ln in lines), default=0), d == ","

    return max(_DELIMITERS, key=rank)


def _physical_lines(text: str) -> int:
    n = text.count("\n") + text.count("\r") - text.count("\r\n")
    return n + (1 if text and not text.endswith(("\n", "\r")) else 0)


def _grid_pandas(text: str, sep: str) -> pd.DataFrame | None:
    """All cells, fast, when every record is one physical line and rows are not ragged."""
    try:
        grid = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, na_filter=False,
                           skip_blank_lines=False, engine="c", low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    if len(grid) != _physical_lines(text):
        return None
    grid.columns = range(grid.shape[1])
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    return grid


def _grid_csv(text: str, sep: str) -> pd.DataFrame:
    """All cells with each record's first physical line (ragged rows padded with "")."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, lines, previous = [], [], 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        raise FileError("unreadable", detail=f"line {reader.line_num}: {exc}") from exc
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str,
                        columns=range(width))
    grid.index = pd.Index(lines, dtype=np.int64)
    return grid


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the string it shows (integral floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _display_names(headers: list[str]) -> list[str]:
    names, seen = [], {}
    for pos, h in enumerate(headers, start=1):
        name = h.strip() or f"column_{pos}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _overflow(body: pd.DataFrame, width: int) -> pd.Series:
    """Per row, the non-empty cells beyond the header, quoted and joined ("" when none)."""
    out = pd.Series("", index=body.index, dtype=str)
    beyond = body.iloc[:, width:]
    if beyond.shape[1] == 0:
        return out
    filled = (beyond != "").any(axis=1).to_numpy()
    for i in np.flatnonzero(filled):
        out.iloc[i] = ", ".join(repr(c) for c in beyond.iloc[i] if c != "")
    return out


def split_header(grid: pd.DataFrame, table: str) -> tuple[list[str], pd.DataFrame]:
    """The header cells of a grid (index = source row numbers) and the rows below them."""
    head = grid.iloc[:hdr.HEADER_SEARCH_ROWS]
    at = hdr.find_header(table, [list(r) for r in head.itertuples(index=False)])
    if at < 0:
        raise FileError("no_header")
    return [str(c) for c in grid.iloc[at]], grid.iloc[at + 1:]


def _drop_blank(body: pd.DataFrame) -> pd.DataFrame:
    """Rows with at least one non-blank cell (a row can only be blank if its first cell is)."""
    if body.shape[1] == 0 or body.empty:
        return body
    candidate = (body.iloc[:, 0].str.strip() == "").to_numpy()
    if not candidate.any():
        return body
    blank = candidate.copy()
    blank[candidate] = (body[candidate].apply(lambda c: c.str.strip()) == "").all(axis=1)
    return body[~blank]


def make_sheet(header_cells: list[str], body: pd.DataFrame, source: Path, label: str,
               table: str) -> Sheet:
    """A :class:`Sheet` from header cells and the data rows below them (index = row numbers).

    Trailing empty header cells are not columns; cells under them go to ``overflow``.
    """
    width = max((i + 1 for i, c in enumerate(header_cells) if c.strip()), default=0)
    body = _drop_blank(body)
    headers = header_cells[:width]
    frame = body.iloc[:, :width]
    frame.columns = _display_names(headers)
    row_numbers = body.index.to_numpy(dtype=np.int64)
    frame.index = pd.RangeIndex(len(frame))
    overflow = _overflow(body, width).reset_index(drop=True)
    return Sheet(source, label, table, headers, frame, row_numbers, overflow)


def sheet_from_grid(grid: pd.DataFrame, source: Path, label: str, table: str) -> Sheet:
    """Find the header in a grid of cells (index = source row numbers) and cut the data rows."""
    header_cells, body = split_header(grid, table)
    return make_sheet(header_cells, body, source, label, table)


def _read_text(path: Path, table: str, fallbacks: list[str]) -> SourceRead:
    text, encoding = decode(path.read_bytes(), fallbacks)
    sep = _delimiter(text, table)
    grid = _grid_pandas(text, sep)
    if grid is None:
        grid = _grid_csv(text, sep)
    return SourceRead(path, [sheet_from_grid(grid, path, path.name, table)], [], encoding)


def _read_xlsx(path: Path, table: str | None) -> SourceRead:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise FileError("unreadable", detail=f"{type(exc).__name__}: {exc}") from exc
    sheets, errors = [], []
    try:
        for ws in book.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(min_row=1,
                                                                          values_only=True)]
            if not any(any(c.strip() for c in r) for r in rows):
                continue
            label = f"{path.name}[{ws.title}]"
            name = table or resolve_table(ws.title)
            if name is None:
                errors.append(_relabel(unknown_table(ws.title), label))
                continue
            width = max(len(r) for r in rows)
            grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str,
                                index=pd.RangeIndex(1, len(rows) + 1))
            grid.columns = range(width)
            try:
                sheets.append(sheet_from_grid(grid, path, label, name))
            except FileError as exc:
                errors.append(_relabel(exc, label))
    finally:
        book.close()
    return SourceRead(path, sheets, errors)


def _relabel(error: FileError, label: str) -> FileError:
    """Prefix an error with the sheet it concerns."""
    error.zh, error.en = f"{label}: {error.zh}", f"{label}: {error.en}"
    return error


def _column_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A Parquet column as strings exactly as written; null (and float NaN) become ""."""
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    if pa.types.is_floating(col.type):
        col = pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col)
    try:
        text = col.cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        text = pa.chunked_array([pa.array([None if v is None else str(v) for v in
                                           col.to_pylist()], type=pa.large_string())])
    return pc.fill_null(text, "")


def _read_parquet(path: Path, table: str) -> SourceRead:
    try:
        data = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise FileError("unreadable", detail=f"{type(exc).__name__}: {exc}") from exc
    names = [n for n in data.column_names if not re.fullmatch(r"__index_level_\d+__", n)]
    body = pd.DataFrame({i: pd.arrays.ArrowStringArray(_column_text(data.column(n)))
                         for i, n in enumerate(names)}, index=pd.RangeIndex(1, len(data) + 1))
    return SourceRead(path, [make_sheet(names, body, path, path.name, table)], [])


def read_source(path: Path, table: str | None, fallbacks: list[str]) -> SourceRead:
    """Read one file.  Problems that stop the whole file or one sheet become ``errors``
    (labelled with the file or sheet), never exceptions.
    """
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            raise FileError("unreadable", detail=f"no such file: {path}")
        if suffix in XLSX_SUFFIXES:
            return _read_xlsx(path, table)
        name = table or resolve_table(path.stem)
        if suffix not in TEXT_SUFFIXES + PARQUET_SUFFIXES:
            raise FileError("unsupported_type", suffix=path.suffix or path.name)
        if name is None:
            raise unknown_table(path.stem)
        if suffix in PARQUET_SUFFIXES:
            return _read_parquet(path, name)
        return _read_text(path, name, fallbacks)
    except FileError as exc:
        return SourceRead(path, [], [exc])
    except OSError as exc:
        return SourceRead(path, [], [FileError("unreadable", detail=f"{exc.strerror or exc}")])
