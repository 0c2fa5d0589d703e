"""China's administrative divisions (GB/T 2260): provinces for ``province``, and the
prefecture-level cities of each province for ``city``.

The dataset stores the short name (``江苏``, as the demo data and the reviewers'
province assignments do); the full name (``江苏省``, ``广西壮族自治区``) is accepted
as a label of it, like a code label, so the import log records each full name
used.  Anything else (a typo, mojibake such as ``姹熻嫃``) is quarantined.

A ``city`` must be a division of its row's province (:func:`check_cities`): one of its
prefecture-level divisions, a county-level city, or, for 北京/天津/上海/重庆, the
municipality itself or one of its districts and counties, written in full (南京市), as a
short form (南京, 延边州) or in pinyin (Nanjing, as the sample generator writes it),
optionally after the province's name (江苏省南京市).  The
city is stored as filed; a city of another province, an unknown name or mojibake
(``鍗椾含``) is quarantined with the province's prefectures as the expected values.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

#: Short name -> full name, in GB/T 2260 code order.
PROVINCES: dict[str, str] = {
    "北京": "北京市", "天津": "天津市", "河北": "河北省", "山西": "山西省",
    "内蒙古": "内蒙古自治区", "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省",
    "上海": "上海市", "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省",
    "江西": "江西省", "山东": "山东省", "河南": "河南省", "湖北": "湖北省", "湖南": "湖南省",
    "广东": "广东省", "广西": "广西壮族自治区", "海南": "海南省", "重庆": "重庆市",
    "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "西藏": "西藏自治区",
    "陕西": "陕西省", "甘肃": "甘肃省", "青海": "青海省", "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区", "台湾": "台湾省", "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}

#: Columns validated against :data:`PROVINCES`: (table, column).
COLUMNS = frozenset({("enterprises", "province")})


def labels() -> dict[str, tuple[str, ...]]:
    """Each short name with its full name as the only label (the shape of a code column)."""
    return {short: (full,) for short, full in PROVINCES.items()}


# -- prefecture-level cities -------------------------------------------------------------
#: The cities file: per province (short name), each prefecture-level division (``level``
#: ``prefecture``: 293 cities, 7 地区, 30 自治州, 3 盟, and each municipality itself), each
#: county-level city (``county_city``, with its ``parent`` prefecture or province), each
#: district and county of the four municipalities (``municipal_district``) and divisions
#: abolished since 2017 that older exports still name (``former``: 莱芜市, merged into
#: 济南市 in 2019); ``short`` holds the common short forms (``|``-separated: 南京 for
#: 南京市, 延边 and 延边州 for 延边朝鲜族自治州), ``pinyin`` the Hanyu pinyin of the short
#: form and, where one is usual, the conventional English name (Hohhot, Urumqi), ``code``
#: the GB/T 2260 code.  Built once from the GB/T 2260 table shipped by the ``cpca``
#: package (2017 snapshot) with the changes since (那曲地区 → 那曲市, county-level cities
#: created up to 2021, districts of Chongqing, Tianjin and Shanghai renamed from counties),
#: pinyin by ``pypinyin`` with place-name readings corrected (长治 Changzhi, 朝阳 Chaoyang);
#: nothing reads those packages at run time.
CITIES_FILE = Path(__file__).with_name("cities.csv")

#: Columns validated against the cities of the row's province: (table, city column,
#: province column).
CITY_COLUMNS = (("enterprises", "city", "province"),)


def city_key(text: str) -> str:
    """How a city cell is matched: a romanised name by its letters only, case folded
    (``Xi'an``, ``xian`` and ``XI AN`` are one key); Chinese as code labels are
    (NFKC, no whitespace).
    """
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return re.sub(r"[^a-z]", "", text.lower())
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff]+", "", text).casefold()


@cache
def cities() -> pd.DataFrame:
    """The cities file (see :data:`CITIES_FILE`), every cell a string."""
    return pd.read_csv(CITIES_FILE, dtype=str, keep_default_na=False)


@cache
def _keys() -> dict[str, frozenset[str]]:
    """Province -> the keys (:func:`city_key`) of every name, short form and romanisation
    of its cities.
    """
    out: dict[str, set[str]] = {}
    for row in cities().itertuples(index=False):
        names = [row.city, *row.short.split("|"), *row.pinyin.split("|")]
        out.setdefault(row.province, set()).update(city_key(n) for n in names if n)
    return {p: frozenset(k) for p, k in out.items()}


def provinces_of_city(text: str) -> list[str]:
    """The provinces that have a city written ``text`` (any accepted form)."""
    key = city_key(text.strip())
    return [p for p, keys in _keys().items() if key in keys]


@cache
def prefectures(province: str) -> tuple[str, ...]:
    """The prefecture-level divisions of a province, in GB/T 2260 order."""
    c = cities()
    return tuple(c.loc[(c["province"] == province) & (c["level"] == "prefecture"), "city"])


def _without_province(key: str, province: str) -> str | None:
    """A city key written after its province (江苏省南京市, 江苏南京) without the province."""
    for name in (PROVINCES[province], province):
        prefix = city_key(name)
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return None


def check_cities(provinces: pd.Series, raw: pd.Series) -> pd.DataFrame:
    """Which city cells are not a division of their row's province.

    ``provinces`` holds the canonical short name (missing where the province was
    empty or rejected: those rows are not checked again), ``raw`` the city cells as
    filed.  Provinces without a city list (台湾, 香港, 澳门) are not checked.  Each
    distinct (province, city) pair is looked up once.  Returns one row per input row:
    ``bad`` and, for bad rows, ``province`` (full name), ``expected`` (its prefectures)
    and ``elsewhere`` (provinces that do have such a city, full names).
    """
    keys = _keys()
    pairs = pd.DataFrame({"p": provinces.astype("string").fillna("").to_numpy(),
                          "c": raw.fillna("").astype(str).str.strip().to_numpy()})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
    bad = np.zeros(len(uniques), dtype=bool)
    full = np.full(len(uniques), "", dtype=object)
    expected = np.full(len(uniques), "", dtype=object)
    elsewhere = np.full(len(uniques), "", dtype=object)
    for i, (province, city) in enumerate(uniques):
        if not province or not city or province not in keys:
            continue
        key = city_key(city)
        if key in keys[province] or _without_province(key, province) in keys[province]:
            continue
        bad[i] = True
        full[i] = PROVINCES[province]
        expected[i] = "、".join(prefectures(province))
        elsewhere[i] = "、".join(PROVINCES[p] for p in provinces_of_city(city))
    return pd.DataFrame({"bad": bad[codes], "province": full[codes],
                         "expected": expected[codes], "elsewhere": elsewhere[codes]})
