"""Map the headers of an export to canonical columns.

A header matches a column by its canonical name, its zh/en label or an alias in
:data:`workbench.schema.HEADER_ALIASES`, compared after :func:`key` (NFKC, so
full-width ``（）`` equal ASCII ``()``; no whitespace; case folded).  A header
that is a known label followed by a unit in brackets (``发电量(万千瓦时)``,
``装机容量（kW）``) maps to that column with that unit, which the validator
converts; a unit that cannot be converted is a file error rather than a guess.
Headers that match nothing are kept as extra columns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from workbench import schema
from workbench.ingest import units
from workbench.ingest.reasons import FileError

#: Required columns a file may leave out, with the value they then take (the contract's).
INPUT_DEFAULTS = schema.INPUT_DEFAULTS

_SPACE = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)[(\[](?P<unit>[^()\[\]]+)[)\]]$")
#: Rows scanned for the header when a title row sits above it.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Mapping:
    """How a file's columns map to the contract.

    ``columns``: canonical column -> position in the file; ``units``: canonical
    column -> unit its header implies (converted on import); ``extras``: position ->
    name of each column kept as an unknown extra.
    """

    columns: dict[str, int]
    units: dict[str, str]
    extras: dict[int, str]


def key(header: str) -> str:
    """Comparison key of a header: NFKC, whitespace removed, case folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", header)).casefold()


@cache
def aliases(table: str) -> dict[str, schema.HeaderAlias]:
    """Header key -> alias for ``table`` (canonical names included)."""
    out = {key(c): schema.HeaderAlias(c, c) for c in schema.TABLES[table].column_names}
    for alias in schema.HEADER_ALIASES[table]:
        out.setdefault(key(alias.header), alias)
    return out


def accepted_headers(table: str, column: str) -> list[str]:
    """Every header accepted for ``column``, canonical name first."""
    names = [column] + [a.header for a in schema.HEADER_ALIASES[table] if a.column == column]
    return list(dict.fromkeys(names))


def required_columns(table: str) -> list[str]:
    """Columns a file of ``table`` must have (non-nullable, no input default)."""
    return [c.name for c in schema.TABLES[table].columns
            if not c.nullable and (table, c.name) not in INPUT_DEFAULTS]


def _match(table: str, header: str) -> tuple[str, str | None] | None:
    """(column, unit implied by the header or None) for one header, or None if unknown."""
    k = key(header)
    alias = aliases(table).get(k)
    if alias is not None:
        return alias.column, alias.unit
    m = _UNIT_SUFFIX.match(unicodedata.normalize("NFKC", header).strip())
    if m is None:
        return None
    alias = aliases(table).get(key(m["base"]))
    column = schema.TABLES[table].column(alias.column) if alias else None
    if column is None or alias.unit is not None or column.unit is None:
        return None
    try:
        units.factor(m["unit"], column.unit)
    except units.UnitError as exc:
        raise FileError("header_unit", header=header, unit=m["unit"], column=column.name,
                        expected=column.unit) from exc
    return column.name, m["unit"]


def header_score(table: str, headers: list[str]) -> int:
    """How many required columns of ``table`` a candidate header row provides."""
    found = set()
    for h in headers:
        try:
            hit = _match(table, h)
        except FileError:
            continue
        if hit:
            found.add(hit[0])
    return len(found & set(required_columns(table)))


def find_header(table: str, rows: list[list[str]]) -> int:
    """Index of the header among the first rows: the first non-empty one that names every
    required column, else the first non-empty one (so its missing columns are reported).
    Returns -1 when every scanned row is empty.
    """
    candidates = [i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(c.strip() for c in r)]
    need = len(required_columns(table))
    for i in candidates:
        if header_score(table, rows[i]) == need:
            return i
    return candidates[0] if candidates else -1


def map_headers(table: str, headers: list[str], names: list[str]) -> Mapping:
    """Map a header row (``names`` are the unique display names of the same columns).

    Raises :class:`FileError` when two headers name the same column, a header's
    unit cannot be converted, or a required column is missing.
    """
    columns: dict[str, int] = {}
    found_units: dict[str, str] = {}
    extras: dict[int, str] = {}
    for pos, header in enumerate(headers):
        hit = _match(table, header) if header.strip() else None
        if hit is None:
            extras[pos] = names[pos]
            continue
        column, unit = hit
        if column in columns:
            raise FileError("duplicate_column", column=column,
                            headers=f"{headers[columns[column]]!r}, {header!r}")
        columns[column] = pos
        if unit is not None:
            found_units[column] = unit
    missing = [c for c in required_columns(table) if c not in columns]
    if missing:
        accepted = "; ".join(f"{c}: " + " / ".join(accepted_headers(table, c)) for c in missing)
        raise FileError("missing_column", column=", ".join(missing), accepted=accepted)
    return Mapping(columns, found_units, extras)
