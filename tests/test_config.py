"""The configuration model: the defaults validate and load unchanged; a user file with an
unknown key or a wrong value is refused before any work, naming the file, the dotted key
and what was expected; every check's config keys exist in the model."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import config
from workbench.cli import main
from workbench.config import DEFAULTS_PATH, ConfigError, config_hash, load_config
from workbench.config_model import PerSeverity, config_fields, config_key_exists

_names = itertools.count()


def _defaults() -> dict[str, Any]:
    """defaults.toml as read, its database resolved as load_config resolves it (against the
    per-user data folder)."""
    with DEFAULTS_PATH.open("rb") as fh:
        raw = tomllib.load(fh)
    general = raw["general"]
    general["database_url"] = config.absolute_database_url(general["database_url"],
                                                           config.user_data_dir())
    return raw


def _write(folder: Path, text: str) -> Path:
    """A new config file (a new name each time: loaded configs are cached by path)."""
    path = folder / f"workbench-{next(_names)}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def use(tmp_path, monkeypatch):
    """Put a user config file holding ``text`` in force; returns its path."""

    def put(text: str) -> Path:
        path = _write(tmp_path, text)
        monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
        return path

    return put


def _refusal(text: str, use) -> tuple[Path, str]:
    path = use(text)
    with pytest.raises(ConfigError) as info:
        load_config()
    return path, str(info.value)


def _same_types(a: Any, b: Any, where: str = "") -> None:
    assert type(a) is type(b), where
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same_types(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_types(x, y, f"{where}[{i}]")


def test_defaults_validate_and_load_unchanged(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)                       # no ./workbench.toml here
    raw, cfg = _defaults(), load_config()
    assert cfg == raw
    _same_types(cfg, raw)          # 200 stays an int, years stay strings, lists stay lists
    assert config_hash(cfg) == config_hash(raw)
    assert list(cfg["policy"]["default_coal_cc_tc_per_gj"])[:2] == ["2019", "2020"]
    assert cfg["checks"]["bands"]["cc_tc_per_gj"]["coal"] == [0.0240, 0.0300]


def test_a_misspelled_key_is_refused_with_file_key_and_suggestion(use):
    path, msg = _refusal("[checks]\nrobust_z_warnin = 3.0\n", use)
    assert str(path) in msg
    assert ("checks.robust_z_warnin: unknown key; did you mean checks.robust_z_warning?"
            in msg)
    assert "未知的键，是否应为 checks.robust_z_warning？" in msg


def test_a_key_in_the_wrong_table_is_pointed_to_its_table(use):
    _, msg = _refusal("[general]\nheatmap_cities = 10\n", use)
    assert "general.heatmap_cities: unknown key; did you mean dashboard.heatmap_cities?" in msg


def test_an_unknown_top_level_table_is_refused(use):
    _, msg = _refusal("[chekcs]\nrobust_z_warning = 3.0\n", use)
    assert "chekcs: unknown table; did you mean checks?" in msg


@pytest.mark.parametrize(("toml", "expected"), [
    ('[checks]\nrobust_z_warning = "abc"',
     'checks.robust_z_warning: expected a number > 0, got "abc" / 应为大于 0 的数，实为 "abc"'),
    ("[checks]\nrobust_z_warning = true", "expected a number > 0, got true"),
    ("[checks]\nrobust_z_warning = -1", "expected a number > 0, got -1"),
    ("[checks]\npeer_min_size = 8.0", "checks.peer_min_size: expected an integer >= 2, got 8.0"),
    ("[checks]\nheat_drop_share = 1.5", "expected a number > 0 and < 1, got 1.5"),
    ('[general]\nlocale = "fr"', 'general.locale: expected "zh-CN" or "en", got "fr"'),
    ('[general]\nmode = "admin"', 'expected "reviewer" or "readonly", got "admin"'),
    ('[general]\ndatabase_url = "findings.sqlite"', "expected a SQLAlchemy database URL"),
    ('[import]\nfallback_encodings = ["gbk", "klingon"]',
     'import.fallback_encodings[1]: expected the name of a text encoding'),
    ("[policy]\ndefault_coal_cc_tc_per_gj = 0.03",
     "policy.default_coal_cc_tc_per_gj: expected a table, got 0.03"),
    ("[policy.default_coal_cc_tc_per_gj]\n20x7 = 0.03",
     'policy.default_coal_cc_tc_per_gj.20x7: expected a 4-digit year, got "20x7"'),
    ("[policy.benchmark.2023]\ngas = 0.39",
     "policy.benchmark.2023: missing coal_gt300, coal_le300"),
    ("[checks]\ncapacity_band_edges_mw = [400, 200]",
     "expected a non-empty list of capacities (MW) > 0 in increasing order"),
    ("[materiality]\nlevel_low = 0.06",
     "materiality.level_high: expected a number > materiality.level_low (0.06), got 0.05"),
    ("[risk]\nweights = { critical = 10.0, severe = 3.0 }", "risk.weights.severe: unknown key"),
    ('[findings]\nreviewer_provinces = { alice = "江苏" }',
     'findings.reviewer_provinces.alice: expected a list, got "江苏"'),
])
def test_a_wrong_value_is_refused_naming_what_was_expected(use, toml, expected):
    path, msg = _refusal(toml + "\n", use)
    assert str(path) in msg and expected in msg, msg


@pytest.mark.parametrize(("toml", "expected"), [
    ("coal = [0.030, 0.024]", "checks.bands.cc_tc_per_gj.coal: expected a [low, high] pair of "
                              "numbers with low < high, got [0.03, 0.024]"),
    ("coal = [0.024]", "expected a [low, high] pair"),
    ('coal = [0.024, "x"]', "expected a [low, high] pair"),
    ("gangue_col = [0.02, 0.03]", "did you mean gangue_coal?"),
    ("coal_critical = [0.025, 0.034]", "checks.bands.cc_tc_per_gj: expected coal_critical to "
                                       "contain coal"),
])
def test_a_bad_band_is_refused(use, toml, expected):
    _, msg = _refusal(f"[checks.bands.cc_tc_per_gj]\n{toml}\n", use)
    assert expected in msg, msg


def test_a_valid_partial_override_merges_with_the_defaults(use):
    use("[checks]\nrobust_z_warning = 4\n"
        "[checks.bands.cc_tc_per_gj]\ncoal = [0.025, 0.031]\n"
        "[policy.default_coal_cc_tc_per_gj]\n2027 = 0.031\n"
        "[findings]\nreviewer_provinces = { alice = [\"江苏\"] }\n")
    cfg, defaults = load_config(), _defaults()
    assert cfg["checks"]["robust_z_warning"] == 4
    assert cfg["checks"]["bands"]["cc_tc_per_gj"] == {"coal": [0.025, 0.031],
                                                     "coal_critical": [0.0200, 0.0340]}
    assert cfg["policy"]["default_coal_cc_tc_per_gj"] == {
        **defaults["policy"]["default_coal_cc_tc_per_gj"], "2027": 0.031}
    assert config.by_year(cfg["policy"]["default_coal_cc_tc_per_gj"], 2030) == 0.031
    assert cfg["findings"]["reviewer_provinces"] == {"alice": ["江苏"]}
    for table in ("general", "import", "materiality", "risk", "dashboard"):
        assert cfg[table] == defaults[table]


def test_a_problem_of_the_defaults_is_blamed_on_the_defaults(tmp_path, monkeypatch, use):
    bad = _write(tmp_path, DEFAULTS_PATH.read_text(encoding="utf-8")
                 + "\n[checks.bands.new_quantity]\nall = [0.0, 1.0]\n")
    user = use("[checks]\nrobust_z_warning = 4.0\n")
    monkeypatch.setattr(config, "DEFAULTS_PATH", bad)
    config._load.cache_clear()                        # cached by the user's path alone
    try:
        with pytest.raises(ConfigError) as info:
            load_config()
    finally:
        config._load.cache_clear()
    msg = str(info.value)
    assert msg.startswith(f"{bad}: invalid configuration") and str(user) not in msg
    assert "checks.bands.new_quantity: unknown table" in msg
    assert "needs a field in workbench/config_model.py" in msg


def test_config_keys_name_fields_and_tables():
    for key in ("checks", "checks.robust_z_warning", "checks.bands", "checks.bands.cc_tc_per_gj",
                "policy.default_coal_cc_tc_per_gj", "policy.natural_gas.cc_tc_per_gj",
                "import.fallback_encodings", "risk.weights.critical"):
        assert config_key_exists(key), key
    for key in ("checks.robust_z_warnin", "import_", "checks.bands.cc_tc_per_gj.coal",
                "policy.default_coal_cc_tc_per_gj.2021", "", "checks."):
        assert not config_key_exists(key), key


def test_every_check_config_key_exists_in_the_model():
    from workbench import checks
    from workbench.checks.registry import REGISTRY

    checks.load_all()
    assert REGISTRY
    unknown = {c.id: k for c in REGISTRY.values() for k in c.config_keys
               if not config_key_exists(k)}
    assert not unknown, f"config_keys not in workbench/config_model.py: {unknown}"


def test_risk_weights_cover_every_severity():
    from workbench.checks.registry import SEVERITIES

    assert tuple(PerSeverity.model_fields) == SEVERITIES


def test_every_field_is_described():
    undescribed = [key for key, field in config_fields().items() if not field.description]
    assert not undescribed


@pytest.mark.parametrize("args", [["screen", "{ds}", "--out", "{out}"], ["info", "{ds}"],
                                  ["findings", "list"], ["dashboard", "{ds}"]],
                         ids=lambda a: a[0] if a[0] != "findings" else "findings-list")
def test_cli_refuses_a_bad_config_before_any_work(tmp_path, use, args):
    path = use("[checks]\nrobust_z_warnin = 3.0\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, [a.format(ds=tmp_path, out=out) for a in args])
    assert res.exit_code == 2, res.output
    assert str(path) in res.output and "did you mean checks.robust_z_warning?" in res.output
    assert "Traceback" not in res.output and not out.exists()


def test_cli_process_refuses_a_bad_config_without_a_traceback(tmp_path):
    bad = _write(tmp_path, '[checks]\nrobust_z_warning = "abc"\n')
    run = subprocess.run([sys.executable, "-m", "workbench", "info", str(tmp_path)],
                         capture_output=True, text=True, check=False,
                         env={**os.environ, "WORKBENCH_CONFIG": str(bad)})
    assert run.returncode == 2
    assert str(bad) in run.stderr
    assert 'checks.robust_z_warning: expected a number > 0, got "abc"' in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


# --- any valid single-key override of a number loads as written -----------------------------

#: Limits one field takes from another (default) value, beside its own.
_CROSS = {"materiality.level_low": ("lt", "materiality.level_high"),
          "materiality.level_high": ("gt", "materiality.level_low")}
_NUMBERS = {key: field for key, field in config_fields().items()
            if field.annotation in (int, int | float)}


def _default(key: str) -> Any:
    value: Any = _defaults()
    for part in key.split("."):
        value = value[part]
    return value


def _limits(key: str) -> dict[str, float]:
    limits = {}
    for m in _NUMBERS[key].metadata:
        for kind in ("gt", "ge", "lt", "le"):
            if isinstance(m, getattr(annotated_types, kind.capitalize())):
                limits[kind] = getattr(m, kind)
    if key in _CROSS:
        kind, other = _CROSS[key]
        limits[kind] = _default(other)
    return limits


def _values(key: str) -> st.SearchStrategy:
    lim = _limits(key)
    low = math.floor(lim["gt"]) + 1 if "gt" in lim else math.ceil(lim.get("ge", -2**31))
    high = math.ceil(lim["lt"]) - 1 if "lt" in lim else math.floor(lim.get("le", 2**31))
    ints = st.integers(low, high) if low <= high else st.nothing()
    if _NUMBERS[key].annotation is int:
        return ints
    return ints | st.floats(lim.get("gt", lim.get("ge")), lim.get("lt", lim.get("le")),
                            exclude_min="gt" in lim, exclude_max="lt" in lim,
                            allow_nan=False, allow_infinity=False)


@settings(deadline=None, max_examples=150)
@given(st.data())
def test_any_valid_number_override_round_trips(tmp_path_factory, data):
    assert _NUMBERS and "checks.robust_z_warning" in _NUMBERS
    key = data.draw(st.sampled_from(sorted(_NUMBERS)), label="key")
    value = data.draw(_values(key), label="value")
    *table, name = key.split(".")
    path = _write(tmp_path_factory.getbasetemp(), f"[{'.'.join(table)}]\n{name} = {value!r}\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_CONFIG", str(path))
        cfg = load_config()
    loaded: Any = cfg
    for part in key.split("."):
        loaded = loaded[part]
    assert loaded == value and type(loaded) is type(value)
