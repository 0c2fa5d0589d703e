"""Chinese-first: walk every widget of the reviewer app in 中文 mode and fail on text a
reader sees that is English — labels, options, tab titles, table headers and buttons
(codes, units, identifiers and numbers are fine)."""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest

from widgets.apps import ReviewerApp
from workbench.config import load_config
from workbench.findings import open_store
from workbench.review import ReviewData

#: Latin words a Chinese screen may show: units, chemical and unit symbols, standards,
#: abbreviations Chinese reviewers use as they are.
ALLOWED = {"MW", "MWh", "GJ", "tCO2", "CO2", "tC", "kWh", "Nm3", "UTC", "XLSX", "CSV",
           "CMA", "CNAS", "NCV", "C_ar", "GB", "ID", "CHP", "SHA", "pp", "gce",
           "English"}     # the language switch names the other language in it
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


def _texts(widget) -> list[tuple[str, str]]:
    """(where, text) of everything a reader sees in ``widget`` and its children."""
    out = []
    for name in ("description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and value:
            out.append((f"{type(widget).__name__}.{name}", value))
    if isinstance(widget, w.HTML | w.Label) and widget.value:
        shown = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", widget.value, flags=re.S)
        heads = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", shown, flags=re.S)
        out += [("th", html.unescape(re.sub("<[^>]+>", "", h))) for h in heads]
        for tag in ("summary", "b", "button", "label"):
            out += [(tag, html.unescape(re.sub("<[^>]+>", "", t)))
                    for t in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", shown, flags=re.S)]
    options = getattr(widget, "_options_labels", None)
    if options:
        out += [(f"{type(widget).__name__}.option", o) for o in options[:20]]
    if isinstance(widget, w.Tab):
        out += [("tab", t) for t in widget.titles if t]
    for child in getattr(widget, "children", ()) or ():
        out += _texts(child)
    return out


def _english(text: str) -> list[str]:
    """The Latin words of ``text`` that are not allowed, ignoring codes and identifiers
    (anything holding digits, dots, hyphens or underscores between letters is an ID)."""
    words = []
    for token in re.split(r"[\s,，、;；:：()（）·/|\[\]<>=+]+", text):
        if not token or re.search(r"\d", token) or token in ALLOWED:
            continue
        words += [m for m in WORD.findall(token) if m not in ALLOWED and "_" not in token
                  and "." not in token and "-" not in token]
    return words


@pytest.fixture(scope="module")
def app(demo_dir, tmp_path_factory):
    review = ReviewData.open(demo_dir)
    cfg = load_config()
    cfg["findings"]["reviewer_provinces"] = {"alice": ["江苏"]}
    url = f"sqlite:///{tmp_path_factory.mktemp('zh') / 'findings.sqlite'}"
    store = open_store(url, config=cfg, actor="alice")
    a = ReviewerApp(review, "zh-CN", store=store)
    a.form.fill(evidence=[0], title="碳含量偏低", category="carbon_content",
                severity="critical", description="说明")
    a.form._w_save.click()                  # a finding, so its list and history show
    a.findings.choose(a.form.value.id)
    a.flags.dispose(0, "false_positive", "已更正")
    for key in a._tab_keys:                 # draw every tab
        a._w_tabs.selected_index = a._tab_keys.index(key)
    return a


def test_every_label_of_the_reviewer_app_reads_in_chinese(app):
    people = {app.form._store.actor}         # names of people are not English text
    found = [(where, text, [w for w in _english(text) if w not in people])
             for where, text in _texts(app.widget)]
    english = [(where, text) for where, text, words in found if words]
    assert not english, "\n".join(f"{where}: {text!r}" for where, text in english[:40])


def test_every_label_of_the_dashboard_reads_in_chinese(app, demo_dir):
    from widgets.dashboard import TABS, SupervisorDashboard

    store = app.form._store
    reader = open_store(str(store.engine.url), readonly=True, config=load_config())
    dash = SupervisorDashboard(app.review, reader, "zh-CN")
    for i, _ in enumerate(TABS):                # draw every tab
        dash._w_tabs.selected_index = i
    dash.open_enterprise(app.value)
    people = {store.actor}
    found = [(where, text, [w for w in _english(text) if w not in people])
             for where, text in _texts(dash.widget)]
    english = [(where, text) for where, text, words in found if words]
    assert not english, "\n".join(f"{where}: {text!r}" for where, text in english[:40])
