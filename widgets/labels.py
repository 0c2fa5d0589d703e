"""The words of the views (from the one catalogue, :mod:`workbench.labels`) and the language
switch every view follows."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from workbench import schema, sector_contract
from workbench.labels import TEXT, text

#: The phrases on screens (key -> (zh, en)).
LABELS = TEXT
#: The phrase of a key in a locale.
label = text


def unit_options(units: pd.DataFrame, locale: str) -> list[tuple[str, str]]:
    """Dropdown options of an enterprise's units: a facility of the 2025 sectors named with
    its kind ("ADQU55-BF1 · 炼铁工序"), a power unit by its id."""
    return [(f"{u} · {schema.code_name('unit_category_code', kind, locale)}"
             if kind in sector_contract.FACILITY_SECTOR else u, u)
            for u, kind in zip(units["unit_id"], units["unit_category_code"], strict=True)]


class LanguageSwitch:
    """zh-CN / English toggle; views register a callback to redraw their labels."""

    def __init__(self, locale: str = "zh-CN"):
        self._w_toggle = w.ToggleButtons(options=[("中文", "zh-CN"), ("English", "en")],
                                         value=locale)
        self._callbacks: list[Callable[[str], None]] = []
        self._w_toggle.observe(self._changed, names="value")

    @property
    def value(self) -> str:
        """The current locale."""
        return self._w_toggle.value

    @value.setter
    def value(self, locale: str) -> None:
        self._w_toggle.value = locale

    def on_change(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(locale)`` whenever the language changes."""
        self._callbacks.append(callback)

    def _changed(self, change) -> None:
        for cb in self._callbacks:
            cb(change["new"])

    @property
    def widget(self) -> w.Widget:
        """The toggle to place in a layout."""
        return self._w_toggle
