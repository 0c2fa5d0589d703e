"""A screening results folder on disk: written whole or not at all, and opened only for
the dataset and configuration it was computed from.

:func:`staged` gives :func:`workbench.screen.screen` a temporary sibling of the results
folder to write into; when every file (the manifest last) is written and synced, the
folder is renamed into place: an existing results folder is renamed aside, the new one
renamed in, the old one removed.  A run killed mid-write leaves the previous results
complete and in place (and a hidden ``.<name>.new-*`` sibling); one killed between the
two renames leaves no folder under the name but both complete folders beside it
(``.<name>.old-*`` and ``.<name>.new-*``).  The next run removes what dead runs left.  A
folder is replaced only when it holds nothing but results, so a mistyped ``--out``
never deletes other files.

:func:`check_results` is what a reader runs first: the folder must have a manifest whose
dataset fingerprint and configuration hash are those of the dataset and configuration at
hand.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
#: What a results folder holds (``coverage.parquet`` and ``computed/`` may be absent in
#: results of older versions).
RESULT_ENTRIES = frozenset({"flags.parquet", "risk.parquet", "risk_units.parquet",
                            "spot_checks.parquet", "coverage.parquet", "computed", MANIFEST})
#: Files a reader cannot do without.
REQUIRED = ("flags.parquet", "risk.parquet")


class ResultsError(ValueError):
    """Screening results that cannot be written or opened, with the reason in zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def _sibling(out: Path, kind: str) -> Path:
    """A fresh hidden name beside ``out``: ``.<name>.<kind>-<pid>-<random>``."""
    return out.with_name(f".{out.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")


def check_replaceable(out: str | Path) -> None:
    """Refuse (:class:`ResultsError`) an ``out`` that is not a folder, or a folder holding
    more than results: what :func:`staged` would refuse, said before the work starts."""
    out = Path(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise ResultsError(f"{out} 不是文件夹，不能写入筛查结果",
                           f"{out} is not a folder; screening results cannot be written there")
    other = sorted(p.name for p in out.iterdir() if p.name not in RESULT_ENTRIES)
    if other:
        names = ", ".join(other[:5]) + (" …" if len(other) > 5 else "")
        raise ResultsError(f"{out} 中有筛查结果以外的文件（{names}），不会被替换；"
                           "请换一个输出文件夹",
                           f"{out} holds files other than screening results ({names}) and is "
                           "not replaced; choose another output folder")


def _alive(pid: int) -> bool:
    """True while a process ``pid`` exists (perhaps another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # someone else's process
        return True
    return True


def _remove_leftovers(out: Path) -> None:
    """Remove the folders killed runs left beside ``out``: every ``.new-*`` of a process
    that is gone, and its ``.old-*`` too once ``out`` is back in place."""
    kinds = ("new", "old") if out.exists() else ("new",)
    for kind in kinds:
        for path in out.parent.glob(f".{out.name}.{kind}-*"):
            pid = path.name.removeprefix(f".{out.name}.{kind}-").split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


def _sync(folder: Path) -> None:
    """Flush every file under ``folder``, then the folders themselves, to disk."""
    paths = list(folder.rglob("*"))
    for path in paths:
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    for path in [*(p for p in paths if p.is_dir()), folder]:
        _sync_dir(path)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(new: Path, out: Path) -> None:
    """Put the folder ``new`` at ``out``: the old ``out`` (if any) aside, ``new`` in, old
    removed; when ``new`` cannot be renamed in, the old folder is put back."""
    if not out.exists() and not out.is_symlink():
        new.rename(out)
    else:
        old = _sibling(out, "old")
        out.rename(old)
        try:
            new.rename(out)
        except OSError:
            old.rename(out)
            raise
        if old.is_symlink():
            old.unlink()
        else:
            shutil.rmtree(old, ignore_errors=True)
    _sync_dir(out.parent)


@contextmanager
def staged(out: str | Path) -> Iterator[Path]:
    """A new temporary folder beside ``out`` to write results into (the manifest last);
    when the block ends normally it replaces ``out``, when it raises it is removed and
    ``out`` is left as it was.  Raises :class:`ResultsError` when ``out`` exists and holds
    anything but results."""
    out = Path(out).absolute()
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    new = _sibling(out, "new")
    new.mkdir()
    try:
        yield new
        _sync(new)
        _replace(new, out)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def check_results(folder: str | Path, dataset_fingerprint: str | None,
                  config_hash: str) -> dict[str, Any]:
    """The manifest of the results in ``folder``, once they are known to be complete
    results of this dataset (fingerprint) under this configuration (hash); otherwise
    :class:`ResultsError` naming what differs (both values)."""
    folder = Path(folder)
    path = folder / MANIFEST
    rerun_zh, rerun_en = "请重新运行 workbench screen", "run workbench screen again"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{folder} 中没有 {MANIFEST}，不是完整的筛查结果；{rerun_zh}",
                           f"{folder} has no {MANIFEST}, so it holds no complete screening "
                           f"results; {rerun_en}") from None
    except (OSError, ValueError) as exc:
        raise ResultsError(f"无法读取 {path}（{exc}）；{rerun_zh}",
                           f"cannot read {path} ({exc}); {rerun_en}") from exc
    if not isinstance(manifest, dict):
        raise ResultsError(f"{path} 不是筛查结果清单；{rerun_zh}",
                           f"{path} is not a screening manifest; {rerun_en}")
    for key, expected, zh, en in (
            ("dataset_fingerprint", dataset_fingerprint, "数据集指纹", "dataset fingerprint"),
            ("config_hash", config_hash, "配置哈希", "configuration hash")):
        if manifest.get(key) != expected:
            raise ResultsError(
                f"{folder} 的筛查结果不属于此数据集或配置：结果的{zh}为 {manifest.get(key)}，"
                f"当前为 {expected}；{rerun_zh}",
                f"the screening results in {folder} are not those of this dataset and "
                f"configuration: their {en} is {manifest.get(key)}, this one's is "
                f"{expected}; {rerun_en}")
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise ResultsError(f"{folder} 缺少 {', '.join(missing)}；{rerun_zh}",
                           f"{folder} lacks {', '.join(missing)}; {rerun_en}")
    return manifest
