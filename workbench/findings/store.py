"""The findings store: create, update, move and import findings, each in one
transaction that also appends its audit entry.

Every write: lock the audit chain head (so writers queue, across processes),
check the actor's permission and the finding's version, write the finding, read
it back and append ``{"before", "after"}`` to the log.  Either all of that
commits or none of it does, so a crash or a refusal leaves nothing half-written.
Content is validated against the dataset (enterprise exists, unit belongs to it)
before the transaction starts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from workbench.findings import audit, identity, migrate, pg_security
from workbench.findings.codes import FINAL_STATUSES, STATUSES, TRANSITIONS
from workbench.findings.engine import SQLITE_BUSY_TIMEOUT_S, create_engine
from workbench.findings.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    Problem,
    ReadOnlyStore,
    StaleVersion,
    StoreOpenError,
    StoreUnavailable,
    ValidationError,
)
from workbench.findings.model import (
    CONTENT_FIELDS,
    EDITABLE_FIELDS,
    FLAG_FIELDS,
    Disposition,
    Finding,
    FlagRef,
    audit_log,
    finding_flags,
    findings,
    flag_dispositions,
    flag_key,
)
from workbench.findings.validation import (
    EnterpriseIndex,
    Limits,
    enterprise_index,
    validate,
    validate_disposition,
    validate_evidence,
    validate_reason,
)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _finding(row: Mapping[str, Any], flags: Iterable[Mapping[str, Any]]) -> Finding:
    data = {c.name: row[c.name] for c in findings.columns}
    data["periods"] = tuple(data["periods"])
    data["created_at"], data["updated_at"] = _utc(data["created_at"]), _utc(data["updated_at"])
    return Finding(**data, flags=tuple(FlagRef(**{k: f[k] for k in FLAG_FIELDS}) for f in flags))


def _load(conn: sa.Connection, where: Any = None) -> list[Finding]:
    query = sa.select(findings).order_by(findings.c.created_at, findings.c.id)
    rows = list(conn.execute(query if where is None else query.where(where)).mappings())
    flags: dict[str, list] = {}
    ids = [r["id"] for r in rows]
    for i in range(0, len(ids), 500):
        query = (sa.select(finding_flags).where(finding_flags.c.finding_id.in_(ids[i:i + 500]))
                 .order_by(finding_flags.c.finding_id, finding_flags.c.position))
        for f in conn.execute(query).mappings():
            flags.setdefault(f["finding_id"], []).append(f)
    return [_finding(r, flags.get(r["id"], ())) for r in rows]


def _one(conn: sa.Connection, finding_id: str) -> Finding:
    found = _load(conn, findings.c.id == finding_id)
    if not found:
        raise NotFound(Problem("id", f"没有编号为 {finding_id} 的问题",
                               f"no finding with id {finding_id}"))
    return found[0]


def _dispositions(conn: sa.Connection, where: Any = None) -> list[Disposition]:
    query = sa.select(flag_dispositions).order_by(flag_dispositions.c.created_at,
                                                  flag_dispositions.c.id)
    rows = conn.execute(query if where is None else query.where(where)).mappings()
    return [Disposition(**{**r, "created_at": _utc(r["created_at"]),
                           "updated_at": _utc(r["updated_at"])}) for r in rows]


def _editable(_conn: sa.Connection, current: Finding) -> None:
    if current.status in FINAL_STATUSES:
        raise IllegalTransition(Problem(
            "status", f"问题已{STATUSES[current.status][0]}，不能再修改",
            f"the finding is {current.status}; it can no longer be edited"))


def _same_content(found: Finding, content: Mapping[str, Any]) -> bool:
    """Whether a stored finding holds exactly the normalised ``content`` (flags included)."""
    return all(getattr(found, k) == content[k] for k in CONTENT_FIELDS) \
        and found.flags == tuple(content["flags"])


def _rectified_by(conn: sa.Connection, finding_id: str) -> str | None:
    """Who last moved the finding to ``rectified``, from its audit entries (None: nobody)."""
    query = (sa.select(audit_log.c.actor, audit_log.c.payload)
             .where(audit_log.c.finding_id == finding_id, audit_log.c.action == "transition")
             .order_by(audit_log.c.seq.desc()))
    for actor, payload in conn.execute(query):
        if (json.loads(payload).get("after") or {}).get("status") == "rectified":
            return actor
    return None


def _write_flags(conn: sa.Connection, finding_id: str, flags: Iterable[FlagRef]) -> None:
    conn.execute(finding_flags.delete().where(finding_flags.c.finding_id == finding_id))
    rows = [{"finding_id": finding_id, "position": i, **f.__dict__} for i, f in enumerate(flags)]
    if rows:
        conn.execute(finding_flags.insert(), rows)


#: SQLSTATEs of the refusals ``workbench.findings.pg_security`` raises, and 42501 (a
#: privilege or row-level-security refusal of the database itself).
_REFUSALS = {"WB403": PermissionDenied, "WB409": StaleVersion, "WB422": IllegalTransition,
             "42501": PermissionDenied}


def _refusal(exc: sa.exc.DBAPIError) -> Exception:
    """The store error for what the database said: a refusal by the trust boundary or the
    privilege system (zh/en), a lost connection (the save did not complete), else the
    database error itself."""
    code = getattr(exc.orig, "sqlstate", None)
    if code in _REFUSALS:
        text = _reason(exc)
        zh, _, en = text.partition(" / ")
        if not en:
            zh, en = f"数据库拒绝了此操作（{text}）", f"the database refused this ({text})"
        return _REFUSALS[code](Problem("database", zh, en))
    if isinstance(exc, sa.exc.OperationalError) or exc.connection_invalidated:
        return StoreUnavailable(Problem(
            "database", f"与问题库的连接中断，本次保存可能未完成（{_reason(exc)}）；请刷新后重试，"
                        "重复保存不会存成两条",
            f"the connection to the findings database was lost, so this save may not have "
            f"completed ({_reason(exc)}); reload and try again (saving again does not store "
            "it twice)"))
    return exc


class FindingsStore:
    """Findings in one database; open it with :func:`open_store`.

    ``authority`` says who writes and for which provinces (see
    ``workbench.findings.identity``).  ``secured``: the database carries the trust
    boundary of ``workbench.findings.pg_security`` and decides identity, permissions and
    the audit log itself; the checks here then only give early, friendly refusals.
    ``readonly`` stores refuse every write here and, below that, in the database itself.
    Config ``[findings]``: ``duplicate_window_s`` (a create repeating one by the same
    actor within that many seconds returns the first) and ``four_eyes_close``.
    """

    def __init__(self, engine: sa.Engine, *, readonly: bool, authority: identity.Authority,
                 config: Mapping[str, Any], secured: bool = False):
        self.engine = engine
        self.readonly = readonly
        self.authority = authority
        self.secured = secured
        self.config = config
        self.limits = Limits.from_config(config)
        section = config.get("findings", {})
        self.duplicate_window = timedelta(seconds=section.get("duplicate_window_s", 60))
        self.four_eyes_close = bool(section.get("four_eyes_close", True))

    @property
    def actor(self) -> str:
        """Who writes (in a secured database: the connected role)."""
        return self.authority.actor

    def close(self) -> None:
        """Close the store's database connections."""
        self.engine.dispose()

    # -- reading --------------------------------------------------------------------
    def get(self, finding_id: str) -> Finding:
        """One finding (NotFound if there is none with this id)."""
        with self.engine.connect() as conn:
            return _one(conn, finding_id)

    def list(self, enterprise_id: str | None = None, status: str | None = None,
             province: str | None = None) -> list[Finding]:
        """Findings, oldest first, optionally only one enterprise / status / province."""
        where = sa.and_(sa.true(), *(
            col == value for col, value in ((findings.c.enterprise_id, enterprise_id),
                                            (findings.c.status, status),
                                            (findings.c.province, province))
            if value is not None))
        with self.engine.connect() as conn:
            return _load(conn, where)

    def dispositions(self, enterprise_id: str | None = None) -> list[Disposition]:
        """Flag dispositions, oldest first, optionally of one enterprise only."""
        where = None if enterprise_id is None else \
            flag_dispositions.c.enterprise_id == enterprise_id
        with self.engine.connect() as conn:
            return _dispositions(conn, where)

    def history(self, finding_id: str | None = None) -> list[dict[str, Any]]:
        """Audit entries in order (all, or those of one finding)."""
        query = sa.select(audit_log).order_by(audit_log.c.seq)
        if finding_id is not None:
            query = query.where(audit_log.c.finding_id == finding_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def verify(self, anchors: Mapping[int, str] | None = None) -> audit.Verdict:
        """Recompute the audit chain, checking ``anchors`` (seq -> hash recorded earlier)
        too (see ``workbench.findings.audit.verify``).  In a secured database the anchors
        the admin recorded in ``wb_anchors`` are checked as well, and every entry's actor
        must be a role registered in ``wb_members``."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                current = {f.id: f.to_json() for f in _load(conn)} | {
                    d.id: d.to_json() for d in _dispositions(conn)}
                known = None
                if self.secured:
                    recorded = conn.execute(sa.text("SELECT seq, hash FROM wb_anchors"))
                    anchors = {**{int(q): h for q, h in recorded}, **(anchors or {})}
                    known = frozenset(conn.execute(
                        sa.text("SELECT role_name FROM wb_members")).scalars())
                return audit.verify(conn, current, anchors, known)

    def record_anchor(self, verdict: audit.Verdict | None = None) -> tuple[int, str]:
        """Record the chain head (seq, hash) in ``wb_anchors`` (a secured database; only its
        admin may write there) after verifying the chain (``verdict``: a verification just
        made, so it is not made twice); return it.  Refused with :class:`PermissionDenied`
        for anyone else, :class:`ValidationError` when the chain is broken (an anchor must
        vouch for an intact log)."""
        verdict = verdict or self.verify()
        if not verdict.ok:
            raise ValidationError(Problem(
                "audit_log",
                f"审计日志损坏（第 {verdict.bad_seq} 条），不能留存锚点：{verdict.reason_zh}",
                f"the audit log is broken at entry {verdict.bad_seq}; no anchor recorded: "
                f"{verdict.reason_en}"))
        if not self.secured:
            raise StoreOpenError(Problem(
                "database", "该数据库没有锚点表（未执行 workbench db init）；请用 --out 写入文件",
                "this database has no anchor table (workbench db init was not run); use "
                "--out to write a file"))
        with self._database_refusals(), self.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO wb_anchors (seq, hash) VALUES (:s, :h) "
                                 "ON CONFLICT (seq) DO NOTHING"),
                         {"s": verdict.entries, "h": verdict.head_hash})
        return verdict.entries, verdict.head_hash

    # -- writing --------------------------------------------------------------------
    @contextmanager
    def _database_refusals(self):
        """Turn what the database refused into the store's own errors (zh/en)."""
        try:
            yield
        except sa.exc.DBAPIError as exc:
            raise _refusal(exc) from exc

    def _require_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyStore(Problem("database", "只读模式，不能写入",
                                        "the store is read-only (supervisor mode)"))

    @contextmanager
    def _transaction(self):
        self._require_writable()
        with self._database_refusals(), \
                self.engine.connect().execution_options(workbench_write=True) as conn, \
                conn.begin():
            yield conn, audit.lock_head(conn, self.secured)

    def _append(self, conn: sa.Connection, head: tuple[int, str], **entry: Any
                ) -> tuple[int, str]:
        return audit.append(conn, head, actor=self.actor, in_database=self.secured, **entry)

    def _content(self, draft: Mapping[str, Any], index: EnterpriseIndex) -> dict[str, Any]:
        self._require_writable()
        content = validate(draft, index, self.limits)
        self.authority.check(index.provinces[content["enterprise_id"]])
        return content

    def _insert(self, conn: sa.Connection, content: dict[str, Any], province: str,
                fingerprint: str | None) -> str:
        fid, now = str(uuid.uuid4()), datetime.now(UTC)
        conn.execute(findings.insert().values(
            id=fid, province=province, status="open", dataset_fingerprint=fingerprint,
            created_by=self.actor, created_at=now, updated_by=self.actor, updated_at=now,
            version=1, **{k: content[k] for k in CONTENT_FIELDS}))
        _write_flags(conn, fid, content["flags"])
        return fid

    def check(self, draft: Mapping[str, Any], dataset: Any) -> dict[str, Any]:
        """Validate ``draft`` and the actor's permission without writing; the normalised content.

        Raises what :meth:`create` would raise for it (ValidationError, PermissionDenied).
        """
        return self._content(draft, enterprise_index(dataset))

    def _repeated(self, conn: sa.Connection, content: Mapping[str, Any]) -> Finding | None:
        """The finding this actor created with exactly ``content`` within the duplicate
        window and left untouched since (a second click on save), else None."""
        since = datetime.now(UTC) - self.duplicate_window
        mine = _load(conn, sa.and_(findings.c.enterprise_id == content["enterprise_id"],
                                   findings.c.created_by == self.actor,
                                   findings.c.version == 1))
        return next((f for f in reversed(mine)
                     if f.created_at >= since and _same_content(f, content)), None)

    def create(self, draft: Mapping[str, Any], dataset: Any) -> Finding:
        """Validate ``draft`` against ``dataset`` and store it as a new open finding.

        Idempotent: when the same actor stored the very same content (evidence flags
        included) within ``duplicate_window_s`` and nobody changed that finding since,
        it is returned and nothing is written.
        """
        index = enterprise_index(dataset)
        content = self._content(draft, index)
        with self._transaction() as (conn, head):
            repeated = self._repeated(conn, content)
            if repeated is not None:
                return repeated
            fid = self._insert(conn, content, index.provinces[content["enterprise_id"]],
                               index.fingerprint)
            after = _one(conn, fid)
            self._append(conn, head, action="create", finding_id=fid,
                         payload={"before": None, "after": after.to_json()},
                         dataset_fingerprint=index.fingerprint)
        return after

    def import_findings(self, drafts: Iterable[Mapping[str, Any]], dataset: Any,
                        source: str) -> list[Finding]:
        """Store several drafts in ONE transaction (all or none); one audit entry each.

        Every draft is validated (and permission-checked) first; the first bad
        one raises and nothing is written.  ``source`` (a file name) is logged.
        """
        index = enterprise_index(dataset)
        contents = [self._content(d, index) for d in drafts]
        out = []
        with self._transaction() as (conn, head):
            for content in contents:
                fid = self._insert(conn, content, index.provinces[content["enterprise_id"]],
                                   index.fingerprint)
                out.append(_one(conn, fid))
                head = self._append(conn, head, action="import", finding_id=fid,
                                    dataset_fingerprint=index.fingerprint,
                                    payload={"before": None, "after": out[-1].to_json(),
                                             "source": source})
        return out

    def _change(self, finding_id: str, expected_version: int, action: str, values: dict,
                guard: Callable[[sa.Connection, Finding], None],
                flags: Iterable[FlagRef] | None = None, fingerprint: str | None = None) -> Finding:
        """Apply ``values`` to a finding at ``expected_version``, with its audit entry.

        ``guard`` sees the transaction's connection and the finding as locked in it, and
        raises to refuse.
        """
        with self._transaction() as (conn, head):
            before = _one(conn, finding_id)
            self.authority.check(before.province)
            if before.version != expected_version:
                raise StaleVersion(Problem(
                    "version", f"问题已被他人修改（当前版本 {before.version}，"
                               f"您的版本 {expected_version}），请刷新后重试",
                    f"the finding was changed by someone else (now version {before.version}, "
                    f"yours {expected_version}); reload and try again"))
            guard(conn, before)
            conn.execute(findings.update().where(findings.c.id == finding_id).values(
                **values, updated_by=self.actor, updated_at=datetime.now(UTC),
                version=before.version + 1))
            if flags is not None:
                _write_flags(conn, finding_id, flags)
            after = _one(conn, finding_id)
            self._append(conn, head, action=action, finding_id=finding_id,
                         payload={"before": before.to_json(), "after": after.to_json()},
                         dataset_fingerprint=fingerprint or before.dataset_fingerprint)
        return after

    def dispose(self, flag: Mapping[str, Any] | FlagRef, disposition: str, dataset: Any,
                note: str | None = None, finding_id: str | None = None,
                expected_version: int | None = None) -> Disposition:
        """Record what the reviewer concluded about one screening flag.

        ``disposition``: ``verified`` 已核实, ``explained`` 已解释 or ``false_positive``
        误报 (both with a ``note``), or ``linked`` 已关联问题 with the ``finding_id`` of a
        finding of the same enterprise.  A flag has one current disposition: changing it
        passes the ``expected_version`` last read (None: there is none yet); a stale or
        missing version is refused, never overwritten.  Each change is one transaction
        with its audit entry (action ``dispose``, the payload naming ``disposition_id``).
        """
        index = enterprise_index(dataset)
        self._require_writable()
        content = validate_disposition(flag, disposition, note, finding_id, index,
                                       self.limits)
        province = index.provinces[content["enterprise_id"]]
        self.authority.check(province)
        key = flag_key(*(content[k] for k in ("check_id", "enterprise_id", "unit_id",
                                                "period", "parameter_code")))
        with self._transaction() as (conn, head):
            if content["finding_id"] and \
                    _one(conn, content["finding_id"]).enterprise_id != content["enterprise_id"]:
                raise ValidationError(Problem(
                    "finding_id", "关联的问题属于另一家企业",
                    "the linked finding belongs to another enterprise"))
            found = _dispositions(conn, flag_dispositions.c.flag_key == key)
            before = found[0] if found else None
            if (before.version if before else None) != expected_version:
                raise StaleVersion(Problem(
                    "version",
                    f"该预警的处理已被{before.updated_by if before else '他人'}修改，请刷新后重试",
                    f"this flag's disposition was changed by "
                    f"{before.updated_by if before else 'someone else'}; reload and try again"))
            now = datetime.now(UTC)
            values = {"disposition": content["disposition"], "note": content["note"],
                      "finding_id": content["finding_id"], "updated_by": self.actor,
                      "updated_at": now}
            if before is None:
                did = str(uuid.uuid4())
                conn.execute(flag_dispositions.insert().values(
                    id=did, flag_key=key, province=province, created_by=self.actor,
                    created_at=now, version=1, **values,
                    **{k: content[k] for k in ("enterprise_id", "check_id", "unit_id",
                                               "period", "parameter_code",
                                               "dataset_fingerprint")}))
            else:
                did = before.id
                conn.execute(flag_dispositions.update().where(flag_dispositions.c.id == did)
                             .values(**values, version=before.version + 1))
            after = _dispositions(conn, flag_dispositions.c.id == did)[0]
            self._append(conn, head, action="dispose", finding_id=None,
                         payload={"disposition_id": did,
                                  "before": before.to_json() if before else None,
                                  "after": after.to_json()},
                         dataset_fingerprint=index.fingerprint)
        return after

    def update(self, finding_id: str, changes: Mapping[str, Any], expected_version: int,
               dataset: Any) -> Finding:
        """Change content fields of a finding last read at ``expected_version``.

        The whole resulting content is validated against ``dataset``; a stale
        version, a closed or dismissed finding, or a change of enterprise is refused.
        """
        bad = sorted(set(changes) - set(EDITABLE_FIELDS))
        if bad:
            raise ValidationError(Problem(", ".join(bad), "不可修改的字段",
                                          "field cannot be changed by an update"))
        current = self.get(finding_id)
        index = enterprise_index(dataset)
        draft = {k: getattr(current, k) for k in CONTENT_FIELDS} | {"flags": current.flags}
        content = self._content({**draft, **changes}, index)
        return self._change(finding_id, expected_version, "update",
                            {k: content[k] for k in CONTENT_FIELDS if k != "enterprise_id"},
                            _editable, content["flags"], index.fingerprint)

    def transition(self, finding_id: str, to_status: str, expected_version: int,
                   reason: str | None = None, evidence: Mapping[str, Any] | None = None
                   ) -> Finding:
        """Move a finding along the workflow (``codes.TRANSITIONS``).

        ``dismissed`` and ``closed`` need a ``reason``; any other target keeps an optional
        one.  ``rectified`` needs the rectification ``evidence``: ``{"ref": document
        reference, "date": its date (YYYY-MM-DD, not after today)}``, stored on the
        finding.  With ``four_eyes_close`` (config ``[findings]``), the reviewer who marked
        the finding rectified (per the audit log) may not close it.
        """
        if to_status not in STATUSES:
            raise IllegalTransition(Problem("status", f"未知状态 {to_status!r}",
                                            f"unknown status {to_status!r}"))
        if to_status in ("dismissed", "closed"):
            reason = validate_reason(reason, self.limits)
        values: dict[str, Any] = {"status": to_status, "status_reason": reason}
        if to_status == "rectified":
            ref, when = validate_evidence(evidence, self.limits, datetime.now(UTC).date())
            values |= {"rectification_ref": ref, "rectification_date": when}

        def legal(conn: sa.Connection, current: Finding) -> None:
            if to_status not in TRANSITIONS[current.status]:
                raise IllegalTransition(Problem(
                    "status",
                    f"不能从“{STATUSES[current.status][0]}”改为“{STATUSES[to_status][0]}”",
                    f"cannot go from {current.status} to {to_status}"))
            if to_status == "closed" and self.four_eyes_close \
                    and _rectified_by(conn, current.id) == self.actor:
                raise PermissionDenied(Problem(
                    "actor", f"{self.actor} 标记了整改完成，须由另一位审核人关闭（四眼原则）",
                    f"{self.actor} marked the finding rectified; another reviewer must close "
                    "it (four eyes)"))

        return self._change(finding_id, expected_version, "transition", values, legal)


def _use_wal(engine: sa.Engine) -> None:
    """Have a read-write SQLite engine keep its database in write-ahead-log mode (set on
    every new connection; the mode is stored in the file).  A writer killed inside a
    transaction then leaves only uncommitted frames in ``-wal``, which readers ignore,
    instead of a hot rollback journal that only a read-write connection can undo."""
    @event.listens_for(engine, "connect")
    def _wal(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA journal_mode = WAL")


def _prepare_read_only(url: str) -> None:
    """Make a SQLite file readable through a read-only connection, or say why it is not.

    A rollback-journal database (one not yet switched to WAL) that a killed writer left
    with a hot journal is rolled back first: that needs one read-write connection, opened
    here and closed again (it writes no content).  A WAL database whose ``-shm`` file is
    absent can be read only by a process that may create that file in its folder;
    otherwise :class:`StoreOpenError` says so (the database is not damaged).
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database \
            or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if not path.is_file():
        return
    with path.open("rb") as fh:
        wal = fh.read(20)[18:20] == b"\x02\x02"  # file format versions 2: WAL mode
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    journal = path.with_name(path.name + "-journal")
    if not wal and writable and journal.is_file() and journal.stat().st_size:
        conn = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls it back
        finally:
            conn.close()
    if wal and not path.with_name(path.name + "-shm").exists() \
            and not os.access(path.parent, os.W_OK):
        raise StoreOpenError(Problem(
            "database",
            f"只读打开 WAL 模式的数据库需要在 {path.parent} 中创建 {path.name}-shm，"
            "但当前用户没有写权限（数据库未损坏）；请授予该文件夹写权限，或在多用户部署中使用 "
            "PostgreSQL",
            f"reading a WAL-mode database read-only needs to create {path.name}-shm in "
            f"{path.parent}, which this user may not write (the database is not damaged); "
            "allow writing that folder, or use PostgreSQL for several users"))


def _create_data_dir(url: str) -> None:
    """Create the per-user data folder when ``url`` is a SQLite file in it that is opened
    for the first time (SQLite creates no folders; any other missing folder stays an
    error naming the setting)."""
    from workbench.config import user_data_dir

    parsed = sa.make_url(url)
    folder = user_data_dir().resolve()
    if (parsed.get_backend_name() == "sqlite" and parsed.database
            and Path(parsed.database).parent == folder and not folder.exists()):
        folder.mkdir(parents=True)


def _reason(exc: BaseException) -> str:
    """The first line of what the database driver said (the SQL and links left out)."""
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


def open_store(url: str | None = None, readonly: bool = False,
               config: Mapping[str, Any] | None = None, actor: str | None = None
               ) -> FindingsStore:
    """Open the findings database at ``url`` (default: config ``general.database_url``).

    Read-only when ``readonly`` or when config ``general.mode`` is ``readonly``:
    then the database itself refuses writes and must already be at the newest
    schema.  Otherwise the schema is migrated to the newest revision.  ``actor``
    defaults to the identity from the environment or config.  A database that cannot be
    opened or reached raises :class:`StoreOpenError` saying why (zh/en) and which setting
    to fix; the per-user data folder of the default database is created on first use.
    """
    from workbench.config import load_config, user_config_path

    cfg = config if config is not None else load_config()
    readonly = readonly or cfg["general"].get("mode") == "readonly"
    source = user_config_path() if config is None else None
    where = ("--db / database_url" if url else "general.database_url"
             + (f" ({source})" if source else " (workbench.toml / $WORKBENCH_CONFIG)"))
    url = url or cfg["general"]["database_url"]
    try:
        if not readonly:
            _create_data_dir(url)
        else:
            _prepare_read_only(url)
        engine = create_engine(url, readonly)
        if not readonly and engine.dialect.name == "sqlite":
            _use_wal(engine)
        if readonly:
            with engine.connect() as conn:
                migrate.require_head(conn)
        else:
            with engine.connect().execution_options(workbench_write=True) as conn, \
                    conn.begin():
                migrate.upgrade(conn)
        secured, authority = _authority(engine, cfg, actor)
    except (StoreOpenError, sa.exc.SQLAlchemyError, sqlite3.Error, ImportError) as exc:
        problems = exc.problems if isinstance(exc, StoreOpenError) else [Problem(
            "database", f"无法打开问题库（{_reason(exc)}）",
            f"cannot open the findings database ({_reason(exc)})")]
        raise StoreOpenError([*problems, Problem(
            "database", f"请检查设置 {where}", f"fix the setting {where}")]) from exc
    return FindingsStore(engine, readonly=readonly, authority=authority, config=cfg,
                         secured=secured)


def _authority(engine: sa.Engine, cfg: Mapping[str, Any], actor: str | None
               ) -> tuple[bool, identity.Authority]:
    """Whether the database carries the trust boundary, and who writes: the connected
    role and its provinces from the database when it does (``actor`` and the config are
    then ignored), else ``actor`` / the configured identity with its configured
    provinces."""
    with engine.connect() as conn:
        if pg_security.is_installed(conn):
            return True, identity.Authority.from_database(conn)
    return False, identity.Authority.from_config(cfg, actor)
