"""The factor tables of the 2025 sectors, as the configuration holds them.

Every emission factor, default value, deduction factor and GWP the steel, cement and
aluminium accounting uses lives in ``[factors.tables]`` of the configuration
(``workbench/defaults.toml``), one table per subject (:data:`TABLES`), each with versions
keyed by guideline; ``[factors]`` names the version in force, one line per table
(``steel = "2025-v1"``, ``gwp = "AR5"``).  Each row carries its value and unit, its source
(document; section of ``shared/domain/sectors-2025.md``), the notes' confidence tag
(C confirmed, T third-party implementation, K well-known reference value, U uncertain),
whether the notes mark it open (``uncertain``) and a note.

These functions read the table of a configuration (a dict from
:func:`workbench.config.load_config`) and hand plain values to the accounting modules,
which never read the configuration themselves::

    cfg = load_config()
    factor(cfg, "steel", "crude_steel")               # tCO2/t, version in force
    factors(cfg, "cement", kind="deduction")          # {code: DF}
    factor_table(cfg, "aluminium", locale="zh-CN")    # a DataFrame with Chinese headers
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbench.accounting.common import weighted_sum
from workbench.config_model import FACTOR_TABLES
from workbench.i18n import pick
from workbench.labels import columns_of

#: The columns of :func:`factor_table` (headers from the catalogue, :mod:`workbench.labels`).
COLUMNS = columns_of(("code", "label_zh", "label_en", "kind", "value", "unit", "source",
                      "confidence", "uncertain", "note"))

#: The factor tables, in the order of the configuration.
TABLES: tuple[str, ...] = FACTOR_TABLES


def _tables(cfg: Mapping[str, Any]) -> Mapping[str, Any]:
    return cfg["factors"]["tables"]


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise KeyError(f"no factor table {table!r}; the tables are {', '.join(TABLES)}")


def active_version(cfg: Mapping[str, Any], table: str) -> str:
    """The version of ``table`` in force (``[factors] <table> = ...``)."""
    _check_table(table)
    return cfg["factors"][table]


def versions(cfg: Mapping[str, Any], table: str) -> list[str]:
    """The versions of ``table`` the configuration holds."""
    _check_table(table)
    return list(_tables(cfg)[table])


def version_info(cfg: Mapping[str, Any], table: str, version: str | None = None
                 ) -> dict[str, Any]:
    """The version's header: ``table``, ``version``, ``guideline``, ``title_zh``,
    ``title_en``, ``note`` and ``not_found`` (what the notes do not give); default the
    version in force."""
    version = version or active_version(cfg, table)
    try:
        entry = _tables(cfg)[table][version]
    except KeyError:
        raise KeyError(f"factor table {table!r} has no version {version!r}; it has "
                       f"{', '.join(versions(cfg, table))}") from None
    return {"table": table, "version": version,
            **{k: v for k, v in entry.items() if k != "rows"}}


def _rows(cfg: Mapping[str, Any], table: str, version: str | None) -> dict[str, Any]:
    info = version_info(cfg, table, version)
    return _tables(cfg)[table][info["version"]]["rows"]


def factor_table(cfg: Mapping[str, Any], table: str, version: str | None = None,
                 locale: str | None = None) -> pd.DataFrame:
    """The rows of a factor table as a DataFrame, one per factor, columns :data:`COLUMNS`
    (``code, label_zh, label_en, kind, value, unit, source, confidence, uncertain, note``).

    ``version`` defaults to the one in force.  With ``locale`` the headers are the
    :data:`COLUMNS` labels in that language (``zh-CN`` or ``en``).  ``df.attrs`` holds the
    version's header (:func:`version_info`).
    """
    rows = _rows(cfg, table, version)
    df = pd.DataFrame([{"code": code, **{c: row[c] for c in COLUMNS if c != "code"}}
                       for code, row in rows.items()], columns=list(COLUMNS))
    df["value"] = df["value"].astype(float)
    df["uncertain"] = df["uncertain"].astype(bool)
    df.attrs.update(version_info(cfg, table, version))
    if locale is not None:
        df = df.rename(columns={c: pick(zh, en, locale) for c, (zh, en) in COLUMNS.items()})
    return df


def factor(cfg: Mapping[str, Any], table: str, code: str, version: str | None = None) -> float:
    """The value of one factor (in the unit of its row) of the version in force (or
    ``version``)."""
    rows = _rows(cfg, table, version)
    if code not in rows:
        raise KeyError(f"factor table {table!r} ({version or active_version(cfg, table)}) has "
                       f"no factor {code!r}")
    return float(rows[code]["value"])


def factors(cfg: Mapping[str, Any], table: str, version: str | None = None,
            kind: str | None = None) -> dict[str, float]:
    """``{code: value}`` of a table's version in force (or ``version``), optionally only the
    rows of one ``kind`` (``input``, ``deduction``, ``clinker_ef``...): the mapping the
    accounting functions take."""
    return {code: float(row["value"]) for code, row in _rows(cfg, table, version).items()
            if kind is None or row["kind"] == kind}


def row(cfg: Mapping[str, Any], table: str, code: str, version: str | None = None
        ) -> dict[str, Any]:
    """The whole row of one factor (value, unit, source, confidence, uncertain, note...)."""
    rows = _rows(cfg, table, version)
    if code not in rows:
        raise KeyError(f"factor table {table!r} has no factor {code!r}")
    return {"code": code, **rows[code]}


def label(cfg: Mapping[str, Any], table: str, code: str, locale: str,
          version: str | None = None) -> str:
    """The name of a factor in ``locale``."""
    entry = row(cfg, table, code, version)
    return pick(entry["label_zh"], entry["label_en"], locale)


def fuel_defaults(cfg: Mapping[str, Any], fuel: str, version: str | None = None
                  ) -> dict[str, float]:
    """``{"ncv": ..., "cc": ..., "of": ...}`` of one fuel of the fuel table (those it gives:
    bituminous coal and anthracite have a carbon content only)."""
    rows = _rows(cfg, "fuels", version)
    out = {part: float(rows[f"{fuel}_{part}"]["value"]) for part in ("ncv", "cc", "of")
           if f"{fuel}_{part}" in rows}
    if not out:
        raise KeyError(f"the fuel table has no fuel {fuel!r}")
    return out


def gwp(cfg: Mapping[str, Any], version: str | None = None) -> dict[str, float]:
    """``{"cf4": ..., "c2f6": ...}`` of the GWP set in force (or ``version``), tCO2e/t."""
    return factors(cfg, "gwp", version)


def apply_factors(cfg: Mapping[str, Any], table: str, quantities: Mapping[str, Any],
                  kind: str | None = None, version: str | None = None) -> Any:
    """Σ quantity × factor over ``quantities`` (code → quantity, scalars, arrays or Series),
    with the factors of a table's version in force (or ``version``), only rows of ``kind``
    when given: the thin bridge from the configuration to the accounting sums (a steel
    E_proc is ``apply_factors(cfg, "steel", materials, kind="input")``).  A code the table
    (or the kind) lacks is an error, never a silent zero."""
    return weighted_sum(quantities, factors(cfg, table, version, kind),
                        f"{table!r} table {kind or 'any'}")


def uncertain_factors(cfg: Mapping[str, Any]) -> pd.DataFrame:
    """Every row marked uncertain in the versions in force, with its table and version
    first: what must be confirmed against the primary texts."""
    parts = []
    for table in TABLES:
        df = factor_table(cfg, table)
        df = df[df["uncertain"]]
        parts.append(df.assign(table=table, version=active_version(cfg, table)))
    out = pd.concat(parts, ignore_index=True)
    return out[["table", "version", *COLUMNS]]
