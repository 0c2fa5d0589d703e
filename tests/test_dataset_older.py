"""A dataset written before a contract column existed still reads: the new columns come
as the contract says an absent column reads (the 2025-sector columns of ``units`` empty,
``lab_reports.sample_type_code`` coal), and the views open on it."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq

from widgets.header import card_html
from workbench import schema
from workbench.dataset import Dataset
from workbench.enterprise_card import enterprise_card
from workbench.review import ReviewData

ADDED = {"units": ["clinker_type_code", "rated_capacity_t_per_d", "design_capacity_kt",
                   "cells", "line_current_ka"],
         "lab_reports": ["sample_type_code", "cao_pct", "mgo_pct", "ash_pct"]}


def test_an_older_dataset_reads_with_the_columns_added_since(demo_dir, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(demo_dir, old, ignore=shutil.ignore_patterns(".screen"))
    for table, dropped in ADDED.items():
        for part in Dataset(old).parts(table):
            pq.write_table(pq.read_table(part).drop_columns(dropped), part)
    ds = Dataset(old)
    units = ds.read("units")
    assert list(units.columns) == schema.UNITS.column_names
    assert units["cells"].isna().all()
    labs = ds.read("lab_reports")
    assert set(labs["sample_type_code"]) == {"coal"}
    assert list(ds.read("lab_reports", columns=["report_id", "ash_pct"]).columns) == [
        "report_id", "ash_pct"]
    review = ReviewData.open(old)
    top = review.risk.sort_values("rank")["enterprise_id"].iloc[0]
    assert "风险排名 1/" in card_html(enterprise_card(review, top), "zh-CN")
