"""``workbench db``: set up a multi-user PostgreSQL findings store (admin commands).

Run by the database admin as their own role (owner of the database, with CREATEROLE).
See docs/deployment.md.  Exit codes: 0 done; 2 refused or the database could not be
used (nothing written: each command is one transaction).
"""

from __future__ import annotations

from pathlib import Path

import click

from workbench.findings.cli import _fail

admin_db_option = click.option(
    "--db", "db", required=True, metavar="URL",
    help="PostgreSQL 数据库URL，以管理员角色连接 / PostgreSQL URL, connecting as the admin role "
         "(e.g. postgresql:///findings?host=/var/run/postgresql for peer authentication).")
password_option = click.option(
    "--password", is_flag=True,
    help="提示输入该角色的登录密码（不加此项：仅用对等认证等免密方式登录）/ prompt for a login "
         "password for the role (without it the role logs in by peer authentication or "
         "another method pg_hba.conf allows).")


def _run(action, *args):
    import psycopg
    import sqlalchemy as sa

    from workbench.findings.errors import FindingsError

    try:
        return action(*args)
    except FindingsError as exc:
        _fail(exc)
    except (sa.exc.SQLAlchemyError, psycopg.Error) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _fail(f"数据库拒绝或不可用，未写入任何内容（{reason}）/ the database refused or could "
              f"not be used; nothing was written ({reason})")


def _password(wanted: bool) -> str | None:
    if not wanted:
        return None
    return click.prompt("密码 / password", hide_input=True, confirmation_prompt=True)


@click.group()
def db() -> None:
    """多用户 PostgreSQL 问题库的管理命令 / Admin commands of a multi-user PostgreSQL store.

    \b
    workbench db init              建表、角色、权限与行级安全 / schema, roles, privileges, RLS
    workbench db add-reviewer      添加审核人及其省份 / add a reviewer and their provinces
    workbench db add-supervisor    添加只读监管人 / add a read-only supervisor
    workbench db load-enterprises  载入企业主数据 / load the enterprises' master data
    """


@db.command()
@admin_db_option
@click.option("--four-eyes/--no-four-eyes", "four_eyes", default=None,
              help="关闭问题须另一位审核人（默认取配置 findings.four_eyes_close）/ closing needs "
                   "another reviewer than the one who marked it rectified (default: config "
                   "findings.four_eyes_close).")
def init(db: str, four_eyes: bool | None) -> None:
    """初始化或升级数据库 / Create or upgrade the schema and install the trust boundary.

    Idempotent: run it again after upgrading the workbench.
    """
    from workbench.config import load_config
    from workbench.findings import db_admin

    if four_eyes is None:
        four_eyes = bool(load_config()["findings"].get("four_eyes_close", True))
    done = _run(db_admin.init, db, four_eyes)
    click.echo(f"已初始化 / initialised: schema {done['revision']}, admin {done['admin']}, "
               f"four eyes {'on' if four_eyes else 'off'}")
    if done["legacy_actors"]:
        click.echo("此前日志中的操作人登记为历史角色（无登录、无权限）/ actors of the existing log "
                   "registered as legacy (no login, no rights): "
                   + ", ".join(done["legacy_actors"]))


@db.command("add-reviewer")
@click.argument("name")
@click.option("--provinces", required=True, metavar="江苏,浙江",
              help="可写入的省份（逗号分隔，* 为全国）/ provinces the reviewer may write for "
                   "(comma-separated short names; * for every province).")
@password_option
@admin_db_option
def add_reviewer(name: str, provinces: str, password: bool, db: str) -> None:
    """添加或更新审核人（登录角色 NAME）/ Add or update reviewer NAME (a login role)."""
    from workbench.findings import db_admin

    done = _run(db_admin.add_member, db, name, "reviewer",
                provinces.replace("，", ",").split(","), _password(password))
    click.echo(f"审核人 / reviewer {done['role']}: {', '.join(done['provinces'])}")


@db.command("add-supervisor")
@click.argument("name")
@password_option
@admin_db_option
def add_supervisor(name: str, password: bool, db: str) -> None:
    """添加或更新只读监管人 / Add or update read-only supervisor NAME (SELECT only)."""
    from workbench.findings import db_admin

    done = _run(db_admin.add_member, db, name, "supervisor", (), _password(password))
    click.echo(f"监管人（只读）/ supervisor (read-only) {done['role']}")


@db.command("load-enterprises")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@admin_db_option
def load_enterprises(dataset: Path, db: str) -> None:
    """载入企业主数据（企业所属省份）/ Load each enterprise's province from DATASET."""
    from workbench.dataset import Dataset
    from workbench.findings import db_admin

    counts = _run(db_admin.load_enterprises, db, Dataset(dataset))
    click.echo(f"企业主数据 / master data: {counts['added']} added, {counts['changed']} "
               f"province changed, {counts['unchanged']} unchanged")
