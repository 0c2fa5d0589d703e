"""Vectorised validation of one table's rows (all files of an import) against the contract.

:func:`check` turns the string cells of every sheet of a table into one frame of
canonical values and rejects, with a bilingual reason per check, rows with:
empty required cells; malformed numbers, integers, months, dates or
timestamps; unknown codes and yes/no values (a code column accepts its codes
and the labels :func:`schema.code_labels` declares for that column only; the
frame holds the code, and :attr:`Checked.labels` which cells were labels);
values outside a column's min/max (after converting unit-bearing headers);
parameter-specific units, bounds and monthly hours (:mod:`.parameters`);
invalid credit codes in ``enterprise_id``; provinces that are not one of
China's provincial-level divisions (:mod:`.divisions`; a full name is stored as
the short one and recorded like a code label); cities that are not a division of
the row's province (:func:`.divisions.check_cities`; stored as filed); text
longer than the configured limit; cells beyond the header; duplicate keys within the import; and
references to enterprises/units neither imported nor in the dataset.
Unknown extra columns are carried along as strings and never cause rejection.
All checks are column operations; nothing loops over rows except the
formatting of reasons for rows already rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from workbench import creditcode, schema
from workbench.ingest import divisions, parse
from workbench.ingest.existing import Known
from workbench.ingest.headers import INPUT_DEFAULTS, Mapping
from workbench.ingest.issues import Issues, fmt_numbers
from workbench.ingest.keys import group_ids, joined
from workbench.ingest.parameters import check_parameters
from workbench.ingest.readers import Sheet
from workbench.ingest.reasons import Bi, accepted_codes
from workbench.ingest.units import Conversion, factor

#: Reason code for a malformed cell of each kind.
_BAD = {"float": "not_number", "int": "not_integer", "bool": "not_bool", "period": "not_period",
        "date": "not_date", "timestamp": "not_timestamp", "str": "unknown_code"}


@dataclass
class Part:
    """One sheet of a table and how its headers map to the contract."""

    sheet: Sheet
    mapping: Mapping


@dataclass
class Checked:
    """The rows of one table in one import, parsed and checked.

    ``frame`` has the canonical columns (canonical dtypes, missing where a cell
    was empty or rejected) then the extra columns, one row per row read, in
    the order of ``parts``; ``given_revision`` marks monthly rows whose file gave
    a revision number.
    """

    table: str
    frame: pd.DataFrame
    issues: Issues
    parts: list[Part]
    conversions: list[Conversion]
    given_revision: np.ndarray
    #: Code (and yes/no) columns in which some cells were written as labels.
    labels: dict[str, parse.Labels]

    @property
    def sources(self) -> np.ndarray:
        """The file (or file[sheet]) label of every row."""
        return np.repeat([p.sheet.label for p in self.parts],
                         [len(p.sheet.frame) for p in self.parts])

    @property
    def row_numbers(self) -> np.ndarray:
        """The row number in its source of every row."""
        return np.concatenate([p.sheet.row_numbers for p in self.parts]) if self.parts else (
            np.zeros(0, dtype=np.int64))


def label(table: str, column: str) -> Bi:
    """How a reason names a column: ``数值(value)`` / ``value``."""
    c = schema.TABLES[table].column(column)
    return Bi(f"{c.label_zh}({c.name})", c.name)


@cache
def _labels(table: str, column: str) -> dict[str, tuple[str, ...]]:
    if (table, column) in divisions.COLUMNS:
        return divisions.labels()
    return schema.code_labels(schema.TABLES[table].column(column))


@cache
def _code_lookup(table: str, column: str) -> dict[str, str]:
    return parse.code_lookup(_labels(table, column))


@cache
def _accepted(table: str, column: str) -> Bi:
    return accepted_codes(_labels(table, column))


def _parse(table: str, column: schema.Column, raw: pd.Series
           ) -> tuple[parse.Parsed, parse.Labels | None]:
    """Parse one column: codes and yes/no values through their labels, the rest by kind."""
    if column.codes is None and column.kind != "bool" and (table, column.name) not in (
            divisions.COLUMNS):
        parser = parse.credit_code if column.name == "enterprise_id" else None
        return parse.parse_column(raw, column, parser), None
    parsed, labels = parse.code_cells(raw, _code_lookup(table, column.name))
    if column.kind == "bool":
        parsed.values = parsed.values.map({"true": True, "false": False}).astype("boolean")
    return parsed, labels


def _stack(series: list[pd.Series]) -> pd.Series:
    return series[0] if len(series) == 1 else pd.concat(series, ignore_index=True)


def _cells(part: Part, pos: int | None) -> pd.Series:
    """The cells of column ``pos`` of a sheet (``""`` for every row when it lacks the column)."""
    frame = part.sheet.frame
    return frame.iloc[:, pos] if pos is not None else pd.Series("", index=frame.index, dtype=str)


def _raw_columns(table: str, parts: list[Part]
                 ) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    """The cells of each canonical column and of each extra column, over all sheets."""
    canonical = {c: _stack([_cells(p, p.mapping.columns.get(c)) for p in parts])
                 for c in schema.TABLES[table].column_names}
    positions = [{name: pos for pos, name in p.mapping.extras.items()} for p in parts]
    names = list(dict.fromkeys(n for pos in positions for n in pos))
    extras = {n: _stack([_cells(p, pos.get(n)) for p, pos in zip(parts, positions, strict=True)])
              for n in names}
    return canonical, extras


def _header_factors(table: str, parts: list[Part], column: schema.Column
                    ) -> tuple[np.ndarray | None, list[Conversion]]:
    """Per-row factor for a column whose header implies another unit (None when none does)."""
    n = sum(len(p.sheet.frame) for p in parts)
    out, conversions, start = None, [], 0
    for p in parts:
        rows = len(p.sheet.frame)
        unit = p.mapping.units.get(column.name)
        if unit is not None:
            f = factor(unit, column.unit)
            out = np.ones(n) if out is None else out
            out[start:start + rows] = f
            mask = np.zeros(n, dtype=bool)
            mask[start:start + rows] = True
            conversions.append(Conversion(table, {"column": column.name}, unit, column.unit, f,
                                          mask))
        start += rows
    return out, conversions


def _check_column(table: str, column: schema.Column, raw: pd.Series, parts: list[Part],
                  issues: Issues, max_text: int
                  ) -> tuple[pd.Series, list[Conversion], parse.Labels | None]:
    """Parse one column, reject malformed/missing/out-of-range cells.

    Returns the canonical values, the conversions of a unit-bearing header and, for a
    code column, its labelled cells.
    """
    name, lab = column.name, label(table, column.name)
    parsed, labels = _parse(table, column, raw)
    if not column.nullable:
        issues.add(parsed.missing, "missing", name, raw, column=lab)
    if (table, name) in divisions.COLUMNS:
        issues.add(parsed.bad, "unknown_province", name, raw, column=lab,
                   expected="、".join(divisions.PROVINCES))
    elif column.kind != "str" or column.codes:
        expected = _accepted(table, name) if labels is not None else parse.YEARS_TEXT
        issues.add(parsed.bad, _BAD[column.kind], name, raw, column=lab, expected=expected)
    values, conversions = parsed.values, []
    if column.kind == "float":
        factors, conversions = _header_factors(table, parts, column)
        if factors is not None:
            values = values * factors
            for conv in conversions:
                conv.rows &= values.notna().to_numpy()
    if column.kind == "str":
        issues.add(parsed.length > max_text, "too_long", name, raw, column=lab,
                   value=parsed.length, expected=max_text)
    if name == "enterprise_id":
        bad = values.notna().to_numpy() & ~creditcode.validate(values).to_numpy()
        issues.add(bad, "bad_credit_code", name, raw, column=lab)
    if column.kind in ("float", "int"):
        _check_range(column, values, raw, lab, issues)
    return values, conversions, labels


def _check_required_when(table: str, frame: pd.DataFrame, raw: dict[str, pd.Series],
                         issues: Issues) -> None:
    """Refuse empty cells of columns a row's kind needs (``Column.required_when``: a power
    unit's capacity, a clinker line's clinker type, a coal sample's moisture…)."""
    for column in schema.TABLES[table].columns:
        if column.required_when is None:
            continue
        other, codes = column.required_when
        needed = frame[other].isin(codes)
        empty = (frame[column.name].isna() & needed).to_numpy()
        if empty.any():
            kinds = frame[other].where(needed)
            zh = [f"{label(table, other).zh}为“{schema.code_name(other, k, 'zh-CN')}”"
                  if isinstance(k, str) else "" for k in kinds]
            en = [f"{other} {k}" if isinstance(k, str) else "" for k in kinds]
            issues.add(empty, "missing_for", column.name, raw[column.name],
                       column=label(table, column.name),
                       expected=Bi(pd.Series(zh), pd.Series(en)))


def _check_cities(table: str, column: str, provinces: pd.Series, raw: pd.Series,
                  issues: Issues) -> None:
    """Reject cities that are not a division of the row's (valid) province."""
    found = divisions.check_cities(provinces, raw)
    elsewhere = found["elsewhere"].astype(str)
    issues.add(found["bad"].to_numpy(), "unknown_city", column, raw, column=label(table, column),
               province=found["province"],
               expected=Bi(found["expected"], found["expected"].str.replace("、", ", ")),
               elsewhere=Bi(elsewhere.where(elsewhere == "", "（这是" + elsewhere + "的城市）"),
                            elsewhere.where(elsewhere == "", " (it is a city of "
                                            + elsewhere.str.replace("、", ", ") + ")")))


def _check_range(column: schema.Column, values: pd.Series, raw: pd.Series, lab: Bi,
                 issues: Issues) -> None:
    v = values.to_numpy(dtype=float, na_value=np.nan)
    unit = column.unit or ""
    for bound, code, outside in ((column.min_value, "below_min", np.less),
                                 (column.max_value, "above_max", np.greater)):
        if bound is None:
            continue
        mask = np.isfinite(v) & outside(v, bound)
        issues.add(mask, code, column.name, raw, column=lab, value=fmt_numbers(v, mask, unit),
                   expected=fmt_numbers(np.full(len(v), float(bound)), mask, unit))


#: Other rows of a duplicate key a reason names (the rest are counted), so a key repeated
#: n times costs O(n), not O(n²).
SHOWN_DUPLICATES = 5


def _check_duplicates(checked: Checked) -> None:
    """Reject every row of a key that occurs more than once, naming (some of) the other rows."""
    frame, key = checked.frame, list(schema.TABLES[checked.table].key)
    ids = group_ids([frame[c] for c in key])
    valid = ids >= 0
    counts = np.bincount(ids[valid]) if valid.any() else np.zeros(0, dtype=np.int64)
    dup = valid & (counts[np.where(valid, ids, 0)] > 1) if counts.size else valid & False
    if not dup.any():
        return
    idx = np.flatnonzero(dup)
    sources, row_numbers = checked.sources, checked.row_numbers
    groups: dict[int, list[int]] = {}
    for i in idx:
        groups.setdefault(int(ids[i]), []).append(int(i))
    others = np.full(len(frame), "", dtype=object)
    for members in groups.values():
        head, more = members[:SHOWN_DUPLICATES + 1], len(members) - 1 - SHOWN_DUPLICATES
        for i in members:
            shown = [j for j in head if j != i][:SHOWN_DUPLICATES]
            others[i] = ", ".join(str(row_numbers[j]) if sources[j] == sources[i]
                                  else f"{sources[j]}:{row_numbers[j]}" for j in shown
                                  ) + (f" … (+{more})" if more > 0 else "")
    key_label = ", ".join(key)
    checked.issues.add(dup, "duplicate_key", key_label, joined(frame, key), column=key_label,
                       expected=others)


def _check_references(table: str, frame: pd.DataFrame, known: Known, issues: Issues) -> None:
    for column, (ref_table, ref_column) in schema.TABLES[table].references.items():
        codes, uniques = pd.factorize(frame[column])
        if not len(uniques):
            continue
        found = np.append(pd.Index(uniques).isin(known.values(ref_table, ref_column)), True)
        missing = ~found[codes]
        target = schema.TABLES[ref_table]
        issues.add(missing, "dangling", column, frame[column].astype(str),
                   column=label(table, column),
                   expected=Bi(f"{target.label_zh}({ref_table})", ref_table))


def _given_revision(table: str, raw: dict[str, pd.Series]) -> np.ndarray:
    """Which rows gave a value in a column that has an input default (and fill the default)."""
    given = np.ones(len(next(iter(raw.values()))), dtype=bool)
    for (t, column), default in INPUT_DEFAULTS.items():
        if t == table:
            filled = (raw[column].str.strip() != "").to_numpy()
            raw[column] = raw[column].where(filled, default)
            given &= filled
    return given


def check(table: str, parts: list[Part], known: Known, max_text: int) -> Checked:
    """Parse and check all rows of ``table`` read in this import (see the module docstring)."""
    raw, extras = _raw_columns(table, parts)
    n = len(next(iter(raw.values())))
    issues = Issues(n)
    given = _given_revision(table, raw)
    columns, conversions, labels = {}, [], {}
    for column in schema.TABLES[table].columns:
        columns[column.name], conv, used = _check_column(table, column, raw[column.name],
                                                         parts, issues, max_text)
        conversions += conv
        if used is not None and used.written:
            labels[column.name] = used
    frame = pd.DataFrame(columns)
    for name, cells in extras.items():
        frame[name] = cells.mask(cells == "")
    _check_required_when(table, frame, raw, issues)
    if table == "monthly_parameters":
        conversions += check_parameters(frame, raw["value"], issues)
    for t, city, province in divisions.CITY_COLUMNS:
        if t == table:
            _check_cities(table, city, columns[province], raw[city], issues)
    overflow = _stack([p.sheet.overflow for p in parts])
    issues.add((overflow != "").to_numpy(), "too_many_cells", "", overflow)
    checked = Checked(table, frame, issues, parts, conversions, given, labels)
    _check_duplicates(checked)
    _check_references(table, frame, known, issues)
    return checked
