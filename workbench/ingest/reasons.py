"""Bilingual (zh-CN / English) texts of every import rejection and file error.

A row reason names the column, the value as filed and what was expected, so a
filer can fix the row without reading code.  Templates use ``str.format``
fields; :func:`row_reasons` fills them for many rows at once (a field may be
one value for all rows or a Series with one value per row), which keeps the
quarantine of a large file vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from typing import Any

import pandas as pd

#: Row rejections: code -> (zh template, en template).
ROW: dict[str, tuple[str, str]] = {
    "missing": ("{column}：必填，但为空", "{column}: required but empty"),
    "missing_for": ("{column}：{expected}时必填，但为空",
                    "{column}: required for {expected}, but empty"),
    "not_number": ("{column}：“{value}”不是数字", "{column}: '{value}' is not a number"),
    "not_integer": ("{column}：“{value}”不是整数", "{column}: '{value}' is not a whole number"),
    "not_bool": ("{column}：“{value}”不是是/否值；可用：{expected}",
                 "{column}: '{value}' is not a yes/no value; accepted: {expected}"),
    "not_period": ("{column}：“{value}”不是有效月份（应为 YYYY-MM，月份 01–12，年份 {expected}；"
                   "也接受 2024年3月、2024/03、202403）",
                   "{column}: '{value}' is not a valid month (expected YYYY-MM with month 01-12 "
                   "and year {expected}; 2024年3月, 2024/03 and 202403 are also accepted)"),
    "not_date": ("{column}：“{value}”不是有效日期（应为 YYYY-MM-DD，年份 {expected}；"
                 "也接受 2024/3/5、2024年3月5日）",
                 "{column}: '{value}' is not a valid date (expected YYYY-MM-DD with year "
                 "{expected}; 2024/3/5 and 2024年3月5日 are also accepted)"),
    "not_timestamp": ("{column}：“{value}”不是有效时间（应为 ISO 8601，如 2024-03-05 10:30:00，"
                      "年份 {expected}；不带时区的时间按北京时间）",
                      "{column}: '{value}' is not a valid timestamp (expected ISO 8601 such as "
                      "2024-03-05 10:30:00, year {expected}; times without a zone are China "
                      "Standard Time)"),
    "unknown_code": ("{column}：“{value}”不是已知代码；可用：{expected}",
                     "{column}: '{value}' is not a known code; accepted: {expected}"),
    "below_min": ("{column}：{value} 小于允许的最小值 {expected}",
                  "{column}: {value} is below the minimum {expected}"),
    "above_max": ("{column}：{value} 大于允许的最大值 {expected}",
                  "{column}: {value} is above the maximum {expected}"),
    "param_below_min": ("{column}：{parameter} 为 {value}，小于允许的最小值 {expected}",
                        "{column}: {parameter} is {value}, below the minimum {expected}"),
    "param_above_max": ("{column}：{parameter} 为 {value}，大于允许的最大值 {expected}",
                        "{column}: {parameter} is {value}, above the maximum {expected}"),
    "hours_exceed": ("{column}：运行小时数 {value} h 超过 {period} 的全月小时数 {expected} h",
                     "{column}: operating hours {value} h exceed the {expected} h in {period}"),
    "unknown_unit": ("{column}：未知计量单位“{value}”（{parameter} 的单位应为 {expected} "
                     "或可换算为它的单位）",
                     "{column}: unknown unit '{value}' ({parameter} is in {expected} or a unit "
                     "convertible to it)"),
    "unit_mismatch": ("{column}：计量单位“{value}”无法换算为 {parameter} 的单位 {expected}",
                      "{column}: unit '{value}' cannot be converted to {expected}, the unit of "
                      "{parameter}"),
    "bad_credit_code": ("{column}：“{value}”不是有效的统一社会信用代码（应为18位，校验位符合 "
                        "GB 32100-2015）",
                        "{column}: '{value}' is not a valid unified social credit code "
                        "(18 characters with a GB 32100-2015 check character)"),
    "too_long": ("{column}：文本长 {value} 个字符，超过上限 {expected} 个字符",
                 "{column}: the text is {value} characters long, more than the limit of "
                 "{expected}"),
    "duplicate_key": ("键 {column} = {value} 在本次导入中重复（另见第 {expected} 行）；"
                      "重复的各行均被隔离",
                      "key {column} = {value} occurs more than once in this import (also on "
                      "row {expected}); every copy is quarantined"),
    "unknown_province": ("{column}：“{value}”不是省级行政区名称；可用：{expected}（也接受“省”"
                         "“市”“自治区”等全称）",
                         "{column}: '{value}' is not a provincial-level division of China; "
                         "accepted: {expected} (full names such as 江苏省 are also accepted)"),
    "unknown_city": ("{column}：“{value}”不是{province}的地级行政区（也接受县级市，直辖市"
                     "接受其区、县）{elsewhere}；{province}的地级行政区：{expected}（也接受不带“市”“地区”“盟”"
                     "“自治州”的简称和拼音）",
                     "{column}: '{value}' is not a prefecture-level division of {province} "
                     "(county-level cities are also accepted, and for a municipality its "
                     "districts and counties){elsewhere}; the prefecture-level divisions of "
                     "{province}: {expected} (short forms without 市/地区/盟/自治州 and pinyin "
                     "are also accepted)"),
    "dangling": ("{column}：“{value}”在{expected}中不存在（本次导入和现有数据集中均没有）",
                 "{column}: '{value}' is not in {expected} (neither in this import nor in "
                 "the dataset)"),
    "conflict": ("与现有记录冲突（{value}）；主数据的修改不会被静默应用，请核实后单独处理",
                 "conflicts with existing record ({value}); changes to master data are not "
                 "applied silently, review and apply them separately"),
    "revision_exists": ("修订版本 {value} 已存在且内容不同（现有最新修订为 {expected}）；"
                        "新增修订请留空版本号或填写新的版本号",
                        "revision {value} already exists with different content (the latest "
                        "existing revision is {expected}); leave the revision empty or give a "
                        "new number to add a revision"),
    "too_many_cells": ("该行的单元格多于表头（多出的单元格：{value}）",
                       "the row has more cells than the header (extra cells: {value})"),
}

#: File-level errors (the file, or one sheet of it, is not imported at all).
FILE: dict[str, tuple[str, str]] = {
    "undecodable": ("无法识别文件编码：既不是 UTF-8，也不是 {encodings}{hint}；请另存为 UTF-8 "
                    "编码的 CSV",
                    "cannot decode the file: it is neither UTF-8 nor {encodings}{hint}; save it "
                    "as a UTF-8 CSV"),
    "unsupported_type": ("不支持的文件类型“{suffix}”（支持 .csv、.tsv、.txt、.xlsx、.parquet）",
                         "unsupported file type '{suffix}' (use .csv, .tsv, .txt, .xlsx or "
                         ".parquet)"),
    "unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "unknown_table": ("无法确定“{name}”属于哪个数据表；请以表名（{tables}）或中文表名"
                      "（{aliases}）命名文件或工作表，或使用 --table 指定",
                      "cannot tell which table '{name}' holds; name the file or sheet after a "
                      "table ({tables}) or a Chinese table name ({aliases}), or pass --table"),
    "no_header": ("没有表头行（文件或工作表为空）", "no header row (the file or sheet is empty)"),
    "missing_column": ("缺少必需列 {column}；可接受的表头：{accepted}",
                       "required column {column} is missing; accepted headers: {accepted}"),
    "duplicate_column": ("多个表头对应同一列 {column}：{headers}",
                         "several headers map to the same column {column}: {headers}"),
    "not_regular": ("不是普通文件（是{kind}），不读取",
                    "not a regular file (it is {kind}); not read"),
    "too_large": ("文件大小 {size} MB，超过上限 {limit} MB（配置 import.max_file_mb）",
                  "the file is {size} MB, more than the limit of {limit} MB (config "
                  "import.max_file_mb)"),
    "mixed_encoding": ("文件混用了多种编码：第 {utf8_line} 行是 UTF-8，第 {other_line} 行不是；"
                       "按 {encoding} 读取会把 UTF-8 行变成乱码；请统一另存为 UTF-8",
                       "the file mixes encodings: line {utf8_line} is UTF-8 but line "
                       "{other_line} is not; reading it as {encoding} would turn the UTF-8 lines "
                       "into mojibake; save the whole file as UTF-8"),
    "unterminated_quote": ("第 {line} 行开始的记录中有未闭合的引号：第 {line}–{last} 行会被并入"
                           "同一行；请检查该行的引号",
                           "the record starting on line {line} has an unterminated quote: lines "
                           "{line}-{last} would be folded into one row; check the quotes on that "
                           "line"),
    "folded_rows": ("第 {line} 行开始的记录中，第 {number} 列（{column}）的引号内容跨第 "
                    "{line}–{last} 行，其中第 {lines} 行（共 {count} 行）各自像一条完整记录"
                    "（可拆成 {width} 列）："
                    "可能是多余的引号把这些行并入了同一行；文件未导入，请检查第 {line} 行和第 "
                    "{last} 行的引号",
                    "the quoted cell in column {number} ({column}) of the record starting on "
                    "line {line} spans lines {line}-{last}, and lines {lines} inside it "
                    "({count} in all) read like records of this file ({width} or more cells "
                    "each): a stray quote would fold those rows into one; the file is not "
                    "imported, check the quotes on lines {line} and {last}"),
    "too_many_columns": ("表头区域至少有 {count} 列，超过上限 {limit} 列（已知列加配置 "
                         "import.max_extra_columns）",
                         "the header area has at least {count} columns, more than the limit of "
                         "{limit} (the known columns plus config import.max_extra_columns)"),
    "too_many_extras": ("有 {count} 个未知的额外列，超过上限 {limit}（配置 "
                        "import.max_extra_columns）；前几个：{names}",
                        "{count} unknown extra columns, more than the limit of {limit} (config "
                        "import.max_extra_columns); the first: {names}"),
    "header_too_long": ("第 {column} 列的表头长 {length} 个字符，超过上限 {limit}（配置 "
                        "import.max_header_length）；开头为“{start}”",
                        "the header of column {column} is {length} characters long, more than "
                        "the limit of {limit} (config import.max_header_length); it starts "
                        "'{start}'"),
    "sheet_too_big": ("工作表 {member} 的单元格跨 {rows} 行 × {cols} 列，超过上限 {limit} 个"
                      "单元格",
                      "worksheet {member} spans {rows} rows x {cols} columns, more than the "
                      "limit of {limit} cells"),
    "dataset_locked": ("另一个导入正在写入数据集 {dataset}，等待 {timeout} 秒后仍未结束；"
                       "请稍后重试",
                       "another import is writing to the dataset {dataset} and did not finish "
                       "within {timeout} s; try again later"),
    "header_unit": ("表头“{header}”中的单位“{unit}”无法换算为 {column} 的单位 {expected}",
                    "the unit '{unit}' in header '{header}' cannot be converted to {expected}, "
                    "the unit of {column}"),
}


@dataclass(frozen=True)
class Bi:
    """A template field whose text differs by language (each part a str or a per-row Series)."""

    zh: Any
    en: Any


#: Labels a reason shows per code; the full list is in the data-format document.
SHOWN_LABELS = 3


def accepted_codes(labels: dict[str, tuple[str, ...]]) -> Bi:
    """What a code column accepts, for a reason: each code with its first labels.

    ``pass（符合、通过、合格…）、fail（不符合…）`` / ``pass (符合, 通过, 合格, …), fail (…)``;
    when labels are left out the text says where all of them are listed.
    """
    zh, en, cut = [], [], False
    for code, names in labels.items():
        shown = names[:SHOWN_LABELS]
        more = len(names) > SHOWN_LABELS
        cut |= more
        zh.append(f"{code}（{'、'.join(shown)}{'…' if more else ''}）" if shown else code)
        en.append(f"{code} ({', '.join(shown)}{', …' if more else ''})" if shown else code)
    note = ("；全部标签见 docs/data-format.md", "; every label is listed in docs/data-format.md"
            ) if cut else ("", "")
    return Bi("、".join(zh) + note[0], ", ".join(en) + note[1])


def _fill(template: str, n: int, fields: dict[str, Any], lang: str) -> pd.Series:
    out = pd.Series([""] * n, dtype=str)
    for literal, name, _spec, _conv in Formatter().parse(template):
        if literal:
            out = out + literal
        if name is None:
            continue
        value = fields[name]
        if isinstance(value, Bi):
            value = getattr(value, lang)
        if isinstance(value, pd.Series):
            out = out + value.astype(str).reset_index(drop=True)
        else:
            out = out + str(value)
    return out


def row_reasons(code: str, n: int, **fields: Any) -> tuple[pd.Series, pd.Series]:
    """The zh and en reason texts of ``n`` rows rejected for ``code``.

    Each field is a scalar (same for every row), a Series of ``n`` values, or a
    :class:`Bi` of either when the text depends on the language.
    """
    zh, en = ROW[code]
    return _fill(zh, n, fields, "zh"), _fill(en, n, fields, "en")


def file_message(code: str, **fields: Any) -> tuple[str, str]:
    """The zh and en text of a file-level error (fields may be :class:`Bi`)."""
    zh, en = FILE[code]

    def pick(lang: str) -> dict[str, Any]:
        return {k: getattr(v, lang) if isinstance(v, Bi) else v for k, v in fields.items()}

    return zh.format(**pick("zh")), en.format(**pick("en"))


class FileError(Exception):
    """A file or sheet that cannot be imported at all, with its bilingual message."""

    def __init__(self, code: str, **fields: Any):
        self.zh, self.en = file_message(code, **fields)
        super().__init__(self.en)
