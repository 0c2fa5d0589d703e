"""The data contract follows its own naming rules and every label is bilingual."""

import re

import pytest

from workbench import schema
from workbench.ingest.parse import code_lookup

UNIT_SUFFIX = re.compile(r"_(pct|mw|t|mwh|gj|h|gj_per_t|mj_per_kg|tc_per_gj|knm3|gj_per_knm3|"
                         r"t_per_d|kt|ka)$")


@pytest.mark.parametrize("table", list(schema.TABLES.values()), ids=lambda t: t.name)
def test_column_names_follow_the_convention(table):
    names = table.column_names
    assert len(names) == len(set(names))
    for c in table.columns:
        assert c.label_zh and c.label_en, c.name
        assert c.kind in schema.KINDS
        if c.kind == "bool":
            assert c.name.startswith("is_"), c.name
        if c.kind == "date":
            assert c.name.endswith("_date") or c.name == "date", c.name
        if c.kind == "timestamp":
            assert c.name.endswith("_at"), c.name
        if c.codes is not None:
            assert c.name.endswith("_code") or c.name in ("parameter_code",
                                                          "verification_conclusion"), c.name
        if c.unit:
            assert UNIT_SUFFIX.search(c.name), f"{c.name} has unit {c.unit} but no unit suffix"
    assert set(table.key) <= set(names)
    for col, (ref_table, ref_col) in table.references.items():
        assert col in names and ref_col in schema.TABLES[ref_table].column_names


def test_parameters_have_units_and_bilingual_labels():
    for code, p in schema.PARAMETERS.items():
        assert p.unit and p.label_zh and p.label_en, code
    for codes in schema.REQUIRED_PARAMETERS.values():
        assert set(codes) <= set(schema.PARAMETERS)


def test_every_alias_points_at_a_real_column():
    for table, aliases in schema.HEADER_ALIASES.items():
        names = schema.TABLES[table].column_names
        for a in aliases:
            assert a.column in names, (table, a)
    assert set(schema.TABLE_ALIASES.values()) <= set(schema.TABLES)
    assert set(schema.PARAMETER_ALIASES.values()) <= set(schema.PARAMETERS)


def test_code_labels_are_declared_per_code_column_and_unambiguous():
    code_columns = {c.name: c for t in schema.TABLES.values() for c in t.columns
                    if c.codes is not None or c.kind == "bool"}
    assert set(schema.CODE_LABELS) == set(code_columns)
    allowed = {name: set() for name in code_columns}
    for t in schema.TABLES.values():
        for c in t.columns:
            if c.name in code_columns:
                allowed[c.name] |= set(schema.code_labels(c))
    for name, labels in schema.CODE_LABELS.items():
        assert set(labels) <= allowed[name], name
        assert all(names for names in labels.values()), f"{name}: a code without labels"
        code_lookup(labels)  # raises when two codes of the column share a label


@pytest.mark.parametrize(("period", "hours"), [("2024-02", 696), ("2023-02", 672),
                                                ("2024-12", 744), ("2024-04", 720)])
def test_hours_in_period(period, hours):
    assert schema.hours_in_period(period) == hours
