"""docs/checks.md is generated from the check registry and stays current; every check is
documented with its thresholds and their default values; every source cites what a reader
can open (no reference to research notes outside the repository)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench import checks, checks_doc
from workbench.checks.registry import FAMILIES, Check
from workbench.checks_doc import CORROBORATED, check_explanation, config_value, value_text
from workbench.config_model import DESCRIPTIONS_ZH, config_key_exists
from workbench.i18n import pick
from workbench.sources import BIBLIOGRAPHY, NOTES_SECTIONS, cite, references

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "checks.md"
NOTES = re.compile(r"(domain|practices|sector) notes|§")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(doc) -> dict[str, str]:
    """Each check's section of the document, by check id."""
    parts = re.split(r"^### `([\w.]+)` — ", doc, flags=re.MULTILINE)
    return {cid: text.split("\n## ", 1)[0] for cid, text in zip(parts[1::2], parts[2::2],
                                                                 strict=True)}


def test_every_check_is_documented_with_its_titles_and_facts(sections):
    registry = checks.registry()
    assert list(sections) == [c.id for f in FAMILIES for c in registry.values()
                              if c.family == f]
    for cid, spec in registry.items():
        text = sections[cid]
        assert text.startswith(f"{spec.title_zh} / {spec.title_en}\n"), cid
        for word in ("**Rule.**", "**Why it matters.**", "**Source.**", f"| basis | {spec.basis}",
                     spec.rationale, cite(spec.source), f"**为何重要。** {spec.rationale_zh}",
                     f"**来源。** {cite(spec.source, 'zh-CN')}"):
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
        assert CJK.search(source.label_in("zh-CN")), key
        if CJK.search(source.citation):       # a document written in Chinese is cited in Chinese
            assert CJK.search(source.citation_zh), key
            assert source.full("zh-CN").endswith(source.url), key
        else:                                 # others as they are titled
            assert not source.citation_zh and source.full("zh-CN") == source.full(), key
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


def test_every_check_says_why_it_matters_in_chinese():
    for cid, spec in checks.registry().items():
        zh = spec.rationale_zh
        assert CJK.search(zh) and zh != spec.rationale, cid
        assert len(CJK.findall(zh)) >= 10, (cid, zh)
        assert not re.search(r"TODO|FIXME|XXX|待翻译", zh), (cid, zh)


def test_the_registry_refuses_a_check_without_a_chinese_rationale():
    spec = dict(id="x.y", family="ranges", severity="warning", title_zh="标题", title_en="t",
                message_zh="", message_en="", needs=(), rationale="Why.", source="GB/T 213",
                fn=lambda x, cfg: None)
    for missing in ({}, {"rationale_zh": ""}, {"rationale_zh": "Why it matters."}):
        with pytest.raises(ValueError, match="rationale_zh"):
            Check(**spec, **missing)
    assert Check(**spec, rationale_zh="为何重要。").rationale_zh == "为何重要。"


def test_every_threshold_a_check_reads_has_a_chinese_meaning():
    keys = {k for spec in checks.registry().values() for k in spec.config_keys}
    assert keys <= set(DESCRIPTIONS_ZH), sorted(keys - set(DESCRIPTIONS_ZH))
    assert all(config_key_exists(k) for k in DESCRIPTIONS_ZH), "DESCRIPTIONS_ZH names no key"
    for key, text in DESCRIPTIONS_ZH.items():
        assert CJK.search(text) and not re.search(r"TODO|FIXME|待翻译", text), key


def test_in_chinese_every_explanation_field_reads_in_chinese():
    cfg = checks_doc.default_config()
    for cid in checks.registry():
        zh = check_explanation(cid, cfg, "zh-CN")
        en = check_explanation(cid, cfg, "en")
        for key in ("title", "family", "severity", "basis", "scope", "rule", "rationale",
                    "source"):
            assert CJK.search(zh[key]), (cid, key, zh[key])
        assert zh["rationale"] != en["rationale"], cid
        refs = references(checks.registry()[cid].source)
        assert en["references"] == [r.full() for r in refs], cid
        assert zh["references"] == [r.full("zh-CN") for r in refs], cid
        for ref, text in zip(refs, zh["references"], strict=True):
            # Chinese documents cited in Chinese; others as titled in their own language
            assert text.startswith(ref.citation_zh or ref.citation), (cid, ref.label)
        for z, e in zip(zh["thresholds"], en["thresholds"], strict=True):
            assert z["key"] == e["key"] and z["value"] == e["value"], cid
            assert CJK.search(z["description"]) and z["description"] != e["description"], (
                cid, z["key"])
            assert z["description"] == DESCRIPTIONS_ZH[z["key"]]


@pytest.mark.parametrize(("source", "cited"), [
    ("发电设施核算指南 formula; domain notes §7 check 1 (|Δ| > 0.5%)",
     "发电设施核算指南（|Δ| > 0.5%）"),
    ("MEE typical cases 2022 (中碳能投, 辽宁东煤); domain notes §7 check 6",
     "生态环境部2022年3月14日公开的碳排放报告数据弄虚作假典型问题案例（中碳能投、辽宁东煤）；"
     "环办气候函〔2022〕111号"),
    ("domain notes §3.1 (heat hidden, 中碳能投) and §7 check 13 (heat-supply jumps)",
     "生态环境部2022年3月14日公开的碳排放报告数据弄虚作假典型问题案例"),
    ("GB/T 213; 环办气候函〔2022〕111号; domain notes §7 check 5",
     "GB/T 213《煤的发热量测定方法》；环办气候函〔2022〕111号"),
])
def test_cite_in_chinese_names_the_sources_by_their_chinese_titles(source, cited):
    assert cite(source, "zh-CN") == cited
    assert {s.label for s in references(source)} == {
        s.label for s in BIBLIOGRAPHY.values() if s.label_in("zh-CN") in cited}
