"""Explain the screening checks: ``docs/checks.md``, the flags panel and the exports.

:func:`check_explanation` says, for one check, what it flags (its rule), why that matters,
where the rule comes from (citations a reader can open, :mod:`workbench.sources`) and the
thresholds it reads with their values in a configuration and their meaning
(:func:`workbench.config_model.config_fields`).  The reviewer's flags panel, the "checks
used" tables of case reports and findings exports (:func:`explanation_row`) and the
generated document all show that one explanation.

The document is generated so it can never drift from the code: a test compares the
committed file with a fresh rendering over the defaults of ``workbench/defaults.toml``.

usage: python -m workbench.checks_doc > docs/checks.md   (or: python -m workbench.checks_doc
--write, which writes docs/checks.md of a source checkout)
"""

from __future__ import annotations

import inspect
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import checks, risk, schema
from workbench.checks.registry import FAMILIES, Check
from workbench.config import DEFAULTS_PATH
from workbench.config_model import WorkbenchConfig, config_fields, field_description
from workbench.exports import html_table
from workbench.i18n import pick
from workbench.labels import BASES, SCOPES, Label, columns_of
from workbench.labels import FAMILIES as FAMILY_LABELS
from workbench.labels import SEVERITIES as SEVERITY_LABELS
from workbench.sources import BIBLIOGRAPHY, cite, references

#: Where ``--write`` puts the document.
DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "checks.md"

#: The columns of a "checks used" table (:func:`explanation_row`), with their zh / en headers.
EXPLANATION_COLUMNS: dict[str, Label] = columns_of((
    "check_code", "check_title", "family", "severity", "basis", "inputs", "rule", "rationale",
    "source", "thresholds"))
#: How a statistical check's severity reads (it is raised only on corroboration).
CORROBORATED: Label = ("有独立证据佐证时升为严重", "critical only when independent evidence "
                                               "on the same unit-month corroborates it")
NO_THRESHOLDS: Label = ("无（固定规则）", "none (a fixed rule)")
NEEDS: Label = ("需要", "needs")
USES: Label = ("部分使用", "uses")


def default_config() -> dict[str, Any]:
    """The configuration of ``workbench/defaults.toml`` alone (no user file), validated."""
    with DEFAULTS_PATH.open("rb") as fh:
        return WorkbenchConfig.model_validate(tomllib.load(fh)).model_dump(by_alias=True)


def config_value(cfg: Mapping[str, Any], dotted: str) -> Any:
    """The value of the dotted key ``dotted`` in ``cfg`` (``checks.bands.ncv_gj_per_t``)."""
    value: Any = cfg
    for part in dotted.split("."):
        value = value[part]
    return value


def value_text(value: Any) -> str:
    """A configuration value as TOML writes it: ``0.005``, ``[200, 400, 700]``, a table as
    ``coal = [16.0, 26.0]; gangue_coal = [8.0, 18.0]``."""
    if isinstance(value, Mapping):
        return "; ".join(f"{k} = {value_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(value_text, value)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return np.format_float_positional(value, trim="0")
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def rule_text(spec: Check, locale: str) -> str:
    """What the check flags: its function's docstring, else its message template in
    ``locale`` with each field named in words, as the flags table labels it
    (``⟨实际值⟩`` / ``⟨Observed⟩``, not ``{observed:,.0f}``)."""
    doc = inspect.getdoc(spec.fn)
    if doc:
        return doc
    template = pick(spec.message_zh, spec.message_en, locale)
    return re.sub(r"\{(\w+)(?:[:!][^{}]*)?\}", lambda m: f"⟨{_field_word(m[1], locale)}⟩",
                  template)


def _field_word(name: str, locale: str) -> str:
    """A flags-table column in words (``schema.FLAGS`` labels); an unknown name as written."""
    try:
        column = schema.FLAGS.column(name)
    except KeyError:
        return name
    return pick(column.label_zh, column.label_en, locale)


def severity_text(spec: Check, locale: str) -> str:
    """The check's severity as a reader sees it; a statistical check's says when it is
    raised to critical."""
    text = pick(*SEVERITY_LABELS[spec.severity], locale)
    if spec.basis == "statistical":
        text += pick("（", " (", locale) + pick(*CORROBORATED, locale) + pick("）", ")", locale)
    return text


def check_explanation(check_id: str, cfg: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """Everything a reader needs to weigh the flags of check ``check_id``, in ``locale``.

    Keys: ``id``; ``title`` (in ``locale``), ``title_zh``, ``title_en``; ``family``,
    ``severity``, ``basis`` and ``scope`` as words; ``needs`` and ``uses`` (input names);
    ``rule`` (:func:`rule_text`); ``rationale`` (why it matters: the check's ``rationale_zh``
    or ``rationale``); ``source`` (as :func:`~workbench.sources.cite` gives it in ``locale``:
    in Chinese the sources by their Chinese names) and ``references`` (their full citations:
    in Chinese, those of documents written in Chinese in Chinese, other documents' as they
    are titled in their own language); ``thresholds``: one dict per config
    key the check reads, with ``key``, ``value`` (its text in ``cfg``) and ``description``
    (its meaning in ``locale``, :func:`~workbench.config_model.field_description`).
    """
    spec = checks.registry()[check_id]
    return {
        "id": spec.id, "title": pick(spec.title_zh, spec.title_en, locale),
        "title_zh": spec.title_zh, "title_en": spec.title_en,
        "family": pick(*FAMILY_LABELS[spec.family], locale),
        "severity": severity_text(spec, locale), "basis": pick(*BASES[spec.basis], locale),
        "scope": pick(*SCOPES[spec.scope], locale),
        "needs": spec.needs, "uses": spec.uses, "rule": rule_text(spec, locale),
        "rationale": pick(spec.rationale_zh, spec.rationale, locale),
        "source": cite(spec.source, locale),
        "references": [s.full(locale) for s in references(spec.source)],
        "thresholds": [{"key": key, "value": value_text(config_value(cfg, key)),
                        "description": field_description(key, locale)}
                       for key in spec.config_keys],
    }


def explanation_row(explanation: Mapping[str, Any], locale: str) -> dict[str, str]:
    """One row of a "checks used" table (keys of :data:`EXPLANATION_COLUMNS`): lists
    become lines of text."""
    e = explanation
    inputs = [f"{pick(*NEEDS, locale)}: {', '.join(e['needs'])}"] if e["needs"] else []
    if e["uses"]:
        inputs.append(f"{pick(*USES, locale)}: {', '.join(e['uses'])}")
    thresholds = [f"{t['key']} = {t['value']} — {t['description']}" for t in e["thresholds"]]
    return {"check_code": e["id"], "check_title": e["title"], "family": e["family"],
            "severity": e["severity"], "basis": e["basis"], "inputs": "\n".join(inputs),
            "rule": e["rule"], "rationale": e["rationale"],
            "source": "\n".join([e["source"], *e["references"]]),
            "thresholds": "\n".join(thresholds) or pick(*NO_THRESHOLDS, locale)}


def checks_named(check_ids: Iterable[str]) -> list[str]:
    """The registered checks among ``check_ids``, once each, in registry order."""
    wanted = set(check_ids)
    return [cid for cid in checks.registry() if cid in wanted]


def explanation_rows(check_ids: Iterable[str], cfg: Mapping[str, Any],
                     locale: str) -> list[dict[str, str]]:
    """The "checks used" rows of the registered checks among ``check_ids``."""
    return [explanation_row(check_explanation(cid, cfg, locale), locale)
            for cid in checks_named(check_ids)]


def checks_used_frame(check_ids: Iterable[str], cfg: Mapping[str, Any],
                      locale: str) -> pd.DataFrame:
    """The "checks used" table of ``check_ids`` with headers in ``locale`` (a workbook
    sheet)."""
    rows = explanation_rows(check_ids, cfg, locale)
    return pd.DataFrame(rows, columns=list(EXPLANATION_COLUMNS)).rename(
        columns={k: pick(*v, locale) for k, v in EXPLANATION_COLUMNS.items()})


def checks_used_html(check_ids: Iterable[str], cfg: Mapping[str, Any], locale: str) -> str:
    """The "checks used" table of ``check_ids`` as escaped HTML under bilingual headers
    (``locale`` first), the lines of a cell kept."""
    rows = explanation_rows(check_ids, cfg, locale)
    table = html_table(list(EXPLANATION_COLUMNS.values()),
                       [[r[k] for k in EXPLANATION_COLUMNS] for r in rows], locale,
                       "checks-used")
    return f'<div style="white-space: pre-line">{table}</div>'


# -- the document -------------------------------------------------------------------------------

INTRO = """# Screening checks (筛查检查项)

Generated by `python -m workbench.checks_doc > docs/checks.md` from the check registry
(`workbench/checks/`), the defaults of `workbench/defaults.toml`, the descriptions of
`workbench/config_model.py` and the bibliography of `workbench/sources.py`; do not edit by
hand.  {count} checks in {families} families.  The same explanations appear beside the flags
in the reviewer workbench and in the "checks used" tables of case reports and findings
exports, with the thresholds of the configuration in force there."""

SEVERITY_RULE = """## The severity rule (严重程度规则)

Severity follows the classes of EPA's e-GGRT: **critical** (material misstatement or broken
evidence: stop and review), **warning** (quality: implausible or inconsistent), **info**
(completeness and context).  A check's **basis** says what kind of evidence it gives:

* **rule** — the data break a rule by themselves: a formula identity that does not hold, an
  impossible date order, one lab result filed twice, a lab without accreditation, a missed
  deadline, a default filed as measured, a value outside what is physically possible.  Only
  rule checks may be critical on their own.
* **statistical** — an anomaly against what is usual (the unit's own history, peers,
  regression bands, digit tests).  Its flags are at most warnings.  The engine raises one to
  critical only when *independent* evidence on the same unit-month corroborates it: a
  critical flag of a rule check, or a warning of a statistical check of *another* family
  (the unit's own history and its peers are independent views; two time-series views of one
  series are not).  The raised flag names that evidence in `corroborated_by`
  (`workbench/corroboration.py`).  Flags about a whole population, an enterprise or a year
  are never raised.

A check may grade its own flags (a warning inside a wider band, critical outside it);
otherwise the severity listed below applies."""


def _cell(text: str) -> str:
    """``text`` fit for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(map(_cell, r)) + " |" for r in rows]


def _code_list(names: Sequence[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) or "—"


def _markdown(docstring: str) -> str:
    """A module docstring's body (after its summary line) as Markdown: ``code`` and Sphinx
    roles (:func:`name`) become `code`."""
    body = inspect.cleandoc(docstring).split("\n\n", 1)[1]
    body = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", body)
    return body.replace("``", "`")


def _rules(cfg: Mapping[str, Any]) -> list[str]:
    """The severity rule, how the risk score counts flags (the risk module's docstring) and
    the ``[risk]`` settings with their values in ``cfg``."""
    rows = [[f"`{key}`", f"`{value_text(config_value(cfg, key))}`", field.description or ""]
            for key, field in config_fields().items() if key.count(".") == 1
            and key.startswith("risk.")]
    return [SEVERITY_RULE, "", "## The risk score (风险分)", "", "From `workbench/risk.py`:",
            "", _markdown(risk.__doc__ or ""), "",
            *_md_table(["config key", "default", "meaning"], rows)]


def _check_section(check_id: str, cfg: Mapping[str, Any]) -> list[str]:
    """One check: its facts, rule, rationale, source and references, thresholds (rationale,
    source and meanings in English, then in Chinese)."""
    e = check_explanation(check_id, cfg, "en")
    zh = check_explanation(check_id, cfg, "zh-CN")
    out = [f"### `{e['id']}` — {e['title_zh']} / {e['title_en']}", ""]
    out += _md_table(["property", "value"], [["severity", e["severity"]], ["basis", e["basis"]],
                                ["scope", e["scope"]], ["needs", _code_list(e["needs"])],
                                ["uses", _code_list(e["uses"])]])
    out += ["", f"**Rule.** {e['rule']}", "", f"**Why it matters.** {e['rationale']}", "",
            f"**为何重要。** {zh['rationale']}", "", f"**Source.** {e['source']}", "",
            f"**来源。** {zh['source']}", ""]
    out += [f"- {r}" for r in e["references"]]
    out += [""]
    if e["thresholds"]:
        out += ["**Thresholds** (defaults):", ""]
        out += _md_table(["config key", "default", "meaning", "含义"],
                         [[f"`{t['key']}`", f"`{t['value']}`", t["description"],
                           z["description"]] for t, z in zip(e["thresholds"], zh["thresholds"],
                                                             strict=True)])
    else:
        out += ["**Thresholds:** none (a fixed rule)."]
    return out + [""]


def render(cfg: Mapping[str, Any] | None = None) -> str:
    """The whole document as Markdown, with the thresholds of ``cfg`` (default: the
    defaults of ``workbench/defaults.toml``)."""
    cfg = cfg if cfg is not None else default_config()
    registry = checks.registry()
    by_family = {f: [c for c in registry.values() if c.family == f] for f in FAMILIES}
    out = [INTRO.format(count=len(registry), families=len(FAMILIES)), "", *_rules(cfg), "",
           "## Checks by family (按类别)", ""]
    out += _md_table(["check", "标题", "title", "severity", "basis"],
                     [[f"`{c.id}`", c.title_zh, c.title_en, c.severity, c.basis]
                      for specs in by_family.values() for c in specs])
    for family, specs in by_family.items():
        zh, en = FAMILY_LABELS[family]
        out += ["", f"## {en} · {zh} (`{family}`)", ""]
        for spec in specs:
            out += _check_section(spec.id, cfg)
    out += ["## References (参考文献)", ""]
    out += [f"- **{s.label}**: {s.full()}" for s in BIBLIOGRAPHY.values()]
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"


if __name__ == "__main__":
    from workbench.generated_doc import main

    sys.exit(main(render, DOC_PATH, sys.argv[1:]))
