"""The reviewer workbench: picker, filing history, peer benchmark and flags in one app."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from widgets.flags import FlagsPanel
from widgets.header import EnterpriseHeader
from widgets.history import FilingHistory
from widgets.labels import LanguageSwitch, label
from widgets.peers import PeerBenchmark
from widgets.picker import EnterprisePicker
from workbench.review import ReviewData


class ReviewerApp:
    """Everything a provincial reviewer needs for one enterprise at a time.

    The enterprise's card heads the tabs (:class:`~widgets.header.EnterpriseHeader`).
    ``value`` is the chosen enterprise's credit code; choosing another refreshes every view,
    and the figures and tables of the views in hidden tabs are drawn when their tab is
    opened (drawing them all took most of a switch).  With a findings ``store``
    (``workbench.findings.open_store``) a findings tab holds the finding form and the
    enterprise's findings.
    """

    def __init__(self, review: ReviewData, locale: str = "zh-CN", store=None):
        self.review = review
        self._w_language = LanguageSwitch(locale)
        self.picker = EnterprisePicker(review, locale)
        self.header = EnterpriseHeader(review, locale, store)
        self.history = FilingHistory(review, locale)
        self.peers = PeerBenchmark(review, locale)
        self.flags = FlagsPanel(review, locale, store)
        self.flags.on_disposed(self.header.refresh)
        self.views = [self.picker, self.header, self.history, self.peers, self.flags]
        tabs = [self.flags.widget, self.history.widget, self.peers.widget]
        self._tab_keys = ["flags", "history", "peers"]
        if store is not None:
            from widgets.findings import FindingForm, FindingList

            self.form = FindingForm(review, store, locale)
            self.findings = FindingList(store, locale)
            self.form.on_saved(self.findings.refresh)
            self.form.on_saved(self.header.refresh)
            self.form.on_saved(self.flags.refresh_findings)
            self.findings.on_changed(self.header.refresh)
            self.views += [self.form, self.findings]
            tabs.append(w.VBox([self.form.widget, self.findings.widget]))
            self._tab_keys.append("findings")
        self._w_tabs = w.Tab(children=tabs)
        self._drawn_in_tab = {"history": self.history, "peers": self.peers}
        self._w_tabs.observe(self._tab_changed, names="selected_index")
        self._tab_changed()
        self.picker.on_change(self._show)
        self.flags.on_jump(self._jump)
        self._w_language.on_change(self.set_locale)
        self.widget = w.VBox([self._w_language.widget, self.picker.widget, self.header.widget,
                              self._w_tabs])
        self.set_locale(locale)
        self._show(self.picker.value)

    @property
    def value(self) -> str | None:
        """The enterprise on screen."""
        return self.picker.value

    @value.setter
    def value(self, enterprise_id: str) -> None:
        self.picker.value = enterprise_id

    def set_locale(self, locale: str) -> None:
        """Switch every view to ``locale``."""
        for view in self.views:
            view.set_locale(locale)
        for i, key in enumerate(self._tab_keys):
            self._w_tabs.set_title(i, label(key, locale))

    def _tab_changed(self, _change=None) -> None:
        open_tab = self._tab_keys[self._w_tabs.selected_index or 0]
        for key, view in self._drawn_in_tab.items():
            view.set_visible(key == open_tab)

    def _show(self, enterprise_id: str | None) -> None:
        for view in self.views[1:]:
            view.show_enterprise(enterprise_id)

    def _jump(self, flag: pd.Series) -> None:
        self._w_tabs.selected_index = 1           # shown first: a hidden view draws nothing
        self.history.show_flag(flag)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
