"""Refusals of the findings store, each with a Chinese and an English message.

Every refusal names the field (or record) it is about, so a form, a sheet
import report or the command line can show it next to the right input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a change was refused: the field it concerns and why (zh / en)."""

    field: str
    zh: str
    en: str

    def text(self, locale: str = "") -> str:
        """The message in ``locale`` (``zh-CN`` or ``en``); both languages when empty."""
        if locale == "zh-CN":
            return f"{self.field}: {self.zh}"
        if locale == "en":
            return f"{self.field}: {self.en}"
        return f"{self.field}: {self.zh} / {self.en}"


class FindingsError(Exception):
    """A change the store refused; nothing of it was written."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(p.text() for p in self.problems))

    def messages(self, locale: str = "") -> list[str]:
        """Every reason, in ``locale`` (both languages when empty)."""
        return [p.text(locale) for p in self.problems]


class ValidationError(FindingsError):
    """The finding's content is invalid (empty title, unknown enterprise, bad date, ...)."""


class PermissionDenied(FindingsError):
    """The actor may not write findings for this enterprise (or has no identity)."""


class StaleVersion(FindingsError):
    """The finding changed since the caller read it (optimistic locking)."""


class IllegalTransition(FindingsError):
    """The status workflow does not allow this change."""


class NotFound(FindingsError):
    """No finding with this id."""


class ReadOnlyStore(FindingsError):
    """The store was opened read-only (supervisor mode)."""


class StoreOpenError(FindingsError):
    """The database cannot be opened: missing file, unsupported URL, or unknown revision."""


class StoreUnavailable(FindingsError):
    """The database went away during a write (restart, network): the save may not have
    completed and can be retried."""


class SheetError(FindingsError):
    """A findings sheet cannot be read (unreadable file, missing columns)."""
