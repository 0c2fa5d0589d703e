"""China's 34 provincial-level administrative divisions (GB/T 2260), for ``province``.

The dataset stores the short name (``江苏``, as the demo data and the reviewers'
province assignments do); the full name (``江苏省``, ``广西壮族自治区``) is accepted
as a label of it, like a code label, so the import log records each full name
used.  Anything else (a typo, mojibake such as ``姹熻嫃``) is quarantined.
"""

from __future__ import annotations

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
