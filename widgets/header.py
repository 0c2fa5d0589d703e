"""The enterprise header card: who the reviewer (or supervisor) is looking at.

A thin view over :func:`workbench.enterprise_card.enterprise_card`: name and credit code,
province · city, industry, verifier, units, rank "r/N" and score with the risk it is made
of (per check, summing to the score), materiality, checks that could not run, findings
already recorded (overdue in red) and "N 预警，已处理 M".  Shown above the reviewer app's
tabs and in the dashboard's drill-down.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from widgets.labels import label
from workbench import schema
from workbench.enterprise_card import EnterpriseCard, enterprise_card
from workbench.findings.codes import STATUSES
from workbench.i18n import pick
from workbench.labels import MATERIALITY_LEVELS
from workbench.review import ReviewData
from workbench.tables import number_text, table_html

CARD_CSS = """<style>
.wb-card { border: 1px solid #ccd; border-radius: 6px; padding: .5em .9em; margin: .3em 0;
           background: #fafbfd; line-height: 1.6; }
.wb-card .wb-name { font-size: 1.25em; font-weight: 600; }
.wb-card .wb-code { font-family: monospace; color: #555; margin-left: .6em; }
.wb-card .wb-facts span { margin-right: 1.2em; }
.wb-card .wb-overdue { color: #b3261e; font-weight: 600; }
.wb-card table { border-collapse: collapse; font-size: .92em; }
.wb-card td, .wb-card th { padding: .1em .6em; border-bottom: 1px solid #e4e4ec; }
</style>"""


def _facility_size(u, locale: str) -> str:
    """The size of a facility of the 2025 sectors, as filed (design output, rated daily
    clinker, cells and line current); "" when none is filed."""
    sizes = []
    if pd.notna(u.design_capacity_kt):
        sizes.append(f"{number_text(float(u.design_capacity_kt))} kt/a")
    if pd.notna(u.rated_capacity_t_per_d):
        sizes.append(f"{number_text(float(u.rated_capacity_t_per_d))} t/d")
    if pd.notna(u.cells):
        sizes.append(pick(f"{int(u.cells)} 槽", f"{int(u.cells)} cells", locale))
    if pd.notna(u.line_current_ka):
        sizes.append(f"{number_text(float(u.line_current_ka))} kA")
    return " · ".join(sizes)


def _units_text(units: pd.DataFrame, locale: str) -> str:
    parts = []
    for u in units.itertuples():
        if pd.isna(u.capacity_mw):                      # a facility of the 2025 sectors
            kind = schema.code_name("unit_category_code", str(u.unit_category_code), locale)
            size = _facility_size(u, locale)
            inner = f"{kind} · {size}" if size else kind
            parts.append(pick(f"{u.unit_id}（{inner}）", f"{u.unit_id} ({inner})", locale))
            continue
        what = " · ".join(schema.code_name(c, str(getattr(u, c)), locale)
                          for c in ("unit_category_code", "fuel_code")
                          if pd.notna(getattr(u, c)))
        chp = pick("，热电联产", ", CHP", locale) if u.is_chp is True else ""
        parts.append(f"{u.unit_id} {number_text(float(u.capacity_mw))} MW（{what}{chp}）"
                     if locale == "zh-CN" else
                     f"{u.unit_id} {number_text(float(u.capacity_mw))} MW ({what}{chp})")
    return pick("；", "; ", locale).join(parts)


def _findings_text(card: EnterpriseCard, locale: str) -> str:
    if not card.findings_by_status:
        return html.escape(label("card_no_findings", locale))
    parts = [f"{html.escape(pick(*STATUSES[s], locale))} {n}"
             for s, n in card.findings_by_status.items()]
    if card.findings_overdue:
        overdue = label("card_overdue", locale).format(n=card.findings_overdue)
        parts.append(f'<span class="wb-overdue">{html.escape(overdue)}</span>')
    return " · ".join(parts)


def card_html(card: EnterpriseCard, locale: str, top: int = 5) -> str:
    """The card as escaped HTML; the risk table lists the ``top`` checks by points."""
    s, esc = card.summary, html.escape
    level = MATERIALITY_LEVELS.get(s["materiality_level"])
    facts = [
        f"{s['province']} · {s['city']}",
        f"{label('industry', locale)} "
        f"{schema.code_name('industry_code', s['industry_code'], locale)}",
        f"{label('card_verifier', locale)} {s['verifier_name']}",
        (label("card_units", locale).format(n=s["units"], mw=number_text(s["capacity_mw"]))
         if s["industry_code"] == "power" else
         label("card_facilities", locale).format(n=s["units"])),
    ]
    risk = (label("card_rank", locale).format(rank=s["rank"], of=s["enterprises_ranked"],
                                              score=number_text(s["risk_score"]),
                                              critical=s["n_critical"], warning=s["n_warning"])
            if s["screened"] else label("card_not_screened", locale))
    materiality = label("card_materiality", locale).format(
        share=f"{s['materiality']:.1%}", level=pick(*level, locale) if level else "")
    shown = card.risk.head(top)[["check_id", "n_flags", "critical", "points", "share_of_score"]]
    more = len(card.risk) - len(shown)
    coverage = ""
    if card.not_checked or card.partly_checked:
        coverage = esc(label("card_coverage", locale).format(
            not_checked=card.not_checked, partly=card.partly_checked))
    disposed = label("card_flags_disposed", locale).format(total=card.flags_total,
                                                           done=card.flags_disposed)
    return (
        f'{CARD_CSS}<div class="wb-card" data-enterprise="{esc(s["enterprise_id"])}">'
        f'<div><span class="wb-name">{esc(str(s["enterprise_name"]))}</span>'
        f'<span class="wb-code">{esc(s["enterprise_id"])}</span></div>'
        f'<div class="wb-facts">{"".join(f"<span>{esc(str(x))}</span>" for x in facts)}</div>'
        f"<div>{esc(_units_text(card.units, locale))}</div>"
        + (f"<div><b>{esc(risk)}</b> · {esc(materiality)}</div>"
           f'<details class="wb-risk"><summary>{esc(label("card_risk_sources", locale))}'
           f'{esc(label("card_more", locale).format(n=more)) if more > 0 else ""}</summary>'
           f"{table_html(shown, locale, max_rows=top)}</details>"
           if s["screened"] else f"<div><b>{esc(risk)}</b></div>")
        + f"<div>{coverage}</div>"
        f"<div>{esc(label('findings', locale))}{pick('：', ': ', locale)}"
        f"{_findings_text(card, locale)}</div>"
        f'<div class="wb-disposed">{esc(disposed)}</div></div>')


class EnterpriseHeader:
    """The card of the enterprise on screen; ``value`` is its
    :class:`~workbench.enterprise_card.EnterpriseCard` (None when none is chosen).  With a
    findings ``store`` it counts the enterprise's findings and disposed flags;
    :meth:`refresh` re-reads them after a save."""

    def __init__(self, review: ReviewData, locale: str = "zh-CN", store=None):
        self._review = review
        self._store = store
        self._locale = locale
        self._enterprise: str | None = None
        self.value: EnterpriseCard | None = None
        self.widget = w.HTML()

    def show_enterprise(self, enterprise_id: str | None) -> None:
        """Show another enterprise's card (nothing for none)."""
        self._enterprise = enterprise_id
        self.refresh()

    def refresh(self, _changed=None) -> None:
        """Rebuild the card from the review and the store as they are now."""
        eid = self._enterprise
        if eid is None:
            self.value, self.widget.value = None, ""
            return
        findings = self._store.list(enterprise_id=eid) if self._store is not None else ()
        disposed = self._store.dispositions(eid) if self._store is not None else ()
        self.value = enterprise_card(self._review, eid, findings, disposed)
        self.widget.value = card_html(self.value, self._locale)

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        if self.value is not None:
            self.widget.value = card_html(self.value, locale)
