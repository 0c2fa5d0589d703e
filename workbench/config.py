"""One configuration for the whole workbench.

Defaults ship in ``workbench/defaults.toml`` (documented there, field by field).
A user file overrides them: the path in ``$WORKBENCH_CONFIG``, else
``./workbench.toml`` if it exists.  Nested tables merge key by key, so a user
file only needs the values it changes.

The findings database (``general.database_url``) is resolved here, once, to one
absolute location, so every role (CLI, notebooks, dashboard kernels) opens the
same file whatever its working directory: a relative SQLite path is resolved
against the folder of the file that names it (the user's file; for the packaged
defaults, the per-user data folder :func:`user_data_dir`).  A relative
``$WORKBENCH_CONFIG`` is resolved against the working directory when it is read;
:func:`child_environment` names the file in force absolute for the processes
the workbench starts.

The merged configuration is validated against the typed model of
:mod:`workbench.config_model` before anything uses it: an unknown key (a
misspelling) or a value of the wrong type or out of range raises
:class:`ConfigError` naming the file, the dotted key and what was expected.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.config_model import WorkbenchConfig, explain

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")
#: The workbench's folder under the per-user data directory (``$XDG_DATA_HOME``).
DATA_FOLDER = "carbon-audit-workbench"
#: A SQLite URL with a file path: prefix (``sqlite[+driver]:///``), path, query.
_SQLITE_FILE_URL = re.compile(r"(sqlite(?:\+\w+)?:///)([^?]+)(\?.*)?", re.DOTALL)


class ConfigError(Exception):
    """A config file is missing, not valid TOML, or not a valid configuration (unknown key,
    wrong type, value out of range); the message names the file and the keys."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def user_config_path() -> Path | None:
    """The user config file in force, as an absolute path, or ``None`` when only defaults
    apply.  A relative ``$WORKBENCH_CONFIG`` is taken against the working directory."""
    env = os.environ.get("WORKBENCH_CONFIG")
    if env:
        path = Path(env).absolute()
        if not path.is_file():
            raise ConfigError(f"WORKBENCH_CONFIG points at {path}, which is not a file "
                              f"/ 配置文件不存在")
        return path
    local = Path("workbench.toml").absolute()
    return local if local.is_file() else None


def user_data_dir() -> Path:
    """The per-user data folder, home of the default findings database:
    ``$XDG_DATA_HOME/carbon-audit-workbench``, where ``XDG_DATA_HOME`` defaults to
    ``~/.local/share`` (a relative ``XDG_DATA_HOME`` is ignored, as the XDG spec says)."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / DATA_FOLDER


def absolute_database_url(url: str, base: Path) -> str:
    """``url`` with a relative SQLite file path made absolute against the folder ``base``;
    absolute paths, in-memory databases, SQLite URIs (``file:``) and other databases are
    returned unchanged."""
    match = _SQLITE_FILE_URL.fullmatch(url)
    if match is None:
        return url
    prefix, path, query = match.groups()
    if path == ":memory:" or path.startswith("file:") or Path(path).is_absolute():
        return url
    return f"{prefix}{(base / path).resolve().as_posix()}{query or ''}"


def child_environment(**values: str) -> dict[str, str]:
    """The environment for a process the workbench starts (JupyterLab, Voilà and their
    kernels, which run in other working directories): this one's plus ``values``, with the
    user config file in force named absolute in ``WORKBENCH_CONFIG``, so the child reads
    the same configuration and opens the same findings database."""
    env = dict(os.environ, **values)
    path = user_config_path()
    if path is not None:
        env["WORKBENCH_CONFIG"] = str(path)
    return env


def _read(path: Path) -> dict[str, Any]:
    """One TOML file as a dict."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}) / 配置文件格式错误") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 (TOML files are UTF-8; save it as UTF-8) / "
                          f"配置文件须为 UTF-8 编码") from exc


def _validated(cfg: dict[str, Any], source: Path) -> dict[str, Any]:
    """``cfg`` checked against the model, as a plain dict; ConfigError blames ``source``."""
    try:
        return WorkbenchConfig.model_validate(cfg).model_dump(by_alias=True)
    except ValidationError as exc:
        lines = [f"{source}: invalid configuration / 配置无效", *map("  {}".format, explain(exc))]
        if source == DEFAULTS_PATH:
            lines.append("  (a key added to defaults.toml needs a field in "
                         "workbench/config_model.py / defaults.toml 新增的键须在 "
                         "workbench/config_model.py 中声明)")
        raise ConfigError("\n".join(lines)) from None


@lru_cache(maxsize=8)
def _load(path: str | None, data_dir: str) -> dict[str, Any]:
    # The defaults are validated alone first, so a problem they hold is not blamed on the
    # user's file; once they are valid, any problem of the merge comes from the user's file.
    defaults = _read(DEFAULTS_PATH)
    cfg = _validated(defaults, DEFAULTS_PATH)
    base = Path(data_dir)                      # the defaults' database lives per user
    if path:
        user = _read(Path(path))
        cfg = _validated(_merge(defaults, user), Path(path))
        if "database_url" in user.get("general", {}):
            base = Path(path).parent           # relative to the file that names it
    general = cfg["general"]
    general["database_url"] = absolute_database_url(general["database_url"], base)
    return cfg


def load_config() -> dict[str, Any]:
    """The merged, validated configuration (a fresh copy the caller may modify), with
    ``general.database_url`` resolved to an absolute location (see the module's docstring).

    Raises ConfigError when a file is missing or invalid.
    """
    path = user_config_path()
    return copy.deepcopy(_load(str(path) if path else None, str(user_data_dir())))


#: The tables of the configuration that decide what screening finds (and so its results).
SCREENING_SECTIONS = ("policy", "checks", "materiality", "risk", "factors")


def config_hash(cfg: dict[str, Any]) -> str:
    """Stable short hash of the configuration that decides screening results (the
    :data:`SCREENING_SECTIONS`), recorded in result manifests: results stay valid for
    every user and role however their database, locale or dashboard settings differ."""
    part = {k: cfg.get(k) for k in SCREENING_SECTIONS}
    blob = json.dumps(part, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def by_year(table: dict[str, Any], year: int) -> Any:
    """Look up a by-year policy table (keys are years as strings).

    Years after the last entry use the last entry; years before the first raise,
    because applying a later policy to earlier data would be silently wrong.
    """
    years = sorted(int(k) for k in table)
    if year < years[0]:
        raise KeyError(f"no policy value for {year}; the table starts at {years[0]}")
    chosen = max(y for y in years if y <= year)
    return table[str(chosen)]
