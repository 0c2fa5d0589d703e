"""End to end through JupyterHub in headless Chromium (issue 11 §3): two reviewers of
different provinces and a supervisor log in with their OS passwords; the 江苏 reviewer
writes a finding from their own kernel (running as their OS user, connected to
PostgreSQL as their own role by peer authentication); the 浙江 reviewer's write for a
江苏 enterprise is refused with the database's zh/en reason, also after forging an
identity in the kernel; the supervisor cannot start a server and sees the finding on the
read-only dashboard service.  Screenshots and the Hub's log go to test-artifacts/e2e/.

Needs root (it creates OS users and the Hub spawns servers as them).  CI runs it
(``WORKBENCH_E2E=required`` makes a missing prerequisite a failure, not a skip).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
REQUIRED = os.environ.get("WORKBENCH_E2E") == "required"


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "needs root (creates OS users; the Hub spawns servers as them)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "no chromium on PATH"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "PostgreSQL is not installed"
    if not Path("/usr/bin/python3").exists() or not shutil.which("npm"):
        return "Debian's python3 and npm are needed"
    return None


if _missing() and REQUIRED:
    raise RuntimeError(f"WORKBENCH_E2E=required but: {_missing()}")
pytestmark = [pytest.mark.skipif(_missing() is not None, reason=str(_missing())),
              pytest.mark.xdist_group("e2e"), pytest.mark.slow]

from grid_ui import exported  # noqa: E402
from hub import PASSWORD, REVIEWER_JS, REVIEWER_ZJ, SUPERVISOR, deployment  # noqa: E402

from widgets.labels import LABELS  # noqa: E402

#: JavaScript run in a user's JupyterLab page: start a kernel through the server's REST
#: API with the page's own login, execute ``code`` over the kernel websocket, return what
#: it printed.
RUN_IN_KERNEL = """
async ([base, code]) => {
  const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1];
  const headers = {"Content-Type": "application/json"};
  if (xsrf) headers["X-XSRFToken"] = decodeURIComponent(xsrf);
  const r = await fetch(base + "api/kernels", {method: "POST", headers,
                                                body: JSON.stringify({name: "python3"})});
  if (!r.ok) return "HTTP " + r.status + " " + await r.text();
  const kernel = await r.json();
  const ws = new WebSocket(location.origin.replace(/^http/, "ws") + base + "api/kernels/"
                           + kernel.id + "/channels");
  const id = "e2e-" + Math.random().toString(16).slice(2);
  return await new Promise((resolve) => {
    let out = "";
    ws.onopen = () => ws.send(JSON.stringify({
      header: {msg_id: id, username: "", session: id, msg_type: "execute_request",
               version: "5.3", date: new Date().toISOString()},
      parent_header: {}, metadata: {}, channel: "shell", buffers: [],
      content: {code, silent: false, store_history: false, user_expressions: {},
                allow_stdin: false, stop_on_error: true}}));
    ws.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (!m.parent_header || m.parent_header.msg_id !== id) return;
      if (m.msg_type === "stream") out += m.content.text;
      if (m.msg_type === "error") out += "ERROR " + m.content.ename + ": " + m.content.evalue;
      if (m.msg_type === "status" && m.content.execution_state === "idle") {
        ws.close(); resolve(out);
      }
    };
  });
}
"""

WRITE = """
import json, os
from workbench.dataset import Dataset
from workbench.findings import FindingsError, open_store
from workbench.findings.identity import Authority
ds = Dataset(os.environ["WORKBENCH_DATASET"])
store = open_store()
enterprise = sorted(ds.read("enterprises")["enterprise_id"])[0]
draft = {"enterprise_id": enterprise, "periods": ["2024-03"], "title": TITLE,
         "category": "lab_evidence", "severity": "warning", "description": "端到端测试"}
out = {"actor": store.actor, "secured": store.secured}
try:
    f = store.create(draft, ds)
    out["created"] = {"id": f.id, "by": f.created_by}
except FindingsError as exc:
    out["refused"] = [exc.messages("zh-CN"), exc.messages("en")]
    store.authority = Authority("nat", frozenset({"*"}), "config")   # forged in the kernel
    try:
        store.create(draft, ds)
        out["forged"] = "accepted"
    except FindingsError as again:
        out["forged"] = [again.messages("zh-CN"), again.messages("en")]
print(json.dumps(out, ensure_ascii=False))
"""

TITLE = "E2E 煤样复检结果不一致"


@pytest.fixture(scope="session")
def hub():
    """One deployment for the worker's session."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with deployment(ARTIFACTS) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("playwright.sync_api")
    from voila_server import chromium

    with chromium() as b:
        yield b


playwright_errors = pytest.importorskip("playwright.sync_api")


def _login(browser, hub: str, user: str):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(180_000)
    page.goto(hub + "/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url("**/hub/home**")
    return context, page


def _kernel_run(browser, hub: str, user: str) -> dict:
    context, page = _login(browser, hub, user)
    page.goto(hub + "/hub/spawn")
    page.wait_for_url(f"**/user/{user}/lab/**")
    page.locator("#jp-main-dock-panel").wait_for()
    page.screenshot(path=ARTIFACTS / f"{user}-lab.png")
    printed = page.evaluate(RUN_IN_KERNEL, [f"/user/{user}/", f"TITLE = {TITLE!r}\n{WRITE}"])
    context.close()
    assert printed.strip().startswith("{"), printed
    return json.loads(printed.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def writes(hub, browser) -> dict:
    """Each reviewer's attempt to write the finding, from their own kernel.  A fixture, so
    the supervisor's test has the finding on its own worker's hub however xdist places the
    tests (it placed them apart, each worker with a fresh deployment)."""
    return {user: _kernel_run(browser, hub, user) for user in (REVIEWER_JS, REVIEWER_ZJ)}


def test_reviewers_write_as_themselves_and_the_database_refuses_the_other_province(writes):
    jiangsu = writes[REVIEWER_JS]
    assert jiangsu["secured"] and jiangsu["actor"] == REVIEWER_JS
    assert jiangsu["created"]["by"] == REVIEWER_JS
    zhejiang = writes[REVIEWER_ZJ]
    assert zhejiang["actor"] == REVIEWER_ZJ and "created" not in zhejiang
    (zh,), (en,) = zhejiang["refused"]
    assert "未被分配省份 江苏" in zh and "not assigned to province 江苏" in en
    (zh,), (en,) = zhejiang["forged"]             # the database's own words
    assert f"{REVIEWER_ZJ} 未被分配省份 江苏" in zh
    assert f"role {REVIEWER_ZJ} is not assigned to province 江苏" in en


def test_the_supervisor_has_no_server_and_sees_the_finding_read_only(hub, browser, writes):
    assert "created" in writes[REVIEWER_JS]            # the finding the supervisor must see
    context, page = _login(browser, hub, SUPERVISOR)
    response = page.goto(hub + "/hub/spawn")
    assert response.status == 403
    page.screenshot(path=ARTIFACTS / "supervisor-spawn-refused.png")
    for attempt in range(6):      # the service's Voilà may still be starting its kernels
        page.goto(hub + "/services/dashboard/")
        try:
            page.locator(".wb-kpi").first.wait_for(timeout=60_000)
            break
        except playwright_errors.TimeoutError:
            assert attempt < 5, page.content()[:2000]
    assert page.locator(".wb-kpi").count() == 6
    assert page.locator("textarea").count() == 0
    tabs = page.locator(".wb-dash-tabs .lm-TabBar-tab")
    tabs.filter(has_text=LABELS["dash_findings"][0]).click()
    page.locator(".wb-dash-tabs .lm-TabBar-tab.lm-mod-current",
                 has_text=LABELS["dash_findings"][0]).wait_for()   # its tab is open
    findings = page.locator(".wb-grid-findings_list")
    findings.locator(".lm-DataGrid").wait_for()
    assert TITLE in list(exported(page, findings)["问题标题"])
    page.screenshot(path=ARTIFACTS / "supervisor-dashboard.png", full_page=True)
    context.close()
