"""Driving an ipydatagrid grid (``widgets.grid.EvidenceGrid``) in the browser as a reviewer
does: its header menu (sort, filter by condition), and its export link read back as a
workbook.  The grid draws on a canvas: a header menu opens from the small icon at the right
of a header cell, found by clicking along the header row."""

from __future__ import annotations

import base64
import io

import pandas as pd

#: The header row lies this far below the top of the grid's box (px); rows are this tall.
HEADER_Y = 18
ROW_HEIGHT = 20


def _menu_open(page) -> bool:
    return page.locator(".lm-Menu:visible").count() > 0


def header_icons(page, grid) -> list[float]:
    """The x positions of the menu icons of the grid's header cells, left to right."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    y = box["y"] + HEADER_Y
    found: list[float] = []
    x = box["x"] + 6
    while x < box["x"] + box["width"] - 20:
        page.mouse.click(x, y)
        if _menu_open(page):
            found.append(x)
            page.keyboard.press("Escape")
            x += 30                                  # the next cell's icon is further on
        else:
            x += 4
    return found


def choose(page, grid, icon_x: float, item: str) -> None:
    """Open the header menu at ``icon_x`` and choose ``item`` (its English label)."""
    page.mouse.click(icon_x, grid.bounding_box()["y"] + HEADER_Y)
    page.locator(".lm-Menu-itemLabel:visible", has_text=item).first.click()


def filter_contains(page, grid, icon_x: float, text: str) -> None:
    """Keep the rows whose column (the header menu at ``icon_x``) contains ``text``."""
    choose(page, grid, icon_x, "Filter by condition")
    dialog = page.locator(".ipydatagrid-filterMenu:visible")
    dialog.locator("select").first.select_option(label="Contains")
    dialog.locator("input").first.fill(text)
    dialog.get_by_text("Apply", exact=True).click()
    dialog.wait_for(state="hidden")


def click_row_at(page, grid, row: int) -> None:
    """Click data row ``row`` (0 = the first under the header) as the reviewer sees it."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + HEADER_Y + ROW_HEIGHT * (row + 1))


def exported(page, container, attempts: int = 3) -> pd.DataFrame:
    """Click the grid's export button and read the workbook its download link holds.

    A sort or filter the browser sends after the export was made clears its link (it is no
    longer "as shown"), as the app intends; the reviewer then clicks again, and so does
    this, up to ``attempts`` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        link = container.locator("a.wb-download")
        before = link.get_attribute("data-export") if link.count() else None
        container.locator("button").filter(has_text="XLSX").first.click()
        try:
            page.wait_for_function(               # the link of this export (they are numbered)
                "([el, old]) => el.querySelector('a.wb-download') && "
                "el.querySelector('a.wb-download').dataset.export !== old",
                arg=[container.element_handle(), before], timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    href = container.locator("a.wb-download").get_attribute("href")
    return pd.read_excel(io.BytesIO(base64.b64decode(href.split("base64,", 1)[1])))


def click_row(grid, row: int) -> None:
    """In the kernel, without a browser: the message the grid's front end sends when the
    reviewer clicks data row ``row`` (ipydatagrid's ``cell-click``)."""
    grid._handle_custom_msg({"event_type": "cell-click", "region": "body", "column": "",
                             "column_index": 0, "row": row, "primary_key_row": row,
                             "cell_value": ""}, [])
