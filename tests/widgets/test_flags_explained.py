"""The flags panel explains each check (rule, why it matters, source, thresholds with their
values, escaped, in the panel's language), and the reviewer app shows check titles, never raw
ids, also in a fresh process that reuses cached screening results."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from widgets.flags import FlagsPanel, explanation_html
from workbench import checks
from workbench.checks.registry import REGISTRY
from workbench.checks_doc import check_explanation
from workbench.i18n import pick
from workbench.labels import FAMILIES as FAMILY_LABELS
from workbench.review import ReviewData, cached_results

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>"

#: Run in a fresh interpreter: open the app on the cached results (screening is refused), visit
#: every enterprise with flags in both languages, the peers tab in between, and print what
#: the flags panel shows: the check cell of each flag row, the group titles, the explained
#: checks.
FRESH = '''
import json, re, sys
import workbench.screen

def refuse(*args, **kwargs):
    raise SystemExit("screened: the cached results were not reused")

workbench.screen.screen = refuse
from widgets.apps import ReviewerApp
from workbench.review import ReviewData

review = ReviewData.open(sys.argv[1], sys.argv[2])
flagged = [e for e in review.enterprise_list()["enterprise_id"] if len(review.flags_of(e))]
shown = {}
for locale in ("zh-CN", "en"):
    app = ReviewerApp(review, locale)
    app._w_tabs.selected_index = 2                  # the peers tab draws its figures
    for ent in flagged:
        app.value = ent
        groups = app.flags._w_groups
        rows = [re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", child.value)
                for child in groups.children]
        shown[f"{locale}|{ent}"] = {
            "rows": [cell for group in rows for cell in group],
            "groups": [groups.get_title(i) for i in range(len(groups.children))],
            "explained": re.findall(r'data-check="([^"]+)"', "".join(
                child.value for child in groups.children)),
            "picked": re.findall(r'data-check="([^"]+)"', app.flags._w_explain.value)}
print(json.dumps(shown, ensure_ascii=False))
'''


@pytest.fixture(scope="module")
def review(demo_dir) -> ReviewData:
    """The demo with its screening results, cached under the dataset by this process."""
    return ReviewData.open(demo_dir)


def _explained_check(review: ReviewData) -> tuple[str, int]:
    """An enterprise and the position of its first flag of a check with thresholds."""
    with_keys = {c.id for c in checks.registry().values() if len(c.config_keys) >= 2}
    for ent in review.enterprise_list()["enterprise_id"]:
        flags = review.flags_of(ent)
        hits = [i for i, cid in enumerate(flags["check_id"]) if cid in with_keys]
        if hits:
            return ent, hits[0]
    raise AssertionError("no flag of a check with two thresholds in the demo")


def test_the_selected_flag_shows_rule_rationale_source_and_thresholds(review):
    ent, i = _explained_check(review)
    panel = FlagsPanel(review, "en")
    panel.show_enterprise(ent)
    panel.select(i)
    cid = panel.value["check_id"].iloc[i]
    box = panel._w_explain.value
    e = check_explanation(cid, review.cfg, "en")
    assert f'data-check="{cid}"' in box and " open>" in box
    for text in ("Rule", "Why it matters", "Source", e["rule"], e["rationale"], e["source"],
                 *e["references"]):
        assert html.escape(text) in box, text
    for t in e["thresholds"]:
        assert (f"<tr><td><code>{t['key']}</code></td><td>{html.escape(t['value'])}</td>"
                in box), t
    panel.set_locale("zh-CN")
    assert "为何重要" in panel._w_explain.value and "当前取值" in panel._w_explain.value
    assert html.escape(check_explanation(cid, review.cfg, "zh-CN")["title"]) in \
        panel._w_explain.value


def test_each_group_explains_each_of_its_checks(review):
    ent, _ = _explained_check(review)
    panel = FlagsPanel(review)
    panel.show_enterprise(ent)
    flags = panel.value
    for child in panel._w_groups.children:
        named = set(re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", child.value))
        explained = re.findall(r'data-check="([^"]+)"', child.value)
        assert explained and len(explained) == len(set(explained))
        assert {html.escape(REGISTRY[c].title_zh) for c in explained} == named
    assert sorted(set(flags["check_id"])) == sorted(
        c for child in panel._w_groups.children
        for c in re.findall(r'data-check="([^"]+)"', child.value))


def test_a_check_the_registry_does_not_know_is_shown_by_its_id(review, monkeypatch):
    ent, _ = _explained_check(review)
    flags = review.flags_of(ent).assign(check_id="accounting.retired_check")
    monkeypatch.setattr(review, "flags_of", lambda _enterprise: flags)
    panel = FlagsPanel(review)
    panel.show_enterprise(ent)
    assert panel._w_explain.value == ""
    assert "<td>accounting.retired_check</td>" in panel._w_groups.children[0].value
    assert "data-check" not in panel._w_groups.children[0].value


def test_the_explanation_is_escaped(review, monkeypatch):
    spec = checks.registry()["accounting.co2_recompute"]
    monkeypatch.setitem(REGISTRY, spec.id, dataclasses.replace(
        spec, rationale=HOSTILE, title_en=HOSTILE, source=f"GB/T 213 {HOSTILE}"))
    out = explanation_html(spec.id, review.cfg, "en")
    assert "<script>" not in out and out.count("&lt;script&gt;") == 3


def test_a_fresh_process_on_cached_results_shows_every_check_by_its_title(review, demo_dir):
    # The cache folder is named by a hash of the check code, so it is passed explicitly: the
    # subprocess must read exactly the results this process screened and compares with.
    folder = cached_results(review.ds, review.cfg)
    review = ReviewData.open(demo_dir, folder)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", FRESH, str(demo_dir), str(folder)],
                         capture_output=True, text=True, cwd=ROOT, env=env, check=False,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    shown = json.loads(out.stdout)
    registry = checks.registry()
    flagged = [e for e in review.enterprise_list()["enterprise_id"] if len(review.flags_of(e))]
    assert flagged and len(shown) == 2 * len(flagged)
    for locale in ("zh-CN", "en"):
        for ent in flagged:
            flags = review.flags_of(ent)
            got = shown[f"{locale}|{ent}"]
            present = set(flags["check_id"].str.split(".").str[0])
            families = [f for f in FAMILY_LABELS if f in present]
            expected = [html.escape(pick(registry[c].title_zh, registry[c].title_en, locale))
                        for f in families for c in flags["check_id"] if c.startswith(f + ".")]
            assert got["rows"] == expected, (locale, ent)
            assert not set(got["rows"]) & set(registry), "a raw check id is shown"
            assert [g.split(" (")[0] for g in got["groups"]] == [
                pick(*FAMILY_LABELS[f], locale) for f in families]
            assert sorted(got["explained"]) == sorted(set(flags["check_id"]))
            assert got["picked"] == [flags["check_id"].iloc[0]]
