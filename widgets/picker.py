"""Enterprise picker: search by name or credit code, filter by province, city and industry,
listed by risk with score and top reasons."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from widgets.labels import label
from workbench import schema
from workbench.name_search import matches, search_text
from workbench.review import ReviewData
from workbench.tables import reasons_text


def _option_text(row, locale: str) -> str:
    reasons = reasons_text(row.top_reasons, locale) if isinstance(row.top_reasons, str) else ""
    return (f"{row.rank:>4}. {row.enterprise_name} ({row.city}) · {row.risk_score:.0f}"
            + (f" · {reasons}" if reasons else ""))


def filter_enterprises(table: pd.DataFrame, text: str = "", province: str = "",
                       city: str = "", industry: str = "") -> pd.DataFrame:
    """Rows of the enterprise list matching a search text (Chinese, pinyin or its initials,
    city, credit code: :mod:`workbench.name_search`) and filters (empty = any)."""
    sel = pd.Series(True, index=table.index)
    if text.strip():
        texts = table["search_text"] if "search_text" in table else search_text(table)
        sel &= matches(texts, text)
    for col, value in (("province", province), ("city", city), ("industry_code", industry)):
        if value:
            sel &= table[col] == value
    return table[sel]


class EnterprisePicker:
    """Pick an enterprise; ``value`` is its credit code (``None`` when nothing matches)."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN", rows: int = 12):
        self._table = review.enterprise_list()
        self._table["search_text"] = search_text(self._table)
        self._callbacks: list[Callable[[str | None], None]] = []
        self._w_search = w.Text(continuous_update=True)     # filters as the reviewer types
        self._w_province = w.Dropdown()
        self._w_city = w.Dropdown()
        self._w_industry = w.Dropdown()
        self._w_list = w.Select(rows=rows, layout=w.Layout(width="100%"))
        self.set_locale(locale)
        for child in (self._w_search, self._w_province, self._w_city, self._w_industry):
            child.observe(self._refilter, names="value")
        self._w_list.observe(self._picked, names="value")
        self._refilter()
        self.widget = w.VBox([w.HBox([self._w_search, self._w_province, self._w_city,
                                      self._w_industry]), self._w_list])

    @property
    def value(self) -> str | None:
        """The chosen enterprise's credit code."""
        return self._w_list.value

    @value.setter
    def value(self, enterprise_id: str) -> None:
        self._w_search.value = ""
        self._w_province.value = self._w_city.value = self._w_industry.value = ""
        self._w_list.value = enterprise_id

    @property
    def options(self) -> list[str]:
        """Credit codes currently listed, in risk order."""
        return [v for _, v in self._w_list.options]

    def on_change(self, callback: Callable[[str | None], None]) -> None:
        """Call ``callback(enterprise_id)`` when the choice changes."""
        self._callbacks.append(callback)

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        everyone = label("all", locale)
        self._w_search.placeholder = label("search", locale)
        for child, col, key in ((self._w_province, "province", "province"),
                                (self._w_city, "city", "city"),
                                (self._w_industry, "industry_code", "industry")):
            current = child.value
            child.options = [(everyone, "")] + [
                (schema.code_name(col, v, locale), v)
                for v in sorted(self._table[col].dropna().unique())]
            child.description = label(key, locale)
            child.value = current if current is not None else ""
        self._refilter()                       # the reasons read in the new language

    def _refilter(self, _change=None) -> None:
        rows = filter_enterprises(self._table, self._w_search.value or "",
                                  self._w_province.value or "", self._w_city.value or "",
                                  self._w_industry.value or "")
        current = self._w_list.value
        self._w_list.options = [(_option_text(r, self._locale), r.enterprise_id)
                                for r in rows.itertuples()]
        if current in set(rows["enterprise_id"]):
            self._w_list.value = current
        elif len(rows):
            self._w_list.value = rows["enterprise_id"].iloc[0]

    def _picked(self, change) -> None:
        for cb in self._callbacks:
            cb(change["new"])
