"""The append-only, hash-chained audit log.

Each entry records seq, time, actor, action, finding id, payload (the finding
before and after), the dataset fingerprint and the check version.  Its hash is
SHA-256 over the previous entry's hash followed by the canonical JSON of those
fields, so editing, removing or reordering any entry breaks the chain from
there on.  ``audit_head`` holds the last seq and hash: writers lock it to append
(one predecessor per entry, even with many processes) and :func:`verify`
compares it with the log, so removing the newest entries is detected too.
Anyone who rewrites the whole chain *and* the head is not detected by the
database alone: record the ``SEQ:HASH`` anchor that ``verify`` prints somewhere
else (a ticket, a signed mail) and pass it back later (``--anchor``); an entry
that no longer carries its recorded hash is reported as rewritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from workbench import __version__
from workbench.findings.model import ADDED_FIELDS, audit_head, audit_log

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "finding_id", "payload",
                 "dataset_fingerprint", "check_version")


def canonical_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces, UTF-8 text kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the hashed fields.

    ``entry["payload"]`` is the stored JSON text; it is parsed so the hash covers
    the payload's content rather than its spelling.
    """
    body = {k: entry[k] for k in HASHED_FIELDS}
    body["payload"] = json.loads(body["payload"])
    return hashlib.sha256((prev_hash + canonical_json(body)).encode()).hexdigest()


def lock_head(conn: sa.Connection, in_database: bool = False) -> tuple[int, str]:
    """Lock the chain head for this transaction; return the last (seq, hash).

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the head row (through ``wb_lock_head()``
    when ``in_database``: reviewers may not lock the head themselves).  SQLite: the
    store's write transactions begin with ``BEGIN IMMEDIATE``, which already holds the
    database's write lock.
    """
    if in_database:
        row = conn.execute(sa.text("SELECT seq, hash FROM wb_lock_head()")).one()
    else:
        row = conn.execute(sa.select(audit_head.c.seq, audit_head.c.hash)
                           .where(audit_head.c.id == 1).with_for_update()).one()
    return int(row.seq), row.hash


def append(conn: sa.Connection, head: tuple[int, str], *, actor: str, action: str,
           finding_id: str | None, payload: dict[str, Any],
           dataset_fingerprint: str | None, in_database: bool = False) -> tuple[int, str]:
    """Write the entry after ``head`` (from :func:`lock_head`) and move the head; return it.

    ``in_database``: the database writes the entry (``wb_append``, see
    ``workbench.findings.pg_security``), stamping its own time and ``session_user`` as
    the actor and hashing it exactly as :func:`entry_hash` does; ``actor`` and ``head``
    are not used.
    """
    if in_database:
        row = conn.execute(sa.text("SELECT seq, hash FROM wb_append(:a, :f, :p, :d, :v)"), {
            "a": action, "f": finding_id, "p": canonical_json(payload),
            "d": dataset_fingerprint, "v": __version__}).one()
        return int(row.seq), row.hash
    seq, prev = head[0] + 1, head[1]
    entry = {"seq": seq, "at": datetime.now(UTC).isoformat(timespec="microseconds"),
             "actor": actor, "action": action, "finding_id": finding_id,
             "payload": canonical_json(payload), "dataset_fingerprint": dataset_fingerprint,
             "check_version": __version__}
    digest = entry_hash(prev, entry)
    conn.execute(audit_log.insert().values(**entry, prev_hash=prev, hash=digest))
    conn.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=seq, hash=digest))
    return seq, digest


@dataclass(frozen=True)
class Verdict:
    """Result of :func:`verify`: ``bad_seq`` names the first bad entry (None when intact)."""

    entries: int
    head_hash: str
    bad_seq: int | None = None
    reason_zh: str = ""
    reason_en: str = ""

    @property
    def ok(self) -> bool:
        """True when the whole chain is intact."""
        return self.bad_seq is None


def _state(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """A finding's state as compared here: fields added by later migrations that an older
    entry does not carry count as empty."""
    return None if value is None else {**dict.fromkeys(ADDED_FIELDS), **value}


def _first_break(conn: sa.Connection, known_actors: frozenset[str] | None
                 ) -> tuple[int, str, Verdict | None, dict]:
    """Walk the log in seq order: (entries, last hash, verdict on the first break, last
    ``(seq, after)`` per finding)."""
    prev, expected, last_after = GENESIS, 1, {}
    for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)).mappings():
        seq, n = row["seq"], expected - 1
        if seq != expected:
            return n, prev, Verdict(n, prev, expected, f"第 {expected} 条记录缺失",
                                    f"entry {expected} is missing (removed)"), last_after
        if row["prev_hash"] != prev:
            return n, prev, Verdict(
                n, prev, seq, f"第 {seq} 条记录与前一条不衔接（删除、调换或前一条被改）",
                f"entry {seq} does not follow entry {seq - 1} (removed, reordered or the "
                "previous entry edited)"), last_after
        if entry_hash(prev, dict(row)) != row["hash"]:
            return n, prev, Verdict(n, prev, seq, f"第 {seq} 条记录内容被修改",
                                    f"entry {seq} was edited (its hash does not match its "
                                    "content)"), last_after
        if known_actors is not None and row["actor"] not in known_actors:
            return n, prev, Verdict(
                n, prev, seq, f"第 {seq} 条记录的操作人 {row['actor']} 不是已登记的数据库角色",
                f"entry {seq} was written by {row['actor']}, who is not a known role"), \
                last_after
        payload = json.loads(row["payload"])
        subject = row["finding_id"] or payload.get("disposition_id")
        if subject:
            prior = last_after.get(subject, (None, None))
            if "before" in payload and _state(payload["before"]) != _state(prior[1]):
                since = f"第 {prior[0]} 条" if prior[0] else "此前没有记录"
                return n, prev, Verdict(
                    n, prev, seq, f"第 {seq} 条记录的修改前状态与该问题上一条记录（{since}）不符",
                    f"entry {seq}'s state before does not match the finding's previous entry "
                    f"({prior[0] or 'none'})"), last_after
            last_after[subject] = (seq, payload.get("after"))
        prev, expected = row["hash"], expected + 1
    return expected - 1, prev, None, last_after


def _kind(state: dict[str, Any]) -> tuple[str, str]:
    """What a logged state describes (zh, en): a flag disposition or a finding."""
    return ("预警处理", "flag disposition") if "disposition" in state else ("问题", "finding")


def _outside_the_log(current: dict[str, dict[str, Any]], last_after: dict, n: int
                     ) -> tuple[int, str, str] | None:
    """The first finding or flag disposition inserted, changed or deleted without its
    audit entry: (seq to report, zh, en), or None."""
    for sid, state in sorted(current.items()):
        zh, en = _kind(state)
        if sid not in last_after:
            return (n + 1, f"{zh} {sid} 没有任何审计记录（绕过日志插入）",
                    f"{en} {sid} has no audit entry (inserted outside the log)")
        seq, after = last_after[sid]
        if _state(after) != _state(state):
            return (seq, f"{zh} {sid} 与第 {seq} 条记录不符（绕过日志被修改）",
                    f"{en} {sid} differs from audit entry {seq} (changed outside the log)")
    for sid, (seq, after) in sorted(last_after.items()):
        if sid not in current and after is not None:
            zh, en = _kind(after)
            return (seq, f"{zh} {sid} 已不存在，但第 {seq} 条记录记载了它（绕过日志被删除）",
                    f"{en} {sid} is gone although entry {seq} records it (deleted outside "
                    "the log)")
    return None


def parse_anchor(text: str) -> tuple[int, str]:
    """``"SEQ:HASH"`` (as :func:`verify`'s caller prints it) -> (seq, hash); ValueError
    naming what was expected."""
    seq, _, digest = text.strip().partition(":")
    if not (seq.isdigit() and int(seq) > 0 and len(digest) == 64
            and all(c in "0123456789abcdef" for c in digest)):
        raise ValueError(f"anchor {text!r}: expected SEQ:HASH, e.g. 12:<64 hex digits>")
    return int(seq), digest


def verify(conn: sa.Connection, current: dict[str, dict[str, Any]],
           anchors: Mapping[int, str] | None = None,
           known_actors: frozenset[str] | None = None) -> Verdict:
    """Recompute the chain and report the first bad entry.

    ``current`` maps finding id to its stored state (``Finding.to_json()``): a finding
    whose state differs from the ``after`` of its last entry, one with no entry, or one
    an entry records that is gone was changed, inserted or deleted outside the log.
    Each entry's ``before`` must be the ``after`` of the finding's previous entry.
    ``anchors`` (seq -> hash, recorded outside the log earlier) must still be in the
    chain: a chain rewritten wholesale, head included, verifies by itself but not against
    them.  ``known_actors`` (the database's registered roles), when given, must include
    every entry's actor.
    """
    n, last_hash, broken, last_after = _first_break(conn, known_actors)
    if broken:
        return broken
    for seq, digest in sorted((anchors or {}).items()):
        found = conn.execute(sa.select(audit_log.c.hash).where(audit_log.c.seq == seq)
                             ).scalar_one_or_none()
        if found != digest:
            what = ("does not match its recorded anchor" if found
                    else "of the recorded anchor is missing")
            return Verdict(n, last_hash, seq, f"第 {seq} 条记录与外部留存的锚点不符（日志被改写）",
                           f"entry {seq} {what} (the log was rewritten)")
    head_seq, head_hash = conn.execute(
        sa.select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one()
    if head_seq != n or head_hash != last_hash:
        return Verdict(n, last_hash, n + 1, f"第 {n + 1} 条及之后的记录缺失",
                       f"entry {n + 1} and later are missing (the head names entry {head_seq})")
    outside = _outside_the_log(current, last_after, n)
    if outside:
        return Verdict(n, last_hash, *outside)
    return Verdict(n, last_hash)
