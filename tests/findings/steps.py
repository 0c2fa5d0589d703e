"""Moving a finding along the workflow in tests, with what each step needs."""

from __future__ import annotations

#: Rectification evidence as a reviewer records it (a document reference and its date).
EVIDENCE = {"ref": "苏环整改〔2025〕12号", "date": "2025-07-01"}


def move(store, finding, status: str, reason: str | None = None):
    """``store.transition`` to ``status``, passing EVIDENCE when marking it rectified."""
    return store.transition(finding.id, status, finding.version, reason,
                            evidence=EVIDENCE if status == "rectified" else None)
