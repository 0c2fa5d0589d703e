"""Vectorised parsing of cells (read as strings) into canonical values.

Every parser takes a Series of strings (``""`` = empty cell) and returns a
:class:`Parsed`: the canonical values (missing where the cell is empty or
malformed), which cells were empty, and which were malformed.  Nothing is
coerced silently: a cell is either parsed exactly or reported as malformed.

Low-cardinality columns (codes, periods, dates, IDs) are parsed once per
distinct value and the results broadcast back with the factorised codes, so a
3-million-row monthly table costs a few hash passes, not 3 million parses.
Code and yes/no columns are looked up by :func:`label_key` in a table built
from the column's codes and labels (:func:`code_lookup`), and
:func:`code_cells` also tells which cells were written as a label.
Numbers go through one Arrow cast, with a slower clean-up (full-width digits,
thousands separators) only for the cells that fail it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench import schema

#: Calendar years accepted in periods, dates and timestamps of an ETS filing.
YEARS = (1900, 2100)
YEARS_TEXT = f"{YEARS[0]}-{YEARS[1]}"

_PERIOD = (r"^(?:(?P<y1>\d{4})(?:[-/.]|年)(?P<m1>\d{1,2})月?"
           r"|(?P<y2>\d{4})(?P<m2>\d{2})"
           r"|(?P<y3>\d{4})-(?P<m3>\d{2})-01(?:[ T]00:00(?::00(?:\.0+)?)?)?)$")
_DATE = (r"(?P<y>\d{4})(?:[-/.]|年)(?P<mo>\d{1,2})(?:[-/.]|月)(?P<d>\d{1,2})日?"
         r"|(?P<cy>\d{4})(?P<cmo>\d{2})(?P<cd>\d{2})")
_TIME = r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<F>\d{1,9}))?)?)?"
_ZONE = r"(?P<Z>Z|[+-]\d{2}:?\d{2})?"
_STAMP = rf"^(?:{_DATE}){_TIME}\s*{_ZONE}$"
#: A plain decimal number, as Arrow parses it directly.
NUMBER = r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$"
_THOUSANDS = r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
#: China Standard Time, minutes east of UTC: naive timestamps are in this zone.
CST_MINUTES = 480
#: Ignored when matching labels: whitespace and the zero-width characters web exports leave.
_LABEL_NOISE = r"[\s\u200b-\u200d\u2060\ufeff]+"


@dataclass
class Parsed:
    """Canonical values of a column, which cells were empty or malformed, and how long
    each stripped cell is (characters).
    """

    values: pd.Series
    missing: np.ndarray
    bad: np.ndarray
    length: np.ndarray


def nfkc(s: pd.Series) -> pd.Series:
    """Unicode NFKC of each value (full-width digits, letters and punctuation become ASCII)."""
    return s.map(lambda v: unicodedata.normalize("NFKC", v), na_action="ignore").astype(str)


def parse_floats(raw: pd.Series) -> Parsed:
    """Numbers (float64), via one Arrow cast; non-finite values are malformed."""
    arr = pc.utf8_trim_whitespace(pa.array(raw, type=pa.large_string()))
    missing = pc.equal(arr, "")
    arr = pc.if_else(missing, pa.scalar(None, arr.type), arr)
    try:
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False).copy()
    except pa.ArrowInvalid:
        simple = pc.match_substring_regex(arr, NUMBER).fill_null(False)
        values = pc.cast(pc.if_else(simple, arr, pa.scalar(None, arr.type)),
                         pa.float64()).to_numpy(zero_copy_only=False).copy()
        rest = (~simple.to_numpy(zero_copy_only=False)
                & ~missing.to_numpy(zero_copy_only=False))
        if rest.any():
            values[rest] = _clean_floats(pd.Series(arr.filter(pa.array(rest)).to_pylist()))
    missing_np = missing.to_numpy(zero_copy_only=False)
    bad = ~missing_np & ~np.isfinite(values)
    values[bad] = np.nan
    length = pc.utf8_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
    return Parsed(pd.Series(values, index=raw.index), missing_np, bad, length)


def _clean_floats(cells: pd.Series) -> np.ndarray:
    """Numbers written with full-width digits or thousands separators (NaN when not a number)."""
    uniques = pd.Series(cells.unique())
    text = nfkc(uniques).str.strip()
    grouped = text.str.fullmatch(_THOUSANDS)
    text = text.where(~grouped, text.str.replace(",", "", regex=False))
    ok = text.str.fullmatch(NUMBER)
    parsed = pd.to_numeric(text.where(ok), errors="coerce").to_numpy(float)
    return parsed[pd.Index(uniques).get_indexer(cells)]


def by_uniques(raw: pd.Series, parse: Callable[[pd.Series], tuple[pd.Series, np.ndarray]]
               ) -> Parsed:
    """Parse each distinct stripped value once, then broadcast to every row.

    ``parse`` gets the distinct non-empty values and returns their canonical
    values and a malformed mask.
    """
    codes, uniques = pd.factorize(raw.fillna(""))
    stripped = pd.Series(uniques, dtype=str).str.strip()
    empty = (stripped == "").to_numpy()
    values, bad = parse(stripped)
    values = values.mask(empty)
    out = pd.Series(values.array.take(codes), index=raw.index)
    length = stripped.str.len().to_numpy(dtype=np.int64)
    return Parsed(out, empty[codes], (bad & ~empty)[codes], length[codes])


def text(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Free text, kept as filed (stripped)."""
    return u.astype("string"), np.zeros(len(u), dtype=bool)


def credit_code(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Credit codes in NFKC upper case (full-width or lower-case letters are the same code)."""
    return nfkc(u).str.upper().astype("string"), np.zeros(len(u), dtype=bool)


def label_key(text: str) -> str:
    """How a code or label is matched: NFKC, without whitespace, case folded.

    So ``ｐａｓｓ``, `` 符合 `` and ``300 MW等级以上常规燃煤机组`` find ``pass``, ``符合`` and
    ``300MW等级以上常规燃煤机组``.
    """
    return re.sub(_LABEL_NOISE, "", unicodedata.normalize("NFKC", text)).casefold()


def code_lookup(labels: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Lookup key (:func:`label_key`) -> code, for each code and its labels.

    Raises ValueError when one key would stand for two codes.
    """
    out: dict[str, str] = {}
    for code, names in labels.items():
        for name in (code, *names):
            key = label_key(name)
            if out.setdefault(key, code) != code:
                raise ValueError(f"{name!r} would mean both {out[key]!r} and {code!r}")
    return out


@dataclass
class Labels:
    """The cells of a code column that were written as a label instead of the code.

    ``written`` holds the distinct labels as filed (stripped), ``codes`` the code each
    stands for, and ``which`` the index in ``written`` of every row's label (-1 where the
    cell is empty, unknown or the code itself, in whatever case or width).
    """

    written: list[str]
    codes: list[str]
    which: np.ndarray

    def entries(self, accepted: np.ndarray) -> list[dict[str, object]]:
        """One record (label, code, rows) per label used by the ``accepted`` rows."""
        used = self.which[accepted & (self.which >= 0)]
        counts = np.bincount(used, minlength=len(self.written))
        return [{"label": label, "code": code, "rows": int(n)}
                for label, code, n in zip(self.written, self.codes, counts, strict=True) if n]


def code_cells(raw: pd.Series, lookup: dict[str, str]) -> tuple[Parsed, Labels]:
    """A code column as canonical codes (see :func:`code_lookup`), and its labelled cells.

    Each distinct cell is looked up once; a cell matching no key is malformed.
    """
    rows, uniques = pd.factorize(raw.fillna(""))
    stripped = pd.Series(uniques, dtype=str).str.strip()
    empty = (stripped == "").to_numpy()
    keys = stripped.map(label_key)
    mapped = keys.map(lookup).astype("string")
    known = mapped.notna().to_numpy()
    is_label = known & (keys != mapped.fillna("")).to_numpy(dtype=bool)
    label_of, written = pd.factorize(stripped.where(is_label))
    codes = np.empty(len(written), dtype=object)
    codes[label_of[is_label]] = mapped[is_label].to_numpy()
    values = pd.Series(mapped.array.take(rows), index=raw.index)
    length = stripped.str.len().to_numpy(dtype=np.int64)
    parsed = Parsed(values, empty[rows], (~known & ~empty)[rows], length[rows])
    return parsed, Labels(list(written), list(codes), label_of.astype(np.int32)[rows])


def integers(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Whole numbers (``2000``, ``2000.0``, ``２０００``) as Int64."""
    p = parse_floats(u)
    whole = np.isfinite(p.values.to_numpy()) & (np.abs(p.values.to_numpy()) < 2**53)
    whole &= np.mod(np.where(whole, p.values.to_numpy(), 0.0), 1.0) == 0
    values = pd.array(np.where(whole, p.values.to_numpy(), 0).astype(np.int64), dtype="Int64")
    values[~whole] = pd.NA
    return pd.Series(values), ~whole


def _year_ok(years: pd.Series) -> np.ndarray:
    return years.between(*YEARS).to_numpy()


def periods(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Months as ``YYYY-MM`` from 2024-03, 2024/3, 2024年3月, 202403 or an Excel 2024-03-01."""
    m = nfkc(u).str.strip().str.extract(_PERIOD)
    year = pd.to_numeric(m["y1"].fillna(m["y2"]).fillna(m["y3"]), errors="coerce")
    month = pd.to_numeric(m["m1"].fillna(m["m2"]).fillna(m["m3"]), errors="coerce")
    good = (month.between(1, 12).to_numpy() & _year_ok(year))
    y = year.fillna(0).astype(int).astype(str).str.zfill(4)
    mo = month.fillna(0).astype(int).astype(str).str.zfill(2)
    values = (y + "-" + mo).astype("string").where(good)
    return values, ~good


def _stamps(u: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """Datetime (ns, CST wall clock) of each value, and the regex groups it came from."""
    m = nfkc(u).str.strip().str.extract(_STAMP)
    num = {k: pd.to_numeric(m[k], errors="coerce") for k in ("y", "mo", "d", "cy", "cmo", "cd",
                                                              "H", "M", "S")}
    parts = pd.DataFrame({
        "year": num["y"].fillna(num["cy"]), "month": num["mo"].fillna(num["cmo"]),
        "day": num["d"].fillna(num["cd"]), "hour": num["H"].fillna(0),
        "minute": num["M"].fillna(0), "second": num["S"].fillna(0)})
    matched = (parts["year"].notna() & _year_ok(parts["year"]) & parts["hour"].between(0, 23)
               & parts["minute"].between(0, 59) & parts["second"].between(0, 59))
    safe = parts.where(matched, 1).astype(int)
    stamp = pd.to_datetime(safe, errors="coerce").where(matched)
    millis = pd.to_numeric(m["F"].fillna("0").str.ljust(3, "0").str[:3], errors="coerce")
    stamp = stamp + pd.to_timedelta(millis, unit="ms")
    zone = m["Z"].fillna("")
    sign = np.where(zone.str.startswith("-"), -1, 1)
    digits = zone.str.replace(r"[^0-9]", "", regex=True).str.ljust(4, "0")
    offset = np.where(zone == "", CST_MINUTES,
                      sign * (pd.to_numeric(digits.str[:2], errors="coerce").fillna(0) * 60
                              + pd.to_numeric(digits.str[2:], errors="coerce").fillna(0)))
    stamp = stamp + pd.to_timedelta(CST_MINUTES - offset, unit="min")
    return stamp, m


def timestamps(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """ISO 8601 timestamps (also 2024/3/5 10:30, 2024年3月5日 10:30) as CST datetime64[ms].

    A timestamp with a zone (``Z``, ``+08:00``) is converted to China Standard Time.
    """
    stamp, _ = _stamps(u)
    values = stamp.astype("datetime64[ms]")
    return values, values.isna().to_numpy()


def dates(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Dates (2024-03-05, 2024/3/5, 2024年3月5日, 20240305) as datetime64[ms] at midnight.

    A midnight time (``2024-03-05 00:00:00``, as Excel and Parquet write dates) is
    accepted; any other time of day, or a time zone, is not a date.
    """
    stamp, m = _stamps(u)
    midnight = (m[["H", "M", "S"]].fillna("0").astype(int).sum(axis=1) == 0)
    midnight &= m["F"].fillna("0").str.strip("0").eq("") & m["Z"].isna()
    values = stamp.where(midnight).astype("datetime64[ms]")
    return values, values.isna().to_numpy()


#: Parser of each kind that is parsed once per distinct value (``bool`` columns go through
#: :func:`code_cells`).
KIND_PARSERS: dict[str, Callable[[pd.Series], tuple[pd.Series, np.ndarray]]] = {
    "str": text, "int": integers, "period": periods, "date": dates, "timestamp": timestamps,
}


def parse_column(raw: pd.Series, column: schema.Column,
                 parser: Callable[[pd.Series], tuple[pd.Series, np.ndarray]] | None = None
                 ) -> Parsed:
    """Parse a raw column by its kind (or with ``parser`` for special string columns)."""
    if column.kind == "float":
        return parse_floats(raw)
    return by_uniques(raw, parser or KIND_PARSERS[column.kind])
