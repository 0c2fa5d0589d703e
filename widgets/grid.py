"""Evidence tables like a spreadsheet: a sortable, filterable grid (ipydatagrid) with zh/en
headers and codes as words, flagged rows highlighted, the record a flag points at
put on the first row and selected (the grid has no way to scroll to a row from Python, so
the record comes to the top, where it is on screen; a note says so and sorting by any
column puts it back in order), and the rows as shown (after the reviewer's sorting and
filtering) exported as XLSX in one click.

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
from workbench.tables import display_frame, is_number_column

#: The mark in the column that says a row is highlighted (headed in the user's language).
MARK = "✓"
#: Background of a highlighted row.
FLAGGED_COLOUR = "#fde2e1"
#: How numbers read in a grid (d3-format; they stay numbers, so they sort as numbers and
#: export as numbers): 4 significant digits with thousands separators, counts whole,
#: shares as percentages.
NUMBER_FORMAT, COUNT_FORMAT, SHARE_FORMAT = ",.4~r", ",d", ".1%"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """``frame`` as an XLSX workbook of one sheet, every cell formula-safe."""
    from workbench.safe_cells import neutralise_frame

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        neutralise_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return out.getvalue()


def _text_px(text: str) -> int:
    """About how wide ``text`` draws in the grid's 12 px font (px): a CJK character is a
    full em, other characters about half."""
    return sum(13 if ord(ch) >= 0x2E80 else 7 for ch in text)


def column_widths(shown: pd.DataFrame, most: int = 360) -> dict[str, int]:
    """A width for each column (px) that fits its header (with the menu icon) and the
    longest of its first 500 cells, at most ``most``: long names and messages are
    readable without widening columns by hand (the grid's own auto-fit measures the
    header only)."""
    out = {}
    for column in shown.columns:
        cells = shown[column].head(500).astype("string").fillna("")
        longest = max((_text_px(t) for t in cells), default=0)
        out[column] = min(most, max(_text_px(str(column)) + 28, longest + 16, 48))
    return out


def _number_renderer(fmt: str, background: str | VegaExpr) -> TextRenderer:
    """Numbers drawn with the d3-format ``fmt``; an empty number (NaN) as an empty cell
    (the grid's front end writes NaN itself whatever the text, so it is drawn unseen)."""
    return TextRenderer(
        background_color=background,
        text_value=VegaExpr(f"isFinite(cell.value) ? format(cell.value, '{fmt}') : ''"),
        text_color=VegaExpr("isFinite(cell.value) ? '#000000' : 'rgba(0, 0, 0, 0)'"))


def _number_format(name: str, values: pd.Series) -> str:
    """The d3-format of a column of numbers named ``name``."""
    if name.startswith("share_") or name == "materiality":
        return SHARE_FORMAT
    return COUNT_FORMAT if pd.api.types.is_integer_dtype(values) else NUMBER_FORMAT


class EvidenceGrid:
    """One table in a grid, under the heading ``title`` (a key of the label catalogue)
    when given.  :meth:`show` puts a frame on it (contract column names; shown with zh/en
    headers and words for codes), marks ``flagged`` rows (highlighted, and ✓ in a first
    column saying what the mark means: 有预警 for evidence, 严重 for flags, 逾期 for
    findings, 需调整 for checks; no such column when nothing is to be marked) and brings
    ``select`` (a row position) to the top, selected; ``value`` is the frame as shown
    (that row first)."""

    def __init__(self, name: str, locale: str = "zh-CN", height: str = "320px",
                 title: str | None = None):
        self._name = name
        self._title = title
        self._locale = locale
        self.value = pd.DataFrame()
        self._flagged: pd.Series | None = None
        self._grid = DataGrid(pd.DataFrame({"": []}), selection_mode="row", editable=False,
                              header_visibility="column",
                              layout=w.Layout(height=height, width="100%"),
                              base_column_size=110)
        self._w_export = w.Button(icon="download", layout=w.Layout(width="auto"))
        self._w_export.on_click(self._export)
        # a download made before the reviewer sorted or filtered no longer is "as shown"
        self._grid.observe(lambda _change: setattr(self._w_link, "value", ""),
                           names="_transforms")
        self._w_link = w.HTML()
        self._w_empty = w.HTML()
        self._w_pinned = w.HTML()
        self._w_title = w.HTML()
        self._pinned = False
        self._moved = False
        self._exports = 0                      # downloads made, numbered on their link
        self._renderers: dict[tuple[str | None, str | None], TextRenderer] = {}
        self.widget = w.VBox([self._w_title, self._w_empty, self._w_pinned, self._grid,
                              w.HBox([self._w_export, self._w_link])])
        self.widget.add_class("wb-grid")
        self.widget.add_class(f"wb-grid-{name}")
        self.set_locale(locale)

    @property
    def pinned(self) -> bool:
        """True when a row was brought to the top (the record a flag points at)."""
        return self._pinned

    @property
    def grid(self) -> DataGrid:
        """The ipydatagrid widget."""
        return self._grid

    def show(self, frame: pd.DataFrame, flagged: pd.Series | None = None,
             select: int | None = None) -> None:
        """Show ``frame`` (its index is dropped), highlight rows where ``flagged`` is true,
        bring row ``select`` to the top and select it."""
        frame = frame.reset_index(drop=True)
        marks = (None if flagged is None else
                 pd.Series(list(flagged), index=frame.index).fillna(False).astype(bool))
        self._pinned = select is not None and 0 <= select < len(frame)
        self._moved = self._pinned and select > 0     # brought up from further down
        if self._moved:
            order = [select, *(i for i in range(len(frame)) if i != select)]
            frame = frame.iloc[order]
            marks = None if marks is None else marks.iloc[order]
        self.value = frame.reset_index(drop=True)
        self._flagged = None if marks is None else marks.reset_index(drop=True)
        self._w_link.value = ""
        self._render()
        if self._pinned:
            self._grid.select(0, 0, 0, max(len(self._grid.data.columns) - 2, 0),
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
        self._w_title.value = (f"<h4>{html.escape(label(self._title, self._locale))}</h4>"
                               if self._title else "")
        pinned = self._moved and not self.value.empty
        self._w_pinned.value = (f'<p class="wb-pinned">'
                                f'{html.escape(label(f"grid_pinned_{self._name}", self._locale))}'
                                '</p>' if pinned else "")
        if self.value.empty:
            self._w_empty.value = f"<p>{html.escape(label('grid_empty', self._locale))}</p>"
            self._grid.layout.display = "none"
            self._w_export.disabled = True
            return
        shown = display_frame(self.value, self._locale, numbers=True)
        marked = None
        if self._flagged is not None:
            marked = label(f"grid_marked_{self._name}", self._locale)
            shown.insert(0, marked, [MARK if f else "" for f in self._flagged])
        names = dict(zip(display_frame(self.value.head(0), self._locale).columns,
                         self._shown_names(), strict=True))
        numeric = [c for c in shown.columns if is_number_column(shown[c])]
        # renderers are widgets of their own: made once per look and reused, since every new
        # one is a model the browser has to create on each redraw
        default = self._renderer(marked, None)
        if self._grid.default_renderer is not default:
            self._grid.default_renderer = default
        renderers = {c: self._renderer(marked, _number_format(names[c], shown[c]))
                     for c in numeric}
        if renderers != self._grid.renderers:
            self._grid.renderers = renderers
        text = [c for c in shown.columns if c not in numeric]
        self._grid.data = shown.astype({c: "string" for c in text})
        self._grid.column_widths = column_widths(shown)
        self._grid.layout.display = None
        self._w_empty.value = ""
        self._w_export.disabled = False

    def _renderer(self, marked: str | None, number_format: str | None) -> TextRenderer:
        """The renderer of a column (text, or numbers in ``number_format``) whose rows are
        highlighted where the ``marked`` column holds the mark (none: no highlight)."""
        key = (marked, number_format)
        if key not in self._renderers:
            background = "white" if marked is None else VegaExpr(
                f"cell.metadata.data['{marked}'] == '{MARK}' ? '{FLAGGED_COLOUR}' : 'white'")
            self._renderers[key] = (TextRenderer(background_color=background)
                                    if number_format is None else
                                    _number_renderer(number_format, background))
        return self._renderers[key]

    def _shown_names(self) -> list[str]:
        """The contract names of the columns shown, in order (the message under one name)."""
        cols = [c for c in self.value.columns if c != "message_en"]
        return ["message" if c == "message_zh" else c for c in cols]

    def _export(self, _button=None) -> None:
        data = xlsx_bytes(self.visible(), self._name)
        href = f"data:{XLSX_MIME};base64,{base64.b64encode(data).decode()}"
        text = html.escape(label("grid_download", self._locale).format(n=len(self.visible())))
        self._exports += 1
        self._w_link.value = (f'<a class="wb-download" download="{html.escape(self._name)}.xlsx"'
                              f' data-export="{self._exports}" href="{href}">{text}</a>')
