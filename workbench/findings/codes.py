"""The status workflow of a finding, and the code lists it uses (their words are in the
one catalogue, :mod:`workbench.labels`).

Workflow: ``open → sent_for_rectification → rectified → closed``; a rectification
judged inadequate goes back from ``rectified`` to ``sent_for_rectification``;
``dismissed`` is reachable from every state except ``closed`` and needs a reason.
Closing needs a reason too and, with config ``findings.four_eyes_close``, someone
other than the reviewer who marked the finding rectified.  ``closed`` and
``dismissed`` are final.
"""

from __future__ import annotations

from workbench.labels import ACTIONS, CATEGORIES, DISPOSITIONS, SEVERITIES, STATUSES

__all__ = ["ACTIONS", "CATEGORIES", "DISPOSITIONS", "SEVERITIES", "STATUSES", "NOTE_REQUIRED",
           "NEXT_STEPS", "TRANSITIONS", "FINAL_STATUSES", "code_from_label"]

#: Dispositions that need a note saying why (a verification needs none; a link names its
#: finding).
NOTE_REQUIRED = frozenset({"explained", "false_positive"})

#: The moves allowed from each status, the forward step first (the order a form offers them).
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "open": ("sent_for_rectification", "dismissed"),
    "sent_for_rectification": ("rectified", "dismissed"),
    "rectified": ("closed", "sent_for_rectification", "dismissed"),
    "closed": (),
    "dismissed": (),
}

TRANSITIONS: dict[str, frozenset[str]] = {s: frozenset(nxt) for s, nxt in NEXT_STEPS.items()}

#: States in which a finding can no longer be edited or moved.
FINAL_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def code_from_label(codes: dict[str, tuple[str, str]], value: str) -> str | None:
    """The code whose code, zh label or en label equals ``value`` (case-insensitive), else None."""
    key = value.strip().casefold()
    for code, (zh, en) in codes.items():
        if key in (code.casefold(), zh.casefold(), en.casefold()):
            return code
    return None
