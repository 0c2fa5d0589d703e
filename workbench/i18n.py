"""Bilingual text (zh-CN / English).

Every label, title and message the user reads exists in both languages; this
module picks one by locale.  Locale comes from the config (``general.locale``)
unless a caller passes one.
"""

from __future__ import annotations

from workbench import schema

LOCALES = ("zh-CN", "en")


def pick(zh: str, en: str, locale: str) -> str:
    """The text for ``locale`` (``zh-CN`` or ``en``)."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; use one of {LOCALES}")
    return zh if locale == "zh-CN" else en


def table_label(table: str, locale: str) -> str:
    """Label of a canonical table."""
    t = schema.TABLES[table]
    return pick(t.label_zh, t.label_en, locale)


def column_label(table: str, column: str, locale: str) -> str:
    """Label of a canonical column, with its unit when it has one (``装机容量 (MW)``)."""
    c = schema.TABLES[table].column(column)
    text = pick(c.label_zh, c.label_en, locale)
    return f"{text} ({c.unit})" if c.unit else text


def parameter_label(code: str, locale: str) -> str:
    """Label of a monthly parameter code with its canonical unit."""
    p = schema.PARAMETERS[code]
    text = pick(p.label_zh, p.label_en, locale)
    return f"{text} ({p.unit})" if p.unit != "1" else text
