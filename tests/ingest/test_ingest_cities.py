"""Cities: a city must be a division of its row's province (prefecture-level, county-level
city, a municipality's district); anything else is quarantined, never coerced.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import credit_code, enterprises, quarantine, write_csv

from workbench.dataset import Dataset
from workbench.ingest import divisions, import_files


def with_places(places: list[tuple[str, str]]) -> pd.DataFrame:
    """One enterprise per (province, city), each with its own valid credit code."""
    frame = pd.concat([enterprises()] * ((len(places) + 1) // 2), ignore_index=True)
    frame = frame.iloc[:len(places)].copy()
    frame["enterprise_id"] = [credit_code(n) for n in range(1, len(places) + 1)]
    frame["province"] = [p for p, _ in places]
    frame["city"] = [c for _, c in places]
    return frame


ACCEPTED = [("江苏", "南京市"), ("江苏", "南京"), ("江苏", "Nanjing"), ("江苏", " nanjing "),
            ("江苏省", "常熟市"), ("江苏", "Changshu"), ("吉林", "延边朝鲜族自治州"),
            ("吉林", "延边州"), ("吉林", "延边"), ("内蒙古", "锡林郭勒盟"), ("内蒙古", "Hohhot"),
            ("新疆", "Urumqi"), ("新疆", "阿克苏地区"), ("北京", "北京市"), ("北京", "北京"),
            ("北京", "朝阳区"), ("重庆", "合川区"), ("上海", "浦东新区"), ("天津", "Tianjin"),
            ("陕西", "Xi'an"), ("山西", "长治市"), ("辽宁", "Chaoyang"),
            ("江苏", "江苏省南京市"), ("江苏", "江苏苏州"), ("吉林", "吉林市"),
            ("吉林", "吉林省吉林市")]


def test_divisions_of_the_province_are_accepted_and_stored_as_filed(tmp_path):
    frame = with_places(ACCEPTED)
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 0, quarantine(report, "enterprises").to_dict("records")
    stored = Dataset(tmp_path / "ds").read("enterprises").set_index("enterprise_id")
    assert stored.loc[frame["enterprise_id"], "city"].tolist() == [
        c.strip() for _, c in ACCEPTED]


REFUSED = [("江苏", "鍗椾含", ""),                       # 南京 written in UTF-8, read as GBK
           ("江苏", "合肥", " (it is a city of 安徽省)"),  # a city of another province
           ("北京", "朝阳市", " (it is a city of 辽宁省)"),
           ("江苏", "Atlantis", ""), ("上海", "Nanjing", " (it is a city of 江苏省)"),
           ("江苏", "江苏省", "")]


def test_a_city_outside_its_province_is_quarantined_with_what_was_expected(tmp_path):
    frame = with_places([("江苏", "苏州"), *[(p, c) for p, c, _ in REFUSED]])
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    assert report.exit_code == 1
    counts = report.tables["enterprises"]
    assert (counts.read, counts.imported, counts.quarantined) == (7, 1, 6)
    assert Dataset(tmp_path / "ds").read("enterprises")["city"].tolist() == ["苏州"]
    q = quarantine(report, "enterprises")
    assert q["row_number"].tolist() == ["3", "4", "5", "6", "7", "8"]
    assert q["columns"].tolist() == ["city"] * 6
    assert q["values"].tolist() == [c for _, c, _ in REFUSED]
    for (province, city, elsewhere), en, zh in zip(REFUSED, q["reason_en"], q["reason_zh"],
                                                  strict=True):
        full = divisions.PROVINCES[province]
        assert en.startswith(f"city: '{city}' is not a prefecture-level division of {full} "
                             f"(county-level cities are also accepted, and for a "
                             f"municipality its districts and counties){elsewhere}; ")
        assert f"the prefecture-level divisions of {full}: " in en
        assert f"地市(city)：“{city}”不是{full}的地级行政区" in zh
    assert "南京市, 无锡市, 徐州市" in q["reason_en"][0] and "南京市、无锡市" in q["reason_zh"][0]
    assert "北京市" in q["reason_en"][2]


def test_a_city_is_not_checked_again_when_the_province_is_already_rejected(tmp_path):
    frame = with_places([("姹熻嫃", "鍗椾含"), ("江苏", "南京")])
    report = import_files([write_csv(tmp_path / "enterprises.csv", frame)], tmp_path / "ds")
    q = quarantine(report, "enterprises")
    assert q["columns"].tolist() == ["province"]
    assert "鍗椾含" not in q["reason_en"][0]


def test_the_cities_file_lists_every_prefecture_level_division():
    c = divisions.cities()
    pref = c[(c["level"] == "prefecture") & ~c["city"].isin(
        [divisions.PROVINCES[m] for m in ("北京", "天津", "上海", "重庆")])]
    suffixes = pref["city"].str.extract(r"(市|地区|自治州|盟)$")[0].value_counts().to_dict()
    assert suffixes == {"市": 293, "自治州": 30, "地区": 7, "盟": 3}
    assert len(pref) == 333 and pref["code"].is_unique
    assert set(c["province"]) <= set(divisions.PROVINCES)
    mainland = set(divisions.PROVINCES) - {"台湾", "香港", "澳门"}
    assert set(pref["province"]) | {"北京", "天津", "上海", "重庆"} == mainland
    assert not c.duplicated(["province", "city"]).any()
    assert (c["pinyin"] != "").all()


@pytest.mark.parametrize("source", ["sample generator", "realset"])
def test_the_generators_write_cities_the_import_accepts(source):
    if source == "sample generator":
        from workbench.samples.plants import PROVINCES, load_plants

        plants = load_plants()
        provinces = plants["province"].map(lambda p: PROVINCES[p][0])
        cities = plants["city"]
    else:
        from benchmarks.realset.geography import CITIES

        pairs = [(p, c) for p, names in CITIES.items() for c, _ in names]
        provinces, cities = pd.Series([p for p, _ in pairs]), pd.Series([c for _, c in pairs])
    found = divisions.check_cities(provinces.reset_index(drop=True),
                                   cities.reset_index(drop=True))
    assert len(found) > 20
    assert not found["bad"].any(), list(zip(provinces[found["bad"].to_numpy()],
                                            cities[found["bad"].to_numpy()], strict=True))
