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
reported as undecodable instead of being read as mojibake.  A file decoded
with a fallback must not also hold lines that read as Chinese in UTF-8 (GBK rows
followed by UTF-8 rows, which GB18030 would turn into mojibake): such a file is
refused as mixed.

Before anything is opened, :func:`check_file` refuses what is not a regular file
(a FIFO or device would block or never end) and files above the size limit.  A
CSV whose last record has an unterminated quote (which would fold every later
line into one cell), a CSV with a quoted cell whose embedded lines read like
records of the file (a stray quote closed some rows later, :func:`check_folded`)
and a file with more columns or longer header cells than :class:`Limits` allow
are refused with the line or count that broke the rule.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import zipfile
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
#: A UTF-8 line of a Chinese filing: ASCII, CJK ideographs, full-width forms, CJK and general
#: punctuation only, with at least one ideograph.  GBK bytes that happen to be valid UTF-8
#: (``路`` is the bytes of ``·``) practically never read like this.
_PLAUSIBLE_UTF8 = re.compile("[\x00-\x7f\u2014-\u2026\u3000-\u303f\u3400-\u4dbf"
                             "\u4e00-\u9fff\uff00-\uffef]*[\u4e00-\u9fff]"
                             "[\x00-\x7f\u2014-\u2026\u3000-\u303f\u3400-\u4dbf"
                             "\u4e00-\u9fff\uff00-\uffef]*")
#: What a path that is not a regular file is: (test, zh, en).
_KINDS = ((stat.S_ISDIR, "目录", "a directory"), (stat.S_ISFIFO, "命名管道", "a FIFO (named pipe)"),
          (stat.S_ISCHR, "字符设备", "a character device"),
          (stat.S_ISBLK, "块设备", "a block device"), (stat.S_ISSOCK, "套接字", "a socket"))


@dataclass(frozen=True)
class Limits:
    """Bounds on one input file (``[import]`` ``max_file_mb``, ``max_extra_columns``,
    ``max_header_length``); a file beyond any of them is refused.
    """

    max_bytes: int
    max_extra_columns: int
    max_header_length: int

    @classmethod
    def from_config(cls, section: dict) -> Limits:
        """The limits of an ``[import]`` config section."""
        return cls(int(float(section["max_file_mb"]) * 1024 * 1024),
                   int(section["max_extra_columns"]), int(section["max_header_length"]))


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


def check_file(path: Path, limits: Limits) -> None:
    """Refuse, without opening it, a path that is not a regular file or is too large.

    Symbolic links are followed; raises :class:`FileError`.
    """
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise FileError("unreadable", detail=f"no such file: {path}") from exc
    except OSError as exc:
        raise FileError("unreadable", detail=f"{exc.strerror or exc}: {path}") from exc
    if not stat.S_ISREG(info.st_mode):
        zh, en = next(((zh, en) for test, zh, en in _KINDS if test(info.st_mode)),
                      ("特殊文件", "a special file"))
        raise FileError("not_regular", kind=Bi(zh, en))
    if info.st_size > limits.max_bytes:
        raise FileError("too_large", size=f"{info.st_size / 1048576:,.1f}",
                        limit=f"{limits.max_bytes / 1048576:,.1f}")


def _mixed_lines(data: bytes, encoding: str) -> tuple[int, int] | None:
    """First line that reads as Chinese in UTF-8 and first that is not UTF-8, if a file
    decoded with the (ASCII-compatible) ``encoding`` has both; ``None`` otherwise.
    """
    if "\n".encode(encoding) != b"\n":
        return None
    utf8 = other = 0
    for n, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other = other or n
        else:
            if _PLAUSIBLE_UTF8.fullmatch(text):
                utf8 = utf8 or n
        if utf8 and other:
            return utf8, other
    return None


def _accept(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """``text`` decoded with a fallback ``encoding``, unless the bytes also read as UTF-8."""
    mixed = _mixed_lines(data, encoding)
    if mixed is not None:
        raise FileError("mixed_encoding", encoding=encoding, utf8_line=mixed[0],
                        other_line=mixed[1])
    return text, encoding


def decode(data: bytes, fallbacks: list[str]) -> tuple[str, str]:
    """Text and encoding of a CSV's bytes; :class:`FileError` if no accepted encoding fits
    or the bytes mix UTF-8 lines with lines of a fallback encoding.
    """
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
            return (text, encoding) if encoding == "utf-8" else _accept(data, text, encoding)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    if guess in HINT_ENCODINGS:
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" not in text:
            return _accept(data, text, guess)
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


def _grid_csv(text: str, sep: str) -> tuple[pd.DataFrame, dict[int, int]]:
    """All cells with each record's first physical line (ragged rows padded with ""), and
    the last physical line of every record that spans several (first line -> last line).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, lines, spans, previous = [], [], {}, 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(previous + 1)
            if reader.line_num > previous + 1:
                spans[previous + 1] = reader.line_num
            previous = reader.line_num
    except csv.Error as exc:
        raise FileError("unreadable", detail=f"line {reader.line_num}: {exc}") from exc
    if lines and lines[-1] < reader.line_num and _open_quote(text, lines[-1], sep):
        raise FileError("unterminated_quote", line=lines[-1], last=reader.line_num)
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str,
                        columns=range(width))
    grid.index = pd.Index(lines, dtype=np.int64)
    return grid, spans


#: Line breaks inside a quoted cell (CRLF, LF or CR, as :func:`_physical_lines` counts them).
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _line_runs(lines: list[int], shown: int = 5) -> list[str]:
    """Ascending line numbers as runs (``46-59``), the first ``shown`` runs and a count."""
    runs: list[list[int]] = []
    for n in lines:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    out = [f"{a}-{b}" if b > a else str(a) for a, b in runs[:shown]]
    return out + ([f"… (+{len(runs) - shown})"] if len(runs) > shown else [])


def _record_like(segment: str, sep: str, width: int) -> bool:
    """True when one embedded line of a cell splits, on its own, into ``width`` or more
    cells: the shape of a record of the file, not of text in a cell.
    """
    if segment.count(sep) < width - 1:
        return False
    try:
        return len(next(csv.reader([segment], delimiter=sep), [])) >= width
    except csv.Error:
        return True


def check_folded(headers: list[str], body: pd.DataFrame, spans: dict[int, int], sep: str
                 ) -> None:
    """Refuse a CSV in which a quoted cell holds lines that read like records of the file.

    A stray quote opened in one row and closed some rows later turns every line between
    into one cell of the first row; those lines still carry the header's number of
    delimiters, which the text of a legitimate multi-line cell (an address, a note)
    does not.  ``body`` holds the data records (index = first physical line), ``spans``
    the last physical line of every record that spans several.  Raises
    :class:`FileError` naming the physical lines, the column and the lines that look
    like records.
    """
    width = len(headers)
    if width < 2 or not spans:
        return
    starts = np.fromiter(spans, dtype=np.int64, count=len(spans))
    at = body.index.get_indexer(starts)
    values = body.to_numpy()
    for first, i in zip(starts[at >= 0].tolist(), at[at >= 0].tolist(), strict=True):
        offset = 0
        for pos, cell in enumerate(values[i]):
            if "\n" not in cell and "\r" not in cell:
                continue
            segments = _LINE_BREAK.split(cell)
            # segment k of the cell is on physical line first + (breaks in earlier cells) + k
            like = [first + offset + k for k, seg in enumerate(segments)
                    if k and _record_like(seg, sep, width)]
            offset += len(segments) - 1
            if like:
                shown = _line_runs(like)
                name = (headers[pos].strip() if pos < width else "") or f"column_{pos + 1}"
                raise FileError("folded_rows", line=first, last=spans[first],
                                number=pos + 1, column=name, lines=Bi("、".join(shown),
                                                                       ", ".join(shown)),
                                count=len(like),
                                width=width)


def check_header(headers: list[str], limits: Limits) -> None:
    """Refuse a header with a cell longer than ``max_header_length`` characters."""
    longest = max(range(len(headers)), key=lambda i: len(headers[i]), default=None)
    if longest is not None and len(headers[longest]) > limits.max_header_length:
        raise FileError("header_too_long", column=longest + 1,
                        length=f"{len(headers[longest]):,}", limit=limits.max_header_length,
                        start=headers[longest][:40])


def check_extras(extras: dict[int, str], limits: Limits) -> None:
    """Refuse more unknown extra columns than ``max_extra_columns``, naming the first ones."""
    if len(extras) > limits.max_extra_columns:
        raise FileError("too_many_extras", count=f"{len(extras):,}",
                        limit=limits.max_extra_columns,
                        names=", ".join(list(extras.values())[:5]))


def _open_quote(text: str, line: int, sep: str) -> bool:
    """True when the record starting on physical ``line`` ends inside a quoted cell.

    The lenient reader takes everything up to the end of the file into that cell;
    the strict one says "unexpected end of data".
    """
    buf = io.StringIO(text, newline="")
    for _ in range(line - 1):
        buf.readline()
    try:
        for _ in csv.reader(io.StringIO(buf.read(), newline=""), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


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


def _check_width(text: str, sep: str, table: str, limits: Limits) -> None:
    """Refuse, before parsing the whole file, a header area wider than the limits allow
    (the first 64 KiB are read; malformed text there is left to the full parse to report).
    """
    try:
        head = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=sep))
    except csv.Error:
        return
    widest = max((len(r) for r in head[:hdr.HEADER_SEARCH_ROWS]), default=0)
    limit = len(schema.TABLES[table].columns) + limits.max_extra_columns
    if widest > limit:
        raise FileError("too_many_columns", count=f"{widest:,}", limit=limit)


def _read_text(path: Path, table: str, fallbacks: list[str], limits: Limits) -> SourceRead:
    text, encoding = decode(path.read_bytes(), fallbacks)
    sep = _delimiter(text, table)
    _check_width(text, sep, table, limits)
    grid = _grid_pandas(text, sep)
    if grid is not None:
        return SourceRead(path, [sheet_from_grid(grid, path, path.name, table)], [], encoding)
    grid, spans = _grid_csv(text, sep)
    header_cells, body = split_header(grid, table)
    width = max((i + 1 for i, c in enumerate(header_cells) if c.strip()), default=0)
    check_folded(header_cells[:width], body, spans, sep)
    return SourceRead(path, [make_sheet(header_cells, body, path, path.name, table)], [],
                      encoding)


#: Cells the native reader may lay out for one sheet (it allocates the dense rectangle
#: from the first to the last filled cell; a sheet spanning more is refused).
MAX_SHEET_CELLS = 20_000_000
_CELL_REF = re.compile(rb"<(?:\w+:)?(?:c|row)\b[^>]*?\sr=\"([A-Z]{0,3})([0-9]{1,7})\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_extents(path: Path) -> list[tuple[str, int, int]]:
    """Per worksheet of a workbook, its member name and the last row and column that a
    cell or row names, streamed (the claimed ``<dimension>`` is ignored).
    """
    out = []
    with zipfile.ZipFile(path) as book:
        for member in book.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            rows = cols = 0
            tail = b""
            with book.open(member) as fh:
                for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    block = tail + chunk
                    for m in _CELL_REF.finditer(block):
                        rows = max(rows, int(m.group(2)))
                        if m.group(1):
                            cols = max(cols, _column_number(m.group(1)))
                    tail = block[-512:]
            out.append((member, rows, cols))
    return out


def _read_xlsx(path: Path, table: str | None) -> SourceRead:
    """Read every sheet with the native (calamine) reader, after checking that no sheet's
    filled cells span more than :data:`MAX_SHEET_CELLS`.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        extents = _sheet_extents(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise FileError("unreadable", detail=f"{type(exc).__name__}: {exc}") from exc
    for member, rows, cols in extents:
        if rows * max(cols, 1) > MAX_SHEET_CELLS:
            raise FileError("sheet_too_big", member=member, rows=f"{rows:,}", cols=f"{cols:,}",
                            limit=f"{MAX_SHEET_CELLS:,}")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise FileError("unreadable", detail=f"{type(exc).__name__}: {exc}") from exc
    sheets, errors = [], []
    try:
        for title in book.sheet_names:
            try:
                rows = [[_cell_text(v) for v in row]
                        for row in book.get_sheet_by_name(title).iter_rows()]
            except (CalamineError, ValueError) as exc:
                errors.append(FileError("unreadable", detail=f"{path.name}[{title}]: {exc}"))
                continue
            if not any(any(c.strip() for c in r) for r in rows):
                continue
            label = f"{path.name}[{title}]"
            name = table or resolve_table(title)
            if name is None:
                errors.append(_relabel(unknown_table(title), label))
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


def read_source(path: Path, table: str | None, fallbacks: list[str], limits: Limits
                ) -> SourceRead:
    """Read one file (after :func:`check_file`).  Problems that stop the whole file or one
    sheet become ``errors`` (labelled with the file or sheet), never exceptions.
    """
    suffix = path.suffix.lower()
    try:
        check_file(path, limits)
        if suffix in XLSX_SUFFIXES:
            return _read_xlsx(path, table)
        name = table or resolve_table(path.stem)
        if suffix not in TEXT_SUFFIXES + PARQUET_SUFFIXES:
            raise FileError("unsupported_type", suffix=path.suffix or path.name)
        if name is None:
            raise unknown_table(path.stem)
        if suffix in PARQUET_SUFFIXES:
            return _read_parquet(path, name)
        return _read_text(path, name, fallbacks, limits)
    except FileError as exc:
        return SourceRead(path, [], [exc])
    except OSError as exc:
        return SourceRead(path, [], [FileError("unreadable", detail=f"{exc.strerror or exc}")])
