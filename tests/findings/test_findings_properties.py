"""Property tests: the audit hash depends on content, not spelling; periods normalise."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from workbench.findings.audit import GENESIS, entry_hash
from workbench.findings.validation import Limits, enterprise_index, validate

values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5)
                      | st.floats(allow_nan=False), lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)


@given(payload=st.dictionaries(st.text(max_size=6), values, max_size=4), indent=st.booleans())
def test_entry_hash_covers_payload_content_not_its_spelling(payload, indent):
    entry = {"seq": 1, "at": "2026-01-01T00:00:00+00:00", "actor": "alice", "action": "create",
             "finding_id": "f", "dataset_fingerprint": None, "check_version": "1"}
    compact = entry_hash(GENESIS, {**entry, "payload": json.dumps(payload)})
    spaced = entry_hash(GENESIS, {**entry, "payload": json.dumps(
        dict(reversed(payload.items())), indent=2 if indent else None, ensure_ascii=False)})
    assert compact == spaced
    assert compact != entry_hash(GENESIS, {**entry, "payload": json.dumps(payload),
                                           "actor": "bob"})


months = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2000, 2099), st.integers(1, 12))


@given(periods=st.lists(months | st.integers(2000, 2099).map(str), min_size=1, max_size=6),
       sep=st.sampled_from([",", "，", "、", " ", ";"]))
def test_periods_normalise_to_a_sorted_unique_tuple(periods, sep, dataset, enterprises):
    draft = {"enterprise_id": enterprises[0], "title": "t", "category": "other",
             "severity": "info", "periods": sep.join(periods)}
    content = validate(draft, enterprise_index(dataset), Limits())
    assert content["periods"] == tuple(sorted(set(periods)))
