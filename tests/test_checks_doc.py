"""docs/checks.md is generated from the check registry and stays current; every check is
documented with its thresholds and their default values; every source cites what a reader
can open (no reference to research notes outside the repository)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import checks, checks_doc
from workbench.checks.registry import FAMILIES
from workbench.checks_doc import CORROBORATED, check_explanation, config_value, value_text
from workbench.i18n import pick
from workbench.sources import BIBLIOGRAPHY, NOTES_SECTIONS, cite, references

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "checks.md"
NOTES = re.compile(r"(domain|practices) notes|§")


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(doc) -> dict[str, str]:
    """Each check's section of the document, by check id."""
    parts = re.split(r"^### `([\w.]+)` — ", doc, flags=re.MULTILINE)
    return {cid: text.split("\n## ", 1)[0] for cid, text in zip(parts[1::2], parts[2::2],
                                                                 strict=True)}


def test_checks_doc_is_generated_from_the_registry(doc):
    assert doc == checks_doc.render(), (
        "docs/checks.md is stale: python -m workbench.checks_doc --write")


def test_the_command_prints_the_document(doc):
    out = subprocess.run([sys.executable, "-m", "workbench.checks_doc"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert out.stdout == doc


def test_every_check_is_documented_with_its_titles_and_facts(sections):
    registry = checks.registry()
    assert list(sections) == [c.id for f in FAMILIES for c in registry.values()
                              if c.family == f]
    for cid, spec in registry.items():
        text = sections[cid]
        assert text.startswith(f"{spec.title_zh} / {spec.title_en}\n"), cid
        for word in ("**Rule.**", "**Why it matters.**", "**Source.**", f"| basis | {spec.basis}",
                     spec.rationale, cite(spec.source)):
            assert word in text, (cid, word)
        for name in (*spec.needs, *spec.uses):
            assert f"`{name}`" in text, (cid, name)


def test_every_config_key_of_every_check_is_listed_with_its_default(sections):
    cfg = checks_doc.default_config()
    listed = 0
    for cid, spec in checks.registry().items():
        for key in spec.config_keys:
            row = f"| `{key}` | `{value_text(config_value(cfg, key))}` |"
            assert row in sections[cid], (cid, row)
            listed += 1
        if not spec.config_keys:
            assert "**Thresholds:** none (a fixed rule)." in sections[cid], cid
    assert listed >= 40


def test_thresholds_follow_the_configuration_given():
    cfg = checks_doc.default_config()
    cfg["checks"]["co2_recompute_rel_tol"] = 0.0123
    cfg["checks"]["bands"]["ncv_gj_per_t"]["coal"] = [15.5, 27.0]
    co2 = check_explanation("accounting.co2_recompute", cfg, "en")["thresholds"]
    assert co2[0]["key"] == "checks.co2_recompute_rel_tol" and co2[0]["value"] == "0.0123"
    assert co2[0]["description"].startswith("Relative tolerance")
    ncv = check_explanation("ranges.ncv_gj_per_t", cfg, "zh-CN")
    assert "coal = [15.5, 27.0]" in ncv["thresholds"][0]["value"]
    assert ncv["title"] == ncv["title_zh"] != ncv["title_en"]
    assert "| `checks.co2_recompute_rel_tol` | `0.0123` |" in checks_doc.render(cfg)


def test_statistical_checks_say_when_they_become_critical():
    for cid, spec in checks.registry().items():
        for locale in ("zh-CN", "en"):
            severity = check_explanation(cid, checks_doc.default_config(), locale)["severity"]
            said = pick(*CORROBORATED, locale) in severity
            assert said == (spec.basis == "statistical"), (cid, locale)


def test_rendered_citations_name_no_research_notes(doc):
    for cid, spec in checks.registry().items():
        cited = cite(spec.source)
        assert not NOTES.search(cited), (cid, cited)
        refs = references(spec.source)
        assert refs, f"{cid}: its source cites nothing of the bibliography: {cited!r}"
        assert all(not NOTES.search(r.full()) for r in refs), cid
    cited_lines = [line for line in doc.splitlines()
                   if line.startswith(("**Source.**", "- "))]
    assert cited_lines and not any(NOTES.search(line) for line in cited_lines)


def test_every_bibliography_entry_is_listed_and_named_by_its_label(doc):
    for key, source in BIBLIOGRAPHY.items():
        assert re.search(source.pattern, source.label), key
        assert f"- **{source.label}**: {source.full()}" in doc, key
    for key, primaries in NOTES_SECTIONS.items():
        assert set(primaries) <= set(BIBLIOGRAPHY), key


@pytest.mark.parametrize(("source", "cited"), [
    ("domain notes §7 checks 13 and 14", "MEE typical cases of 14 March 2022; EPA GHGRP"),
    ("GB/T 213; 环办气候函〔2022〕111号; domain notes §7 check 5",
     "GB/T 213; 环办气候函〔2022〕111号"),
    ("发电设施核算指南 formula; domain notes §7 check 1 (|Δ| > 0.5%)",
     "发电设施核算指南 formula (|Δ| > 0.5%)"),
    ("domain notes §3.1 (heat hidden) and §7 check 13 (heat-supply jumps)",
     "MEE typical cases of 14 March 2022 (heat hidden; heat-supply jumps)"),
    ("domain notes §1.4 (F = generation / (capacity × hours)) and §7 check 11",
     "发电设施核算指南 (F = generation / (capacity × hours)); 环办气候函〔2022〕111号"),
    ("IDEA last-digit tests; practices notes A.1", "IDEA last-digit tests; Nigrini (2012)"),
    ("环办气候函〔2022〕111号 (40 days after month end)",
     "环办气候函〔2022〕111号 (40 days after month end)"),
])
def test_cite_replaces_notes_by_the_primary_sources_once(source, cited):
    assert cite(source) == cited


def test_an_unmapped_section_of_the_notes_is_an_error():
    with pytest.raises(KeyError, match="NOTES_SECTIONS"):
        cite("domain notes §9.9")
