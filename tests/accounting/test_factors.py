"""The factor tables of the configuration: complete, sourced, bilingual, the uncertain values
of sectors-2025.md marked so, one line choosing a version, and a wrong table refused."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from workbench import factors as fx
from workbench.config import ConfigError, load_config
from workbench.config_model import CONFIDENCE_TAGS, FACTOR_KINDS

CJK = re.compile(r"[\u4e00-\u9fff]")
SECTION = re.compile(r"sectors-2025\.md §\d")
_names = itertools.count()


@pytest.fixture
def use(tmp_path, monkeypatch):
    """Put a user config file holding ``text`` in force."""

    def put(text: str) -> Path:
        path = tmp_path / f"factors-{next(_names)}.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
        return path

    return put


@pytest.fixture(scope="module")
def cfg():
    return load_config()


def _all_rows(cfg):
    for table in fx.TABLES:
        for version in fx.versions(cfg, table):
            yield table, version, fx.factor_table(cfg, table, version)


def test_every_table_has_a_version_in_force(cfg):
    assert set(fx.TABLES) == {"fuels", "carbonates", "steel", "cement", "aluminium", "gwp"}
    assert {t: fx.active_version(cfg, t) for t in fx.TABLES} == {
        "fuels": "gbt32151-2015", "carbonates": "2013", "steel": "2025-v1",
        "cement": "2024-v1", "aluminium": "2024-v1", "gwp": "AR5"}


def test_factor_table_columns_and_types(cfg):
    df = fx.factor_table(cfg, "steel")
    assert list(df.columns) == ["code", "label_zh", "label_en", "kind", "value", "unit",
                                "source", "confidence", "uncertain", "note"]
    assert df["value"].dtype == float and df["uncertain"].dtype == bool
    assert df.attrs["version"] == "2025-v1" and df.attrs["not_found"]
    zh = fx.factor_table(cfg, "steel", locale="zh-CN")
    assert list(zh.columns)[:5] == ["代码", "中文名称", "英文名称", "类型", "值"]


def test_every_row_is_sourced_tagged_and_bilingual(cfg):
    for table, version, df in _all_rows(cfg):
        info = fx.version_info(cfg, table, version)
        assert CJK.search(info["title_zh"]) and info["title_en"], (table, version)
        for r in df.itertuples():
            where = (table, version, r.code)
            assert CJK.search(r.label_zh) and not CJK.search(r.label_en.split("(")[0]), where
            assert SECTION.search(r.source), where              # document; notes section
            assert r.confidence in CONFIDENCE_TAGS and r.kind in FACTOR_KINDS, where
            assert r.value > 0 and r.unit, where
            if r.uncertain:
                assert r.note, f"{where}: an uncertain value needs its note"


@pytest.mark.parametrize(("table", "version", "code"), [
    ("steel", "2025-v1", "crude_steel"), ("steel", "2013", "crude_steel"),
    ("steel", "2025-v1", "dolomite"), ("carbonates", "2013", "dolomite"),
    ("cement", "2024-v1", "clinker_portland"), ("cement", "2024-v1", "df_carbide_slag"),
    ("aluminium", "2024-v1", "anode_net_consumption"), ("aluminium", "2024-v1", "c2f6_cf4_ratio"),
    ("aluminium", "2024-v1", "ef_cf4_default"), ("gwp", "AR5", "cf4"), ("gwp", "AR4", "c2f6"),
])
def test_the_values_the_notes_leave_open_are_marked_uncertain(cfg, table, version, code):
    assert fx.row(cfg, table, code, version)["uncertain"] is True
    if version == fx.active_version(cfg, table):
        unc = fx.uncertain_factors(cfg)
        assert ((unc["table"] == table) & (unc["code"] == code)).any()


@pytest.mark.parametrize(("table", "version", "code", "value"), [
    # sectors-2025.md §2.3, §1.4, §3.2, §4.2
    ("steel", "2025-v1", "crude_steel", 0.037), ("steel", "2013", "crude_steel", 0.0154),
    ("steel", "2025-v1", "dolomite", 0.476), ("steel", "2013", "dolomite", 0.471),
    ("steel", "2025-v1", "electrode", 3.663), ("steel", "2013", "methanol", 1.375),
    ("fuels", None, "bfg_cc", 0.0708), ("fuels", None, "natural_gas_ncv", 389.31),
    ("carbonates", None, "limestone", 0.440), ("cement", None, "clinker_white_portland", 0.550),
    ("cement", None, "df_red_mud", 0.055), ("aluminium", None, "sef_cf4", 0.143),
    ("aluminium", "ipcc-2006-cwpb", "c2f6_cf4_ratio", 0.121), ("gwp", "SAR", "cf4", 6500),
])
def test_values_as_the_notes_give_them(cfg, table, version, code, value):
    assert fx.factor(cfg, table, code, version) == value


def test_carbonate_factors_match_their_stoichiometry(cfg):
    # §1.4: CaCO3 44/100, MgCO3 44/84.3, Na2CO3 44/106; dolomite 0.471 vs theoretical 0.477
    t = fx.factors(cfg, "carbonates")
    assert t["limestone"] == pytest.approx(44.01 / 100.09, abs=0.001)
    assert t["magnesite"] == pytest.approx(44.01 / 84.31, abs=0.001)
    assert t["soda_ash"] == pytest.approx(44.01 / 105.99, abs=0.001)
    assert t["dolomite"] == pytest.approx(2 * 44.01 / 184.40, abs=0.01)


def test_fuel_defaults_and_gwp(cfg):
    assert fx.fuel_defaults(cfg, "coke") == {"ncv": 28.447, "cc": 0.0295, "of": 0.93}
    assert fx.fuel_defaults(cfg, "anthracite") == {"cc": 0.02749}     # NCV measured
    assert fx.gwp(cfg) == {"cf4": 6630, "c2f6": 11100}
    assert fx.label(cfg, "steel", "crude_steel", "zh-CN").startswith("粗钢")
    with pytest.raises(KeyError, match="peat"):
        fx.fuel_defaults(cfg, "peat")
    with pytest.raises(KeyError, match="no factor table"):
        fx.factor(cfg, "glass", "x")
    with pytest.raises(KeyError, match="no version"):
        fx.factor_table(cfg, "steel", "2030")
    with pytest.raises(KeyError, match="no factor 'sinter'"):
        fx.factor(cfg, "steel", "sinter")


def test_one_line_chooses_a_version(use):
    use('[factors]\nsteel = "2013"\ngwp = "SAR"\n')
    cfg = load_config()
    assert fx.factor(cfg, "steel", "crude_steel") == 0.0154
    assert fx.gwp(cfg) == {"cf4": 6500, "c2f6": 9200}
    assert fx.factor(cfg, "cement", "clinker_portland") == 0.535          # others unchanged


def test_a_user_version_merges_and_can_be_chosen(use):
    use('[factors]\ncarbonates = "mine"\n'
        '[factors.tables.carbonates.mine]\nguideline = "x"\ntitle_zh = "自定"\n'
        'title_en = "own"\nnote = ""\nnot_found = []\n'
        '[factors.tables.carbonates.mine.rows.limestone]\nlabel_zh = "石灰石"\n'
        'label_en = "limestone"\nkind = "carbonate"\nvalue = 0.43\nunit = "tCO2/t"\n'
        'source = "own lab; sectors-2025.md §1.4"\nconfidence = "C"\nuncertain = false\n'
        'note = ""\n')
    cfg = load_config()
    assert fx.factors(cfg, "carbonates") == {"limestone": 0.43}
    assert fx.versions(cfg, "carbonates") == ["2013", "mine"]


@pytest.mark.parametrize(("toml", "expected"), [
    ('[factors]\nsteel = "2030"',
     'factors.steel: expected a version of factors.tables.steel: 2025-v1, 2013, got "2030"'),
    ('[factors]\ngwp = "AR6"', "expected a version of factors.tables.gwp: AR5, AR4, SAR"),
    ("[factors.tables.gwp.AR5.rows.cf4]\nvalue = -1",
     "factors.tables.gwp.AR5.rows.cf4.value: expected a number > 0, got -1"),
    ('[factors.tables.gwp.AR5.rows.cf4]\nconfidence = "U"\nuncertain = false',
     "expected uncertain = true for a value tagged U"),
    ('[factors.tables.gwp.AR5.rows.cf4]\nconfidence = "X"', 'expected a confidence tag'),
    ("[factors.tables.gwp.AR5.rows.cf4]\nvalu = 1", "did you mean "
                                                    "factors.tables.gwp.AR5.rows.cf4.value?"),
    ('[factors.tables.glass.v1]\nguideline = "x"', "factors.tables.glass: unknown table"),
])
def test_a_wrong_factor_table_is_refused(use, toml, expected):
    path = use(toml + "\n")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert str(path) in str(info.value) and expected in str(info.value), str(info.value)
