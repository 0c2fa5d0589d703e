"""One findings store for every role (issue 11 §1): the database is resolved once, to one
absolute location, whatever the working directory; a database that cannot be opened is
reported with the setting to fix; the dashboard refuses foreign ``Host`` headers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import _demo_config, main
from workbench.config import child_environment, load_config, user_data_dir
from workbench.dataset import Dataset

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "demo"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """No user config, the per-user data folder under ``tmp_path``, reviewer alice (江苏)."""
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("WORKBENCH_USER", "alice")
    return tmp_path


def _folder(base: Path, name: str) -> Path:
    path = base / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _url() -> str:
    return load_config()["general"]["database_url"]



def _dashboard_store(monkeypatch) -> dict:
    """Open the dashboard with its widget stood in by one that keeps the store it is given;
    returns ``{"store": ...}``."""
    from widgets import dashboard

    seen = {}

    class Captured:
        """Stands in for the dashboard widget: keeps the store it is given."""

        def __init__(self, _review, store, _locale):
            seen["store"] = store

        def follow_link(self, _query: str) -> None:
            """No page, no link."""

    monkeypatch.setattr(dashboard.ReviewData, "open", staticmethod(lambda *_a: None))
    monkeypatch.setattr(dashboard, "SupervisorDashboard", Captured)
    dashboard.open_dashboard(str(DEMO))
    return seen

def test_the_default_database_is_one_absolute_per_user_file(home, monkeypatch):
    expected = f"sqlite:///{(home / 'xdg' / 'carbon-audit-workbench').resolve()}/findings.sqlite"
    urls = set()
    for name in ("a", "b/c"):
        monkeypatch.chdir(_folder(home, name))
        urls.add(_url())
    assert urls == {expected}
    monkeypatch.setenv("XDG_DATA_HOME", "relative/xdg")       # ignored, as the XDG spec says
    assert user_data_dir() == Path.home() / ".local" / "share" / "carbon-audit-workbench"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert user_data_dir() == Path.home() / ".local" / "share" / "carbon-audit-workbench"


def test_a_relative_sqlite_path_resolves_against_the_file_that_names_it(home, monkeypatch):
    conf = _folder(home, "conf") / "wb.toml"
    conf.write_text('[general]\ndatabase_url = "sqlite:///data/f.sqlite?timeout=5"\n',
                    encoding="utf-8")
    monkeypatch.chdir(home)
    monkeypatch.setenv("WORKBENCH_CONFIG", "conf/wb.toml")    # relative: against the cwd
    expected = f"sqlite:///{(home / 'conf' / 'data' / 'f.sqlite').resolve()}?timeout=5"
    assert _url() == expected
    env = child_environment()
    assert env["WORKBENCH_CONFIG"] == str(conf)
    monkeypatch.chdir(_folder(home, "elsewhere"))             # a child in another folder
    monkeypatch.setenv("WORKBENCH_CONFIG", env["WORKBENCH_CONFIG"])
    assert _url() == expected


def test_a_local_workbench_toml_is_handed_to_children_by_absolute_path(home, monkeypatch):
    work = _folder(home, "work")
    (work / "workbench.toml").write_text('[general]\ndatabase_url = "sqlite:///mine.sqlite"\n',
                                         encoding="utf-8")
    monkeypatch.chdir(work)
    assert _url() == f"sqlite:///{(work / 'mine.sqlite').resolve()}"
    assert child_environment(WORKBENCH_DATASET="/d") == {
        **os.environ, "WORKBENCH_DATASET": "/d", "WORKBENCH_CONFIG": str(work / "workbench.toml")}


def test_absolute_memory_and_server_urls_are_left_alone(home, monkeypatch):
    from workbench.config import absolute_database_url

    for url in ("sqlite:////abs/f.sqlite", "sqlite://", "sqlite:///:memory:",
                "sqlite:///file:f.sqlite?uri=true", "postgresql://u@h/db"):
        assert absolute_database_url(url, home) == url


def test_reviewer_cli_and_dashboard_open_the_same_file_from_two_folders(home, monkeypatch):
    from workbench.findings import open_store

    monkeypatch.chdir(_folder(home, "reviewer"))
    cfg = load_config()
    cfg["findings"]["reviewer_provinces"] = {"alice": ["江苏"]}
    dataset = Dataset(DEMO)
    enterprise = sorted(dataset.read("enterprises")["enterprise_id"])[0]
    store = open_store(config=cfg)
    store.create({"enterprise_id": enterprise, "periods": ["2024-03"], "title": "一处问题",
                  "category": "carbon_content", "severity": "critical", "description": "",
                  "materiality_t": None, "recommended_action": "request_correction",
                  "due_date": None}, dataset)
    store.close()

    monkeypatch.chdir(_folder(home, "supervisor"))
    res = CliRunner().invoke(main, ["findings", "list", "--json"])
    assert res.exit_code == 0, res.output
    assert enterprise in res.output

    seen = _dashboard_store(monkeypatch)
    assert seen["store"].readonly
    assert [f.enterprise_id for f in seen["store"].list()] == [enterprise]
    assert seen["store"].engine.url.database.endswith(
        f"{(home / 'xdg' / 'carbon-audit-workbench').resolve()}/findings.sqlite")
    seen["store"].close()


def test_the_demo_and_the_dashboard_for_it_agree_on_the_database(home, monkeypatch):
    monkeypatch.chdir(home)
    demo_config = _demo_config(home / "runs" / "demo")
    monkeypatch.setenv("WORKBENCH_CONFIG", "runs/demo/workbench.toml")   # as `workbench demo`
    demo_url = _url()
    lab_env = child_environment(WORKBENCH_DATASET=str(DEMO))
    assert lab_env["WORKBENCH_CONFIG"] == str(demo_config)
    monkeypatch.chdir(ROOT / "notebooks")                      # where the kernels run
    monkeypatch.setenv("WORKBENCH_CONFIG", lab_env["WORKBENCH_CONFIG"])
    assert _url() == demo_url
    monkeypatch.delenv("WORKBENCH_CONFIG")                     # `workbench dashboard`, no config
    assert _url() == demo_url


@pytest.mark.parametrize(("content", "reason"), [
    ('database_url = "sqlite:///no/such/folder/f.sqlite"', "no/such/folder/f.sqlite"),
    ('database_url = "sqlite:///junk.sqlite"', "file is not a database"),
    ('database_url = "mysql://u@h/db"', "unsupported database"),
])
def test_a_wrong_database_names_the_setting_to_fix(home, monkeypatch, content, reason):
    conf = home / "wb.toml"
    conf.write_text(f"[general]\n{content}\n", encoding="utf-8")
    (home / "junk.sqlite").write_text("not a database", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(conf))
    for args in (["findings", "list"], ["findings", "verify"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 2, res.output
        assert "Traceback" not in res.output and reason in res.output
        assert f"general.database_url ({conf})" in res.output and "请检查设置" in res.output


def test_an_unreachable_server_names_the_setting_to_fix(home, monkeypatch):
    pytest.importorskip("psycopg")
    conf = home / "wb.toml"
    conf.write_text('[general]\ndatabase_url = "postgresql://nobody@127.0.0.1:1/db"\n',
                    encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(conf))
    res = CliRunner().invoke(main, ["findings", "list"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "cannot open the findings database" in res.output
    assert "general.database_url" in res.output


def test_the_dashboard_logs_the_setting_and_shows_no_path(home, monkeypatch, capsys):
    from widgets.labels import label

    conf = home / "wb.toml"
    conf.write_text('[general]\ndatabase_url = "sqlite:///missing.sqlite"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(conf))
    seen = _dashboard_store(monkeypatch)
    assert seen["store"] is None                       # the page shows its "unavailable" note
    log = capsys.readouterr().err
    assert "findings database unavailable" in log and "general.database_url" in log
    for locale in ("zh-CN", "en"):
        assert "/" not in label("dash_no_store", locale)


def _get(url: str, host: str) -> int:
    """The status of GET ``url`` sent with ``Host: host`` (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args, **_kwargs):
            return None

    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 - http only
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_dashboard_refuses_a_foreign_host_header(home, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = tmp_path / "wb.toml"
    conf.write_text('[dashboard]\nallowed_hosts = ["audit.example.org"]\n', encoding="utf-8")
    results = _folder(tmp_path, "results")    # the page is refused before it reads results
    env = dict(os.environ, WORKBENCH_CONFIG=str(conf), XDG_DATA_HOME=str(home / "xdg"))
    log = (tmp_path / "voila.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "dashboard", str(DEMO), "--results", str(results),
         f"--port={port}", "--pool-size=0", "--no-browser"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "voila.log").read_text(errors="replace")
            try:
                _get(base + "login", f"127.0.0.1:{port}")
                break
            except OSError:
                assert time.monotonic() < deadline, "voila did not answer in time"
                time.sleep(0.3)
        assert _get(base, f"127.0.0.1:{port}") == 200
        assert _get(base + "login", f"localhost:{port}") != 403
        assert _get(base + "login", f"audit.example.org:{port}") != 403
        for host in ("evil.example", f"evil.example:{port}", "audit.example.org.evil.example"):
            assert _get(base, host) == 403, host
            assert _get(base + "login", host) == 403, host
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.parametrize("host", ["audit.example.org:8866", "http://audit.example.org", "", "a b"])
def test_an_allowed_host_is_a_bare_host_name(home, monkeypatch, host):
    from workbench.config import ConfigError

    conf = home / f"hosts-{abs(hash(host))}.toml"
    conf.write_text(f'[dashboard]\nallowed_hosts = ["{host}"]\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(conf))
    with pytest.raises(ConfigError, match="dashboard.allowed_hosts"):
        load_config()
