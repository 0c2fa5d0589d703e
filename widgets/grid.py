"""Evidence tables like a spreadsheet: a sortable, filterable grid (ipydatagrid) with zh/en
headers and codes as words, flagged rows highlighted, the record a flag points at
selected, and the rows as shown (after the reviewer's sorting and filtering) exported as
XLSX in one click.

ipydatagrid (maintained by Bloomberg) renders in JupyterLab and in Voilà; the dashboard's
Voilà loads its front-end extension (``workbench.cli.VOILA_EXTENSIONS``).  The export is
a download link holding the workbook (no server round trip, works offline); its cells
are formula-safe (``workbench.safe_cells``).
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as w
import pandas as pd
from ipydatagrid import DataGrid, TextRenderer, VegaExpr

from widgets.labels import label
from workbench.tables import display_frame

#: The mark in the column that says a row is highlighted (headed in the user's language).
MARK = "✓"
#: Background of a highlighted row.
FLAGGED_COLOUR = "#fde2e1"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """``frame`` as an XLSX workbook of one sheet, every cell formula-safe."""
    from workbench.safe_cells import neutralise_frame

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        neutralise_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return out.getvalue()


class EvidenceGrid:
    """One table in a grid.  :meth:`show` puts a frame on it (contract column names; shown
    with zh/en headers and words for codes), marks ``flagged`` rows (highlighted, and ✓ in
    a first column saying what the mark means: 有预警 for evidence, 严重 for flags, 逾期 for
    findings) and selects ``select`` (a row position); ``value`` is the frame as given."""

    def __init__(self, name: str, locale: str = "zh-CN", height: str = "320px"):
        self._name = name
        self._locale = locale
        self.value = pd.DataFrame()
        self._flagged = pd.Series(dtype=bool)
        self._grid = DataGrid(pd.DataFrame({"": []}), selection_mode="row", editable=False,
                              header_visibility="column",
                              layout=w.Layout(height=height, width="100%"),
                              base_column_size=110, auto_fit_columns=True)
        self._w_export = w.Button(icon="download")
        self._w_export.on_click(self._export)
        self._w_link = w.HTML()
        self._w_empty = w.HTML()
        self.widget = w.VBox([self._w_empty, self._grid,
                              w.HBox([self._w_export, self._w_link])])
        self.set_locale(locale)

    @property
    def grid(self) -> DataGrid:
        """The ipydatagrid widget."""
        return self._grid

    def show(self, frame: pd.DataFrame, flagged: pd.Series | None = None,
             select: int | None = None) -> None:
        """Show ``frame`` (its index is dropped), highlight rows where ``flagged`` is true,
        select row ``select``."""
        self.value = frame.reset_index(drop=True)
        self._flagged = (pd.Series(False, index=self.value.index) if flagged is None
                         else pd.Series(list(flagged), index=self.value.index).fillna(False)
                         .astype(bool))
        self._w_link.value = ""
        self._render()
        if select is not None and 0 <= select < len(self.value):
            self._grid.select(select, 0, select, max(len(self._grid.data.columns) - 2, 0),
                              clear_mode="all")

    def visible(self) -> pd.DataFrame:
        """The rows as the reviewer sees them (after sorting and filtering in the grid),
        with the headers shown."""
        return self._grid.get_visible_data()

    def set_locale(self, locale: str) -> None:
        """Relabel for ``locale``."""
        self._locale = locale
        self._w_export.description = label("grid_export", locale)
        self._render()

    def _render(self) -> None:
        if self.value.empty:
            self._w_empty.value = f"<p>{html.escape(label('grid_empty', self._locale))}</p>"
            self._grid.layout.display = "none"
            self._w_export.disabled = True
            return
        shown = display_frame(self.value, self._locale)
        marked = label(f"grid_marked_{self._name}", self._locale)
        shown.insert(0, marked, [MARK if f else "" for f in self._flagged])
        self._grid.default_renderer = TextRenderer(background_color=VegaExpr(
            f"cell.metadata.data['{marked}'] == '{MARK}' ? '{FLAGGED_COLOUR}' : 'white'"))
        self._grid.data = shown.astype("string")
        self._grid.layout.display = None
        self._w_empty.value = ""
        self._w_export.disabled = False

    def _export(self, _button=None) -> None:
        data = xlsx_bytes(self.visible(), self._name)
        href = f"data:{XLSX_MIME};base64,{base64.b64encode(data).decode()}"
        text = html.escape(label("grid_download", self._locale).format(n=len(self.visible())))
        self._w_link.value = (f'<a class="wb-download" download="{html.escape(self._name)}.xlsx"'
                              f' href="{href}">{text}</a>')
