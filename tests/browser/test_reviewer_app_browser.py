"""``workbench lab`` as a new user meets it (issue 12 §1), in headless Chromium: the last
line printed is the address with the port really used (the requested one is busy here)
and the token; the reviewer lands in the running app with its code hidden, sees whose
data it is (the header card), saves a finding through the form and records a flag's
disposition; JupyterLab behind it speaks Chinese; the tracked notebook is unchanged and
the session wrote only to its working copy.  Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from grid_ui import exported
from voila_server import chromium, chromium_path

from workbench.findings import open_store
from workbench.review import ReviewData

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.xdist_group("browser"),
              pytest.mark.skipif(chromium_path() is None,
                                 reason="no chromium on PATH (scripts/setup.sh test installs it)")]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
TRACKED = ROOT / "notebooks" / "reviewer_workbench.ipynb"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, demo_dir):
    """``workbench lab`` on the demo with a reviewer for 江苏 and a findings file of its own;
    the requested port is held busy.  Yields (app URL, working folder, database URL)."""
    tmp = tmp_path_factory.mktemp("lab")
    db = f"sqlite:///{tmp / 'findings.sqlite'}"
    config = tmp / "workbench.toml"
    config.write_text(f'[general]\nreviewer = "wang"\ndatabase_url = "{db}"\n'
                      '[findings]\nreviewer_provinces = { wang = ["江苏"] }\n', encoding="utf-8")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    workdir = tmp / "work"
    env = dict(os.environ, WORKBENCH_CONFIG=str(config))
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "lab", str(demo_dir), "--no-browser",
         f"--port={port}", f"--workdir={workdir}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        lines.append(line)
        if "reviewer workbench: http" in line:
            break
    try:
        assert lines and "reviewer workbench: http" in lines[-1], "".join(lines)
        url = lines[-1].split(": ", 1)[1].strip()
        yield url, port, workdir, db
    finally:
        proc.terminate()
        proc.wait(30)
        busy.close()
    base = url.split("/voila/")[0]
    deadline = time.monotonic() + 30                 # JupyterLab went with the command
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/status", timeout=2).close()  # noqa: S310
        except urllib.error.HTTPError:
            pass
        except OSError:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("JupyterLab still answers after `workbench lab` was terminated")


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_the_last_line_names_the_port_in_use_and_the_token(lab):
    url, busy_port, _, _ = lab
    m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/voila/render/reviewer_workbench\.ipynb"
                     r"\?token=([0-9a-f]{48})", url)
    assert m, url
    assert int(m.group(1)) != busy_port


def top_enterprise(dataset: Path) -> str:
    """The enterprise the app opens on: the first of the ranking."""
    return ReviewData.open(dataset).risk.sort_values("rank")["enterprise_id"].iloc[0]


def test_the_reviewer_lands_in_the_app_and_saves_without_touching_the_notebook(lab, browser,
                                                                              demo_dir):
    url, _, workdir, db = lab
    before = _digest(TRACKED)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(url)
    card = page.locator(".wb-card").first
    card.wait_for()
    assert page.locator(".jp-InputArea-editor").count() == 0        # no code on screen
    assert "风险排名 1/" in card.inner_text()
    page.screenshot(path=ARTIFACTS / "reviewer_app.png")

    page.get_by_role("button", name="记录处理").click()               # 已核实, the first flag
    playwright.expect(page.get_by_text("已保存").first).to_be_visible()
    playwright.expect(card).to_contain_text("已处理 1 条")

    # "查看记录": the record the chosen (first) flag points at opens, on its grid's first row
    flag = ReviewData.open(demo_dir).flags_of(top_enterprise(demo_dir)).iloc[0]
    page.get_by_role("button", name="查看记录").click()
    pinned = page.locator(".wb-grid", has=page.locator("p.wb-pinned")).filter(visible=True)
    playwright.expect(pinned.locator(".wb-pinned")).to_contain_text("已置于首行并选中")
    playwright.expect(pinned.locator(".lm-DataGrid")).to_be_visible()
    first = exported(page, pinned).iloc[0]
    assert flag["period"] in {str(first.get("期间")), str(first.get("所属月份"))}, first
    page.screenshot(path=ARTIFACTS / "reviewer_app_jump.png")

    page.get_by_text("填报历史", exact=True).first.click()
    page.get_by_text("检测报告", exact=True).first.click()
    grid = page.locator(".lm-DataGrid:visible").first       # the lab reports as a grid
    grid.wait_for()
    assert grid.bounding_box()["height"] > 100
    page.screenshot(path=ARTIFACTS / "reviewer_app_lab_grid.png")

    page.get_by_text("问题记录", exact=True).first.click()
    page.locator(".widget-select-multiple", has_text="证据").locator("select").select_option(
        index=0)
    page.locator(".widget-text", has_text="标题").locator("input").fill("浏览器中保存的问题")
    for name, choice in (("类别", "元素碳含量"), ("严重程度", "严重")):
        page.locator(".widget-dropdown:visible", has_text=name).first.locator(
            "select").select_option(label=choice)
    page.get_by_role("button", name="保存问题").click()
    playwright.expect(card).to_contain_text("待处理 1")
    page.screenshot(path=ARTIFACTS / "reviewer_app_saved.png", full_page=True)
    page.close()

    store = open_store(db, readonly=True)
    assert [f.title for f in store.list()] == ["浏览器中保存的问题"]
    assert [d.disposition for d in store.dispositions()] == ["verified"]
    assert store.verify().ok
    assert _digest(TRACKED) == before
    assert (workdir / "reviewer_workbench.ipynb").is_file()


def test_jupyterlab_behind_the_app_speaks_chinese(lab, browser):
    url, _, _, _ = lab
    base, token = url.split("/voila/")[0], url.split("token=")[1]
    page = browser.new_page(locale="zh-CN")
    page.set_default_timeout(120_000)
    page.goto(f"{base}/lab?token={token}")
    playwright.expect(page.locator(".lm-MenuBar-itemLabel", has_text="文件").first
                      ).to_be_visible()
    page.screenshot(path=ARTIFACTS / "jupyterlab_zh.png")
    page.close()
