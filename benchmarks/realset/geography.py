"""Where a US unit sits in China: province by latitude band of its state, cities, heating seasons.

US states are put in three bands by the latitude of their centre and mapped to
Chinese provinces of a similar band (README.md "Province mapping"):

* north (about 42.5°N and above) → 黑龙江, 吉林, 辽宁, 内蒙古 (the Powder River Basin and
  the northern plains, big sub-bituminous and lignite users, → 内蒙古);
* middle (37-42.5°N) → 北京, 天津, 河北, 山西, 山东, 河南 (Appalachian bituminous → 山西,
  Illinois basin → 山东); 北京 has no coal plant, so its coal units go to 河北;
* south (below 37°N) → 江苏, 浙江, 安徽, 湖北, 福建, 广东.

Heating seasons (district heating of CHP units): 15 Oct-15 Apr in the Northeast and
Inner Mongolia, 15 Nov-15 Mar in Beijing, Tianjin, Hebei, Shanxi, Shandong and
Henan; none in the southern provinces.
"""

from __future__ import annotations

import calendar

#: US state -> Chinese province.
STATE_PROVINCE: dict[str, str] = {
    # north
    "WA": "黑龙江", "OR": "黑龙江", "ID": "黑龙江", "MN": "黑龙江", "AK": "黑龙江",
    "MT": "内蒙古", "ND": "内蒙古", "SD": "内蒙古", "WY": "内蒙古",
    "WI": "吉林", "MI": "吉林",
    "NY": "辽宁", "VT": "辽宁", "NH": "辽宁", "ME": "辽宁", "MA": "辽宁",
    # middle
    "NE": "河北", "IA": "河北", "PA": "河北",
    "KS": "河南", "MO": "河南", "KY": "河南",
    "IL": "山东", "IN": "山东",
    "OH": "山西", "WV": "山西", "CO": "山西", "UT": "山西", "NV": "山西",
    "NJ": "天津", "DE": "天津", "CT": "天津", "RI": "天津",
    "MD": "北京", "DC": "北京", "VA": "北京",
    # south
    "CA": "广东", "TX": "广东", "HI": "广东",
    "AZ": "湖北", "NM": "湖北", "OK": "湖北",
    "AR": "安徽", "TN": "安徽",
    "LA": "江苏", "MS": "江苏", "AL": "江苏",
    "NC": "浙江", "SC": "浙江",
    "GA": "福建", "FL": "福建",
}
#: Where a province's coal units go when it has none (Beijing closed its last coal plant in 2017).
NO_COAL = {"北京": "河北"}

#: Province -> (GB/T 2260 two-digit code, heating season group).
PROVINCES: dict[str, tuple[str, str]] = {
    "黑龙江": ("23", "northeast"), "吉林": ("22", "northeast"), "辽宁": ("21", "northeast"),
    "内蒙古": ("15", "northeast"),
    "北京": ("11", "north"), "天津": ("12", "north"), "河北": ("13", "north"),
    "山西": ("14", "north"), "山东": ("37", "north"), "河南": ("41", "north"),
    "江苏": ("32", "south"), "浙江": ("33", "south"), "安徽": ("34", "south"),
    "湖北": ("42", "south"), "福建": ("35", "south"), "广东": ("44", "south"),
}
#: Heating season (first day, last day) as (month, day), by group; the south has none.
HEATING_SEASONS: dict[str, tuple[tuple[int, int], tuple[int, int]] | None] = {
    "northeast": ((10, 15), (4, 15)),
    "north": ((11, 15), (3, 15)),
    "south": None,
}
#: Share of air-cooled coal units by province (water-scarce north-west is mostly air-cooled).
AIR_COOLED_SHARE: dict[str, float] = {"内蒙古": 0.75, "山西": 0.65, "河北": 0.3, "河南": 0.3,
                                      "黑龙江": 0.2, "吉林": 0.2, "辽宁": 0.15, "山东": 0.15,
                                      "天津": 0.1}

#: Prefecture-level cities with their GB/T 2260 city digits (3rd-4th).
CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "黑龙江": (("哈尔滨市", "01"), ("齐齐哈尔市", "02"), ("鸡西市", "03"), ("鹤岗市", "04"),
            ("双鸭山市", "05"), ("大庆市", "06"), ("佳木斯市", "08"), ("牡丹江市", "10")),
    "吉林": (("长春市", "01"), ("吉林市", "02"), ("四平市", "03"), ("辽源市", "04"),
           ("通化市", "05"), ("白山市", "06"), ("松原市", "07"), ("白城市", "08")),
    "辽宁": (("沈阳市", "01"), ("大连市", "02"), ("鞍山市", "03"), ("抚顺市", "04"),
           ("本溪市", "05"), ("丹东市", "06"), ("锦州市", "07"), ("营口市", "08"),
           ("阜新市", "09"), ("铁岭市", "12"), ("朝阳市", "13")),
    "内蒙古": (("呼和浩特市", "01"), ("包头市", "02"), ("乌海市", "03"), ("赤峰市", "04"),
            ("通辽市", "05"), ("鄂尔多斯市", "06"), ("呼伦贝尔市", "07"), ("巴彦淖尔市", "08"),
            ("乌兰察布市", "09"), ("锡林郭勒盟", "25")),
    "北京": (("北京市", "01"),),
    "天津": (("天津市", "01"),),
    "河北": (("石家庄市", "01"), ("唐山市", "02"), ("秦皇岛市", "03"), ("邯郸市", "04"),
           ("邢台市", "05"), ("保定市", "06"), ("张家口市", "07"), ("承德市", "08"),
           ("沧州市", "09"), ("廊坊市", "10"), ("衡水市", "11")),
    "山西": (("太原市", "01"), ("大同市", "02"), ("阳泉市", "03"), ("长治市", "04"),
           ("晋城市", "05"), ("朔州市", "06"), ("晋中市", "07"), ("运城市", "08"),
           ("忻州市", "09"), ("临汾市", "10"), ("吕梁市", "11")),
    "山东": (("济南市", "01"), ("青岛市", "02"), ("淄博市", "03"), ("枣庄市", "04"),
           ("东营市", "05"), ("烟台市", "06"), ("潍坊市", "07"), ("济宁市", "08"),
           ("泰安市", "09"), ("日照市", "11"), ("临沂市", "13"), ("德州市", "14"),
           ("聊城市", "15"), ("滨州市", "16"), ("菏泽市", "17")),
    "河南": (("郑州市", "01"), ("开封市", "02"), ("洛阳市", "03"), ("平顶山市", "04"),
           ("安阳市", "05"), ("鹤壁市", "06"), ("新乡市", "07"), ("焦作市", "08"),
           ("濮阳市", "09"), ("许昌市", "10"), ("三门峡市", "12"), ("南阳市", "13"),
           ("商丘市", "14"), ("信阳市", "15")),
    "江苏": (("南京市", "01"), ("无锡市", "02"), ("徐州市", "03"), ("常州市", "04"),
           ("苏州市", "05"), ("南通市", "06"), ("连云港市", "07"), ("淮安市", "08"),
           ("盐城市", "09"), ("扬州市", "10"), ("镇江市", "11"), ("泰州市", "12")),
    "浙江": (("杭州市", "01"), ("宁波市", "02"), ("温州市", "03"), ("嘉兴市", "04"),
           ("湖州市", "05"), ("绍兴市", "06"), ("金华市", "07"), ("衢州市", "08"),
           ("舟山市", "09"), ("台州市", "10")),
    "安徽": (("合肥市", "01"), ("芜湖市", "02"), ("蚌埠市", "03"), ("淮南市", "04"),
           ("马鞍山市", "05"), ("淮北市", "06"), ("铜陵市", "07"), ("安庆市", "08")),
    "湖北": (("武汉市", "01"), ("黄石市", "02"), ("十堰市", "03"), ("宜昌市", "05"),
           ("襄阳市", "06"), ("鄂州市", "07"), ("荆门市", "08"), ("孝感市", "09"),
           ("荆州市", "10")),
    "福建": (("福州市", "01"), ("厦门市", "02"), ("莆田市", "03"), ("三明市", "04"),
           ("泉州市", "05"), ("漳州市", "06"), ("南平市", "07"), ("龙岩市", "08"),
           ("宁德市", "09")),
    "广东": (("广州市", "01"), ("韶关市", "02"), ("深圳市", "03"), ("珠海市", "04"),
           ("汕头市", "05"), ("佛山市", "06"), ("江门市", "07"), ("湛江市", "08"),
           ("茂名市", "09"), ("肇庆市", "12"), ("惠州市", "13"), ("阳江市", "17"),
           ("东莞市", "19"), ("中山市", "20")),
}


def province_of(state: str, family: str) -> str:
    """The province of a unit in a US ``state`` burning fuel ``family`` (coal | gas)."""
    province = STATE_PROVINCE[state]
    return NO_COAL.get(province, province) if family == "coal" else province


def season_group(province: str) -> str:
    """``northeast`` | ``north`` | ``south``: which heating season a province keeps."""
    return PROVINCES[province][1]


def heating_days(period: str, group: str) -> int:
    """Days of the heating season of ``group`` that fall in the month ``period`` (YYYY-MM).

    Both the first and the last day of the season count (15 Oct-15 Apr: 17 days of
    October, 15 of April).
    """
    season = HEATING_SEASONS[group]
    if season is None:
        return 0
    (m0, d0), (m1, d1) = season
    year, month = int(period[:4]), int(period[5:7])
    days = calendar.monthrange(year, month)[1]
    if month == m0:
        return days - d0 + 1
    if month == m1:
        return d1
    in_season = month > m0 or month < m1
    return days if in_season else 0
