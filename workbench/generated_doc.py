"""The command line of a generated document (``docs/checks.md``, ``docs/factors.md``):
print it, or write it to its file with ``--write``; a test keeps each file current."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def main(render: Callable[[], str], path: Path, argv: Sequence[str]) -> int:
    """Print ``render()``, or write it to ``path`` when ``argv`` holds ``--write``."""
    text = render()
    if "--write" in argv:
        path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
