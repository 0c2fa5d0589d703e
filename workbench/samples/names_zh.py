"""Chinese names for the sample enterprises, built from the real plants' owners and places.

The WRI database names Chinese plants in romanised form (``Datang Nanjing Xiaguan-3
power station``, owner ``China Datang``).  A filing names the legal entity in Chinese,
so the generator writes what a platform export would hold: the owner's group as it is
known (华能, 大唐, 华电, 国电, 国家电投 …, from the owner column or the name's first word),
the plant's places in Chinese (the prefecture-level city and a county-level city the name
mentions, from the administrative-division table of ``workbench.ingest.divisions``), and
the legal form (发电 / 热电 / 燃气发电 有限公司, 第二 … when one place has several), e.g.
大唐南京发电有限公司.  Cities become their official names (南京市).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from workbench.ingest.divisions import cities, city_key

#: Power groups and regional generators, as the owner column or the first word of the
#: plant's name spell them (lower case) -> the name they go by in Chinese.
GROUPS: dict[str, str] = {
    "huaneng": "华能", "datang": "大唐", "huadian": "华电", "guodian": "国电",
    "shenhua": "神华", "guohua": "国华", "guoneng": "国能", "cpi": "国家电投",
    "power investment": "国家电投", "spic": "国家电投", "china resources": "华润",
    "sdic": "国投", "sinopec": "中石化", "zheneng": "浙能", "jingneng": "京能",
    "beijing energy": "京能", "weiqiao": "魏桥", "yudean": "粤电",
    "guangdong electric": "粤电", "wanneng": "皖能", "north united": "北方联合",
    "hebei construction": "河北建投", "zhangze": "漳泽", "hengli": "恒力",
    "cgn": "中广核", "three gorges": "三峡", "petrochina": "中石油", "cnooc": "中海油",
    "shenergy": "申能", "yuneng": "豫能", "ganneng": "赣能", "qianneng": "黔能",
    "tianfu": "天富", "xinfa": "信发", "hope": "希望", "east hope": "东方希望",
}
#: Words that say the plant supplies heat as well (a 热电 company).
HEAT_WORDS = ("cogen", "chp", "thermal", "heat", "steam")
ORDINALS = ("", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十")


@cache
def _places() -> dict[str, dict[str, tuple[str, str, str]]]:
    """Province -> key of a romanised place name -> (official name, short form, the
    prefecture it lies in, "" for a prefecture)."""
    out: dict[str, dict[str, tuple[str, str, str]]] = {}
    for row in cities().itertuples(index=False):
        if row.level == "former":
            continue
        short = row.short.split("|")[0] or row.city
        for name in row.pinyin.split("|"):
            if name:
                out.setdefault(row.province, {}).setdefault(
                    city_key(name), (row.city, short, row.parent))
    return out


def city_zh(province: str, city: str) -> str:
    """The official Chinese name of a romanised city of ``province`` (``Nanjing`` ->
    南京市); the name as given when the table does not know it."""
    found = _places().get(province, {}).get(city_key(city))
    return found[0] if found else city


def group_zh(name: str, owner: object) -> str:
    """The group a plant belongs to, in Chinese ("" when neither its owner nor its name
    names a known one)."""
    for text in ((owner if isinstance(owner, str) else ""), name):
        low = text.lower()
        for key, zh in GROUPS.items():
            if re.search(rf"\b{re.escape(key)}\b", low):
                return zh
    return ""


def name_parts(name: str, owner: object, province: str, city: str, is_gas: bool
               ) -> tuple[str, str]:
    """(who and where, kind) of one plant's company name: group, city, another place the
    plant's name mentions; 发电 / 热电 / 燃气发电 (see the module docstring)."""
    places = _places().get(province, {})
    official, city_short, _ = places.get(city_key(city), (city, city, ""))
    mentioned = []
    for word in re.split(r"[\s\-_/,()]+|\d+", name):
        place = places.get(city_key(word)) if word and word.isascii() else None
        if place and place[2] == official and place[1] not in mentioned:
            mentioned.append(place[1])              # a county-level place of its city
    low = name.lower()
    kind = ("燃气发电" if is_gas else
            "热电" if any(w in low for w in HEAT_WORDS) else "发电")
    return f"{group_zh(name, owner)}{city_short}{''.join(mentioned[:1])}", kind


def enterprise_names(plants: pd.DataFrame, phases: list[str]) -> list[str]:
    """One Chinese company name per row of ``plants`` (columns name, owner, province — the
    Chinese short name —, city, fuel), unique: another plant with the same name becomes
    第二 … (大唐南京第二发电有限公司); ``phases`` (一期, 二期 …, or "") are appended."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for row, phase in zip(plants.itertuples(index=False), phases, strict=True):
        who, kind = name_parts(str(row.name), row.owner, row.province, str(row.city),
                               row.fuel != "Coal")
        n = seen.get((who, kind, phase), 0)
        seen[(who, kind, phase)] = n + 1
        ordinal = ORDINALS[n] if n < len(ORDINALS) else f"第{n + 1}"
        out.append(f"{who}{ordinal}{kind}有限公司{phase}")
    return out
