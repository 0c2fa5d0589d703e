"""Peer benchmark: a unit's typical value placed in its peer group's distribution; the peer
group can be changed."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from widgets.figures import new_figure_widget, show
from widgets.labels import label
from workbench import plots
from workbench.i18n import pick
from workbench.labels import SECTOR_PEER_GROUPS, code_text, columns_of
from workbench.review import ReviewData

#: The quantities a unit is benchmarked on (headers from the catalogue).
QUANTITIES = columns_of(("supply_coal_gce_per_kwh", "supply_intensity_t_per_mwh", "own_use_rate",
                         "load_factor", "cc_tc_per_gj", "ncv_gj_per_t"))
SCOPES = ("auto", "province", "band", "category")


class PeerBenchmark:
    """``value`` is (unit_id, quantity, scope)."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN"):
        self._review = review
        self._locale = locale
        self._hold = False
        self._drawn: tuple | None = None      # what the figure shows (notifications may repeat)
        self._carbon_drawn: tuple | None = None   # (enterprise, locale) of the C_ar–NCV band
        self._visible = True                  # hidden: figures wait (set_visible)
        self._w_unit = w.Dropdown()
        self._w_quantity = w.Dropdown()
        self._w_scope = w.Dropdown()
        self._w_group = w.HTML()
        self._w_fig = new_figure_widget()
        self._w_carbon = new_figure_widget()
        self._enterprise: str | None = None
        self._sector = pd.DataFrame()         # the enterprise's sector quantities (not power)
        self._w_unit.observe(self._unit_changed, names="value")
        for child in (self._w_quantity, self._w_scope):
            child.observe(self._redraw, names="value")
        self.widget = w.VBox([w.HBox([self._w_unit, self._w_quantity, self._w_scope]),
                              self._w_group, self._w_fig, self._w_carbon])
        self.set_locale(locale)

    @property
    def value(self) -> tuple[str | None, str, str]:
        """(unit_id, quantity, peer-group scope)."""
        return self._w_unit.value, self._w_quantity.value, self._w_scope.value

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Offer another enterprise's units and place its lab reports on the C_ar–NCV band;
        a steel, cement or aluminium enterprise is benchmarked on its sector's quantities
        (per t crude steel, clinker or aluminium) against facilities of its route or
        product, as the screening compared them."""
        self._enterprise = enterprise_id
        self._sector = (self._review.sector_quantities(enterprise_id) if enterprise_id
                        else pd.DataFrame())
        if len(self._sector):
            units = list(dict.fromkeys(self._sector["unit_id"]))
        else:
            units = (self._review.units_of(enterprise_id)["unit_id"].tolist() if enterprise_id
                     else [])
        self._hold = True
        try:
            self._w_unit.options = units
            self._w_unit.value = units[0] if units else None
            self._quantity_options()
        finally:
            self._hold = False
        self._draw()

    def _quantity_options(self) -> None:
        """The quantities of the unit on screen: its sector's, or the power sector's."""
        zh = self._locale == "zh-CN"
        current = self._w_quantity.value
        if len(self._sector):
            rows = self._sector[self._sector["unit_id"] == self._w_unit.value]
            options = [(f"{r.label_zh if zh else r.label_en} ({r.unit})", r.key)
                       for r in rows.itertuples()]
        else:
            options = [(v[0] if zh else v[1], k) for k, v in QUANTITIES.items()]
        keys = [k for _, k in options]
        self._w_quantity.options = options
        self._w_quantity.value = current if current in keys else (keys[0] if keys else None)
        self._w_scope.disabled = bool(len(self._sector))

    def set_visible(self, visible: bool) -> None:
        """Draw only while on screen: while hidden, a switch updates the choices but leaves
        the figures to be drawn, once, when the view is shown again."""
        self._visible = visible
        self._draw()

    def set_scope(self, scope: str) -> None:
        """Change the peer group (``auto``, ``province``, ``band`` or ``category``)."""
        self._w_scope.value = scope

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        s = self._w_scope.value
        hold, self._hold = self._hold, True
        try:
            self._quantity_options()
            self._w_scope.options = [(label(f"scope_{k}", locale), k) for k in SCOPES]
            self._w_scope.value = s or "auto"
        finally:
            self._hold = hold
        self._w_unit.description = label("unit", locale)
        self._w_quantity.description = label("quantity", locale)
        self._w_scope.description = label("peer_scope", locale)
        self._draw()

    def _unit_changed(self, _change=None) -> None:
        if len(self._sector) and not self._hold:
            self._hold = True
            try:
                self._quantity_options()
            finally:
                self._hold = False
        self._redraw()

    def _draw(self) -> None:
        """Both figures, each only if what it shows changed (see :meth:`set_visible`)."""
        self._redraw()
        self._carbon()

    def _redraw(self, _change=None) -> None:
        unit, quantity, scope = self.value
        key = (unit, quantity, scope, self._locale)
        if (self._hold or not self._visible or not unit or not quantity or not scope
                or key == self._drawn):
            return
        self._drawn = key
        if len(self._sector):
            peers, code, year = self._review.sector_peers_of(unit, quantity)
            group = f"{code_text(SECTOR_PEER_GROUPS, code, self._locale)} · {year}"
            name = dict((k, text) for text, k in self._w_quantity.options)[quantity]
        else:
            peers, group = self._review.peers_of(unit, quantity, scope)
            name = QUANTITIES[quantity][0 if self._locale == "zh-CN" else 1]
        self._w_group.value = f"<b>{label('peers', self._locale)}</b>: {group} · n={len(peers)}"
        show(self._w_fig, plots.peer_figure(peers, f"{unit} · {name}", name), self._locale)

    def _carbon(self) -> None:
        key = (self._enterprise, self._locale)
        if not self._visible or not self._enterprise or key == self._carbon_drawn:
            return
        self._carbon_drawn = key
        fit = self._review.carbon_ncv(self._enterprise)
        title = pick("收到基碳–低位发热量回归带", "C_ar–NCV regression band", self._locale)
        show(self._w_carbon, plots.carbon_ncv_figure(fit, title), self._locale)
