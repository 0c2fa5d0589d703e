"""The check registry: declarative specs plus one vectorised function each.

A check is a :class:`Check` — id, family, severity, zh/en title and message
templates, what it needs, the config keys it reads, why it matters and where
the rule comes from — and a function ``(Inputs, config) -> DataFrame`` that
returns candidate rows of the flags table.  The engine (:mod:`workbench.screen`)
adds ``check_id``, ``severity`` and the messages, and reports a check whose
inputs are absent as *skipped*, never as passed.

Severity follows e-GGRT's classes: ``critical`` (material misstatement or
broken evidence: stop and review), ``warning`` (quality: implausible or
inconsistent), ``info`` (completeness and context).

**The severity rule** (docs/checks.md).  A check's ``basis`` says what kind of
evidence it gives:

* ``rule`` — the data breaks a rule by itself: a formula identity that does not
  hold, an impossible date order, one lab result filed twice, a lab without
  accreditation, a missed deadline, a default filed as measured, a value outside
  what is physically possible.  Only these may be ``critical`` on their own.
* ``statistical`` — an anomaly against what is usual (the unit's own history,
  peers, regression bands, digit tests).  Its flags are at most ``warning``;
  the engine raises one to ``critical`` only when *independent* evidence on the
  same unit-month corroborates it (a critical rule break, or a statistical flag
  of another family), and the flag then names that evidence in
  ``corroborated_by`` (:func:`workbench.corroboration.corroborate`).

A check function may set its own per-row ``severity`` column (e.g. warning
inside a wider band, critical outside it); otherwise the spec's severity applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from workbench import schema
from workbench.checks.inputs import Inputs

SEVERITIES = schema.SEVERITY_CODES
BASES = ("rule", "statistical")
FAMILIES = schema.CHECK_FAMILIES
#: A CJK character: a Chinese text holds at least one.
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Columns of the flags table, in order (declared in the contract: ``schema.FLAGS``).
FLAG_COLUMNS = tuple(schema.FLAGS.column_names)



@dataclass(frozen=True)
class Computed:
    """A check's candidate flag rows plus what it computed to find them.

    ``tables`` (name -> frame: peer groups, typical values, fitted bands, seasonal
    baselines) are written beside the flags (``computed/<name>.parquet``) so views
    show exactly what the check used instead of recomputing it.  Only
    population-scoped checks return them (they see every unit at once).
    """

    flags: pd.DataFrame
    tables: dict[str, pd.DataFrame]


CheckFn = Callable[[Inputs, dict], "pd.DataFrame | Computed"]


@dataclass(frozen=True)
class Check:
    """One screening check (see the module docstring).

    ``message_zh``/``message_en`` are ``str.format`` templates over the flag
    row's columns (``{observed}``, ``{expected}``, ``{expected_low}``, ...) and
    ``{parameter}``, the name of the flag's parameter in the message's language.
    ``needs`` names Inputs fields (``"labs"``), monthly columns
    (``"monthly:co2_t"``) or ``"daily"``; all must hold data or the check is
    skipped, and an enterprise lacking one is reported as not checked by it.
    ``rationale`` and ``rationale_zh`` say why the check matters, in English and in Chinese
    (both required: a check without a Chinese ``rationale_zh`` is refused).
    ``uses`` names inputs the check reads for part of its work (one quantity of
    several): an enterprise lacking one is reported as partly checked.
    ``subject`` is what its flags are about (``schema.SUBJECT_CODES``: a monthly value, a
    whole monthly deposit, a lab report, an annual report, a unit's typical value of a
    year, an enterprise's filings, a population); the engine files year-level flags with
    an empty ``period`` and their ``year``.  ``value_unit`` is the unit of ``observed`` and
    ``expected`` (a check may give it per row).
    ``scope`` is ``"enterprise"`` when a check only compares an enterprise
    with itself (it can run on any partition of whole enterprises), or
    ``"population"`` when it compares across enterprises (peers, reuse,
    digits) and must see everyone at once.
    """

    id: str
    family: str
    severity: str
    title_zh: str
    title_en: str
    message_zh: str
    message_en: str
    needs: tuple[str, ...]
    rationale: str
    source: str
    fn: CheckFn
    scope: str = "enterprise"
    config_keys: tuple[str, ...] = ()
    basis: str = "rule"
    uses: tuple[str, ...] = ()
    subject: str = "monthly_value"
    value_unit: str = ""
    rationale_zh: str = ""
    #: The industries (``enterprises.industry_code``) the check applies to: it runs over
    #: their enterprises only, and says nothing of the others.
    sectors: tuple[str, ...] = ("power",)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: severity {self.severity!r} not in {SEVERITIES}")
        if self.family not in FAMILIES:
            raise ValueError(f"{self.id}: family {self.family!r} not in {FAMILIES}")
        if self.scope not in ("enterprise", "population"):
            raise ValueError(f"{self.id}: scope {self.scope!r}")
        if self.basis not in BASES:
            raise ValueError(f"{self.id}: basis {self.basis!r} not in {BASES}")
        if self.subject not in schema.SUBJECT_CODES:
            raise ValueError(f"{self.id}: subject {self.subject!r} not in {schema.SUBJECT_CODES}")
        if self.basis == "statistical" and self.severity == "critical":
            raise ValueError(f"{self.id}: a statistical check is at most a warning on its own")
        if not self.sectors or not set(self.sectors) <= set(schema.INDUSTRY_CODES):
            raise ValueError(f"{self.id}: sectors {self.sectors!r} not in "
                             f"{schema.INDUSTRY_CODES}")
        if not _CJK.search(self.rationale_zh):
            raise ValueError(f"{self.id}: rationale_zh (why it matters, in Chinese) is required")

    def missing_inputs(self, x: Inputs) -> list[str]:
        """The declared inputs that hold no data (empty = the check can run)."""
        return [n for n in self.needs if not x.has(n)]


REGISTRY: dict[str, Check] = {}


def check(**spec) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as a :class:`Check` with ``spec``."""

    def wrap(fn: CheckFn) -> CheckFn:
        c = Check(fn=fn, **spec)
        if c.id in REGISTRY:
            raise ValueError(f"duplicate check id {c.id}")
        REGISTRY[c.id] = c
        return fn

    return wrap


def flag_rows(rows: pd.DataFrame, parameter_code: str | pd.Series, observed, expected=None,
              low=None, high=None, score=None, delta_co2_t=None, evidence=None,
              report_id=None, value_unit=None) -> pd.DataFrame:
    """Assemble candidate flag rows from a frame with ``enterprise_id, unit_id, period``.

    Scalars broadcast; Series must share ``rows``' index.  ``evidence`` is a
    Series of short strings (peer group, dates, ...).  ``report_id`` defaults to the
    rows' own ``report_id`` column (lab-report frames); ``value_unit`` to the spec's.
    """
    out = pd.DataFrame({
        "enterprise_id": rows["enterprise_id"],
        "unit_id": rows["unit_id"] if "unit_id" in rows else "",
        "period": rows["period"],
        "parameter_code": parameter_code,
        "observed": observed,
        "expected": expected,
        "expected_low": low,
        "expected_high": high,
        "score": score,
        "delta_co2_t": delta_co2_t,
        "evidence": evidence if evidence is not None else "",
        "report_id": (report_id if report_id is not None
                      else rows["report_id"] if "report_id" in rows else ""),
    }, index=rows.index)
    if value_unit is not None:
        out["value_unit"] = value_unit
    if "severity" in rows:
        out["severity"] = rows["severity"]
    return out
