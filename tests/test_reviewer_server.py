"""Serving the reviewer app: the working copy, the port, JupyterLab's settings, the
picker's reasons in words."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

from workbench.reviewer_server import app_url, free_port, lab_settings, working_copy
from workbench.tables import reasons_text

TRACKED = Path(__file__).resolve().parents[1] / "notebooks" / "reviewer_workbench.ipynb"


def test_the_working_copy_keeps_outputs_and_is_renewed_when_the_code_changes(tmp_path):
    tracked = tmp_path / "tracked" / "reviewer_workbench.ipynb"
    tracked.parent.mkdir()
    shutil.copyfile(TRACKED, tracked)
    copy = working_copy(tracked, tmp_path / "work")
    assert copy.read_bytes() == tracked.read_bytes()
    nb = json.loads(copy.read_text(encoding="utf-8"))
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    copy.write_text(json.dumps(nb), encoding="utf-8")             # an autosave: kept
    assert working_copy(tracked, tmp_path / "work").read_text(encoding="utf-8") == json.dumps(nb)
    changed = json.loads(tracked.read_text(encoding="utf-8"))
    changed["cells"][1]["source"] = ["print('new code')\n"]
    tracked.write_text(json.dumps(changed), encoding="utf-8")     # new code: renewed
    renewed = working_copy(tracked, tmp_path / "work")
    assert renewed.read_bytes() == tracked.read_bytes()
    kept = [p for p in (tmp_path / "work").glob("reviewer_workbench.*.ipynb")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == json.dumps(nb)


def test_a_busy_port_is_skipped(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert free_port(port) != port
    assert "token=abc" in app_url(8888, "reviewer_workbench.ipynb", "abc")


def test_jupyterlab_settings_choose_the_language_and_stay_offline(tmp_path):
    folder = lab_settings(tmp_path / "s", "zh-CN")
    locale = json.loads((folder / "@jupyterlab/translation-extension/"
                                  "plugin.jupyterlab-settings").read_text(encoding="utf-8"))
    news = json.loads((folder / "@jupyterlab/apputils-extension/"
                                "notification.jupyterlab-settings").read_text(encoding="utf-8"))
    assert locale == {"locale": "zh_CN"} and news["fetchNews"] == "false"
    assert json.loads((lab_settings(tmp_path / "e", "en") / "@jupyterlab/translation-extension/"
                       "plugin.jupyterlab-settings").read_text())["locale"] == "en"


def test_reasons_read_as_check_titles():
    text = "timeseries.unit_level_shift (36); evidence.date_order (12)"
    zh, en = reasons_text(text, "zh-CN"), reasons_text(text, "en")
    assert "timeseries" not in zh and "（36 分）；" in zh and "(12 pts)" in en
    assert reasons_text("", "zh-CN") == ""


def test_an_enterprise_is_found_by_chinese_pinyin_initials_city_or_code():
    import pandas as pd

    from workbench.name_search import matches, search_text

    table = pd.DataFrame({"enterprise_name": ["大唐南京发电有限公司", "华能徐州热电有限公司"],
                          "city": ["南京市", "徐州市"],
                          "enterprise_id": ["91320100MA1XYZ0001", "91320300MA1XYZ0002"]})
    texts = search_text(table)
    for query, expected in (("大唐", [0]), ("南京", [0]), ("datang", [0]), ("DaTang", [0]),
                            ("dtnj", [0]), ("xuzhou", [1]), ("0002", [1]),
                            ("华能 热电", [1]), ("发电", [0]), ("有限公司", [0, 1]),
                            ("上海", [])):
        assert list(texts.index[matches(texts, query)]) == expected, query
