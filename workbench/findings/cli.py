"""``workbench findings``: verify the audit log, import a sheet, export, list.

Registered on the ``workbench`` command in ``workbench/cli.py``.  SQLAlchemy and
the store are imported inside the commands, so ``workbench --help`` stays fast.
Exit codes: 0 success; 1 verify found a bad entry or an import rejected rows;
2 the database or the file could not be used or read (nothing written; a database
that cannot be read is never reported as a broken audit log).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

db_option = click.option(
    "--db", "db", default=None, metavar="URL",
    help="问题库数据库URL（默认取配置 general.database_url）/ findings database URL, e.g. "
         "sqlite:///findings.sqlite or postgresql://user@host/db (default: config "
         "general.database_url).")


def _locale_option(help_text: str = "输出语言 / language (default from config).") -> Any:
    return click.option("--locale", type=click.Choice(["zh-CN", "en"]), default=None,
                        help=help_text)


locale_option = _locale_option()


def _fail(exc: Exception) -> NoReturn:
    click.echo(f"错误 / error: {exc}", err=True)
    sys.exit(2)


@contextmanager
def _reading(what_zh: str, what_en: str) -> Iterator[None]:
    """Fail with exit code 2 when the database cannot be read while doing ``what``: a
    locked or unreadable database is reported as such, never as a broken audit log."""
    import sqlalchemy as sa

    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _fail(f"无法读取问题库，{what_zh}（{reason}）/ cannot read the findings database, "
              f"{what_en} ({reason})")


def _open(db: str | None, readonly: bool) -> Any:
    from workbench.findings import FindingsError, open_store

    try:
        return open_store(db, readonly=readonly)
    except FindingsError as exc:
        _fail(exc)


def _locale(locale: str | None) -> str:
    from workbench.config import load_config

    return locale or load_config()["general"]["locale"]


@click.group()
def findings() -> None:
    """问题记录库：核验、导入、导出、列出 / Findings store: verify, import, export, list.

    \b
    workbench findings verify   核验审计日志 / verify the hash-chained audit log
    workbench findings anchor   留存日志锚点 / record the log's head outside the log
    workbench findings import   从表格导入问题 / import findings from a CSV/XLSX sheet
    workbench findings export   导出问题 / export findings (xlsx, csv, json, html, pdf)
    workbench findings list     列出问题 / list findings
    """


def _anchors(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
             ) -> dict[int, str]:
    from workbench.findings.audit import parse_anchor

    try:
        return dict(parse_anchor(v) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def read_anchor_file(path: Path) -> dict[int, str]:
    """Anchors from a file ``workbench findings anchor --out`` wrote: one ``SEQ:HASH`` per
    line (then anything: when, where); blank lines and ``#`` comments skipped.  A bad line
    raises click.BadParameter naming file and line."""
    from workbench.findings.audit import parse_anchor

    out = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if text and not text.startswith("#"):
            try:
                seq, digest = parse_anchor(text.split()[0])
            except ValueError as exc:
                raise click.BadParameter(f"{path}, line {number}: {exc}") from exc
            out[seq] = digest
    return out


@findings.command()
@db_option
@click.option("--anchor", "anchors", multiple=True, metavar="SEQ:HASH", callback=_anchors,
              help="之前留存的锚点（可多次）/ an anchor recorded earlier (repeatable): that "
                   "entry must still carry that hash.")
@click.option("--anchor-file", "anchor_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="锚点文件（findings anchor --out 所写）/ a file of anchors written by "
                   "`workbench findings anchor --out`.")
def verify(db: str | None, anchors: dict[int, str], anchor_file: Path | None) -> None:
    """核验审计日志（哈希链）/ Recompute the audit log's hash chain.

    \b
    退出码 0：完整；1：指出第一条被修改、删除或调换的记录；2：数据库无法打开或读取（未核验）。
    Exit 0 when intact; 1 naming the first entry edited, removed or reordered; 2 when
    the database could not be opened or read (nothing verified, no verdict).
    The printed anchor (SEQ:HASH) should be kept outside the database (ticket,
    signed mail): passed back with --anchor it also exposes a log rewritten
    wholesale together with its head, which the database alone cannot show.
    """
    if anchor_file is not None:
        anchors = {**read_anchor_file(anchor_file), **anchors}
    store = _open(db, readonly=True)
    with _reading("未能核验", "nothing verified"):
        verdict = store.verify(anchors)
    if verdict.ok:
        click.echo(f"审计日志完整 / audit log intact: {verdict.entries} entries"
                   + (f", {len(anchors)} anchors matched" if anchors else "")
                   + f"; anchor / 锚点 {verdict.entries}:{verdict.head_hash}")
        return
    click.echo(f"审计日志损坏 / audit log broken at entry {verdict.bad_seq}: "
               f"{verdict.reason_zh} / {verdict.reason_en}")
    sys.exit(1)


@findings.command()
@db_option
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="追加到此文件（应放在审核人不能写的位置）/ append the anchor to this file (keep "
                   "it where reviewers cannot write). Default: the database's anchor table.")
def anchor(db: str | None, out: Path | None) -> None:
    """留存审计日志锚点 / Record the audit log's head as an anchor, after verifying it.

    
    不加 --out：写入数据库锚点表 wb_anchors（仅管理员可写，verify 自动核对）。
    加 --out：追加一行 SEQ:HASH 到文件（verify --anchor-file 核对）。
    Without --out the anchor goes into the database's wb_anchors table (secured
    PostgreSQL; only the admin may write it; verify checks it by itself).  With
    --out one line SEQ:HASH (then the time and database) is appended to the file;
    pass it back with verify --anchor-file.  Exit 0 recorded; 1 the log is broken
    (no anchor recorded); 2 the database or file could not be used or written.
    """
    from datetime import UTC, datetime

    from workbench.findings import FindingsError

    store = _open(db, readonly=out is not None)
    with _reading("未留存锚点", "no anchor recorded"):
        verdict = store.verify()
    if not verdict.ok:
        click.echo(f"审计日志损坏，未留存锚点 / audit log broken at entry {verdict.bad_seq}, no "
                   f"anchor recorded: {verdict.reason_zh} / {verdict.reason_en}")
        sys.exit(1)
    if out is None:
        try:
            seq, digest = store.record_anchor(verdict)
        except FindingsError as exc:
            _fail(exc)
        where = "wb_anchors"
    else:
        seq, digest = verdict.entries, verdict.head_hash
        database = store.engine.url.render_as_string(hide_password=True)
        try:
            with out.open("a", encoding="utf-8") as fh:
                fh.write(f"{seq}:{digest}  {datetime.now(UTC).isoformat(timespec='seconds')}  "
                         f"{database}\n")
        except OSError as exc:
            _fail(f"{out}: 无法写入 / cannot write ({exc})")
        where = str(out)
    click.echo(f"已留存锚点 / anchor recorded in {where}: {seq}:{digest}")


@findings.command(name="import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dataset", "dataset", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="用于校验的数据集 / dataset the findings are validated against.")
@click.option("--period", "period", default=None, metavar="YYYY[-MM]",
              help="期间列为空时使用的期间 / periods for rows whose periods cell is empty.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="输出JSON / print one JSON object.")
@locale_option
def import_(sheet: Path, dataset: Path, period: str | None, db: str | None, as_json: bool,
            locale: str | None) -> None:
    """从CSV/XLSX导入问题（如现场核查结果）/ Import findings from a CSV or XLSX sheet.

    \b
    至少需要列：enterprise_id, title, severity, category, description（可用中文表头）。
    Columns at least: enterprise_id, title, severity, category, description
    (Chinese headers accepted).  Bad rows are reported with row number and
    reason and not imported; good rows are imported in one transaction.
    Exit codes: 0 all imported; 1 some rows rejected; 2 unreadable file or database.
    """
    from workbench.dataset import Dataset, DatasetError
    from workbench.findings import FindingsError
    from workbench.findings.sheet_import import import_sheet

    if not Dataset(dataset).exists():
        _fail(f"{dataset}: 不是工作台数据集 / not a workbench dataset (no manifest.json)")
    store = _open(db, readonly=False)
    try:
        report = import_sheet(store, sheet, Dataset(dataset), default_periods=period)
    except (FindingsError, DatasetError) as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for line in report.summary_lines(_locale(locale)):
            click.echo(line)
    sys.exit(report.exit_code)


def _selected(db: str | None, enterprise: str | None, status: str | None) -> list:
    store = _open(db, readonly=True)
    with _reading("未能列出问题", "no findings listed"):
        items = store.list(enterprise_id=enterprise, status=status)
    return items


filter_options = [
    click.option("--enterprise", default=None, help="仅此企业 / only this enterprise_id."),
    click.option("--status", default=None,
                 type=click.Choice(["open", "sent_for_rectification", "rectified", "closed",
                                    "dismissed"]),
                 help="仅此状态 / only this status."),
]


def _filters(fn):
    for option in reversed(filter_options):
        fn = option(fn)
    return fn


#: ``workbench.findings.sheet_export.FORMATS`` (spelled out so ``--help`` need not import pandas).
EXPORT_FORMATS = ("xlsx", "csv", "json", "html", "pdf")


@findings.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="导出格式 / file format: xlsx、html、pdf 为中英双语（含审计历史）/ bilingual "
                   "with audit history; csv、json 仅字段与代码 / fields and codes only.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出文件 / output file.")
@db_option
@_filters
@_locale_option("双语导出中先显示的语言 / language shown first in bilingual exports "
                "(default from config).")
def export(fmt: str, out: Path, db: str | None, enterprise: str | None,
           status: str | None, locale: str | None) -> None:
    """导出问题 / Export findings: xlsx, csv, json, html, pdf.

    \b
    xlsx：问题（中英文表头，保留代码，可再导入）、审计历史、说明页（核验结论）。
    html：可打印的独立网页；pdf：用 Chromium 打印该网页（需安装 chromium）。
    xlsx: findings (zh/en headers, codes kept, imports again), their audit history
    and an about sheet (database, filters, audit verification).  html: one
    self-contained printable page; pdf: that page printed by Chromium/Chrome.
    Exit codes: 0 written; 2 database unusable, output not writable or no PDF converter.
    """
    from workbench.exports import ConversionError
    from workbench.findings import FindingsError
    from workbench.findings.sheet_export import export as write
    from workbench.findings.sheet_export import gather

    store = _open(db, readonly=True)
    try:
        with _reading("未导出", "nothing exported"):
            items, context = gather(store, enterprise, status)
        write(items, out, fmt, context=context, locale=_locale(locale))
    except (FindingsError, ConversionError, OSError) as exc:
        _fail(exc)
    click.echo(f"已导出 / exported {len(items)} findings -> {out}")


@findings.command(name="list")
@db_option
@_filters
@click.option("--json", "as_json", is_flag=True, help="输出JSON / print a JSON list.")
@locale_option
def list_(db: str | None, enterprise: str | None, status: str | None, as_json: bool,
          locale: str | None) -> None:
    """列出问题（可按企业、状态筛选）/ List findings, filtered by enterprise or status."""
    from workbench.findings.codes import SEVERITIES, STATUSES
    from workbench.i18n import pick

    items = _selected(db, enterprise, status)
    if as_json:
        click.echo(json.dumps([f.to_json() for f in items], ensure_ascii=False))
        return
    loc = _locale(locale)
    for f in items:
        click.echo(f"{f.id}  {f.enterprise_id}  {','.join(f.periods):<16} "
                   f"{pick(*SEVERITIES[f.severity], loc):<8} {pick(*STATUSES[f.status], loc):<12} "
                   f"v{f.version}  {f.title}")
    click.echo(f"共 {len(items)} 条 / {len(items)} findings")
