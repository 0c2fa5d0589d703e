"""Findings: what reviewers conclude, stored with a hash-chained audit log.

``open_store(url, readonly=...)`` returns a :class:`FindingsStore`; every
refusal is a :class:`FindingsError` with zh/en messages.  Sheets import in
``workbench.findings.sheet_import`` and export in ``.sheet_export``; the command line in
``workbench.findings.cli``.  The names below load on first use, so importing
the command line (``workbench --help``) does not import SQLAlchemy or alembic.
"""

from importlib import import_module
from typing import Any

_ERRORS = ("FindingsError", "IllegalTransition", "NotFound", "PermissionDenied", "Problem",
           "ReadOnlyStore", "SheetError", "StaleVersion", "StoreOpenError", "StoreUnavailable",
           "ValidationError")
_HOMES = {**dict.fromkeys(_ERRORS, "errors"), "Finding": "model", "FlagRef": "model",
          "FindingsStore": "store", "open_store": "store"}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'workbench.findings' has no attribute {name!r}")
    return getattr(import_module(f"workbench.findings.{_HOMES[name]}"), name)
