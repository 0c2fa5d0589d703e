"""The PostgreSQL trust boundary of a multi-user findings store.

Installed by ``workbench db init`` (an admin role: the database owner or a superuser),
this makes the database, not the reviewer's kernel, decide who may write what:

- **Identity** is ``session_user``: triggers overwrite ``created_by`` / ``updated_by`` and
  the audit actor with it, whatever the client sent.  Each person logs in as their own
  role (peer authentication over the Unix socket, or their own credentials).
- **Who may write where** lives in tables only the admin may write: ``wb_members``
  (reviewer / supervisor / admin roles, kept when deactivated so old audit entries still
  name a known role), ``wb_reviewer_provinces`` (``*`` = every province) and
  ``wb_enterprises`` (each enterprise's province, loaded from the canonical dataset by
  the admin).  A finding is accepted only for an enterprise of the master data, with the
  master data's province, by a reviewer assigned to it — checked by a trigger with a
  zh/en reason and again by row-level security.
- **The audit log is written only inside the database**: reviewers hold no INSERT,
  UPDATE or DELETE on ``audit_log`` / ``audit_head`` and no DELETE on ``findings``.
  ``wb_append`` (``SECURITY DEFINER``) locks the head, stamps time and actor, computes
  the entry's SHA-256 with ``sha256()`` exactly as ``workbench.findings.audit.entry_hash``
  does, and moves the head.  A deferred constraint trigger refuses, at commit, a change
  of a finding that has no audit entry for its new version, and evidence flags may
  change only together with their finding.
- **The workflow** (legal moves, reasons, four eyes, nothing editable once final, version
  +1 per change, fixed enterprise and province) is checked by the same trigger.
- **Flag dispositions** (``flag_dispositions``) are held the same way: master-data
  province, assigned reviewer, ``session_user``, version +1, a note where the conclusion
  needs one, a link only to a finding of the same enterprise, an audit entry (payload
  ``disposition_id``) required at commit.
- **Supervisors** hold SELECT only and their sessions default to read-only.
- **Anchors** (``wb_anchors``) are written by the admin (``workbench findings anchor``)
  and read by ``verify``.

Refusals raised here carry SQLSTATE ``WB403`` (not allowed), ``WB409`` (stale version)
or ``WB422`` (not a legal change) and a message ``"<zh> / <en>"``;
``workbench.findings.store`` turns them into its own errors.  Everything is idempotent:
``db init`` re-run after an upgrade re-applies grants to new columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from workbench.findings.codes import DISPOSITIONS, FINAL_STATUSES, NEXT_STEPS, NOTE_REQUIRED

#: Group roles every reviewer / supervisor login role is a member of.
REVIEWER_GROUP = "workbench_reviewer"
SUPERVISOR_GROUP = "workbench_supervisor"
#: Kinds of ``wb_members`` rows; ``legacy`` names an actor of entries written before the
#: database decided identity (no login, no rights; kept so those entries verify).
KINDS = ("reviewer", "supervisor", "admin", "legacy")
#: Role names the admin commands accept: what an OS login name looks like.  Kept plain so
#: the JSON of an audit entry spells the actor the same in SQL and in Python.
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")
#: Tables the layer reads and writes (the store's own plus the master data).
STORE_TABLES = ("findings", "finding_flags", "flag_dispositions", "audit_log", "audit_head",
                "alembic_version")
MASTER_TABLES = ("wb_members", "wb_reviewer_provinces", "wb_enterprises", "wb_anchors",
                 "wb_policy")
#: Columns of ``findings`` a reviewer's UPDATE may name (everything else is fixed).
UPDATABLE_COLUMNS = ("unit_id", "periods", "title", "category", "severity", "description",
                     "materiality_t", "recommended_action", "due_date", "status",
                     "status_reason", "rectification_ref", "rectification_date",
                     "updated_by", "updated_at", "version")
#: Columns of ``flag_dispositions`` a reviewer's UPDATE may name.
DISPOSITION_COLUMNS = ("disposition", "note", "finding_id", "updated_by", "updated_at",
                       "version")


def _literals(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _moves() -> str:
    return ", ".join(f"('{a}', '{b}')" for a, nxt in NEXT_STEPS.items() for b in nxt)


TABLES_SQL = """
CREATE TABLE IF NOT EXISTS wb_members (
    role_name text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('reviewer', 'supervisor', 'admin', 'legacy')),
    active boolean NOT NULL DEFAULT true,
    added_by text NOT NULL DEFAULT session_user,
    added_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS wb_reviewer_provinces (
    role_name text NOT NULL REFERENCES wb_members (role_name),
    province text NOT NULL,
    PRIMARY KEY (role_name, province));
CREATE TABLE IF NOT EXISTS wb_enterprises (
    enterprise_id text PRIMARY KEY,
    province text NOT NULL,
    name text,
    dataset_fingerprint text,
    loaded_by text NOT NULL DEFAULT session_user,
    loaded_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS wb_anchors (
    seq bigint PRIMARY KEY,
    hash text NOT NULL,
    recorded_by text NOT NULL DEFAULT session_user,
    recorded_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS wb_policy (
    id integer PRIMARY KEY CHECK (id = 1),
    four_eyes_close boolean NOT NULL);
"""


def functions_sql(schema: str) -> str:
    """The functions and triggers, pinned to ``schema`` (their ``search_path``)."""
    path = f"SET search_path = {schema}, pg_temp"
    return f"""
CREATE OR REPLACE FUNCTION wb_refuse(code text, zh text, en text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = zh || ' / ' || en;
END $$;

CREATE OR REPLACE FUNCTION wb_may_write(p_province text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
    SELECT EXISTS (
        SELECT 1 FROM wb_members m JOIN wb_reviewer_provinces p USING (role_name)
        WHERE m.role_name = session_user::text AND m.active AND m.kind = 'reviewer'
          AND (p.province = p_province OR p.province = '*'))
$$;

CREATE OR REPLACE FUNCTION wb_written_here(p_table text, p_id text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
    -- the row's current version was written by this very transaction
    SELECT CASE p_table
        WHEN 'findings' THEN EXISTS (SELECT 1 FROM findings WHERE id = p_id
            AND xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text)
        ELSE EXISTS (SELECT 1 FROM flag_dispositions WHERE id = p_id
            AND xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text)
    END
$$;

CREATE OR REPLACE FUNCTION wb_check_enterprise(p_enterprise text, p_province text)
RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER {path} AS $$
DECLARE
    v_province text;
BEGIN
    SELECT province INTO v_province FROM wb_enterprises WHERE enterprise_id = p_enterprise;
    IF v_province IS NULL THEN
        PERFORM wb_refuse('WB403',
            '企业 ' || p_enterprise || ' 不在数据库的企业主数据中（由管理员载入）',
            'enterprise ' || p_enterprise || ' is not in the master data held in '
            'the database (loaded by the admin)');
    END IF;
    IF p_province IS DISTINCT FROM v_province THEN
        PERFORM wb_refuse('WB403',
            '企业 ' || p_enterprise || ' 属于' || v_province || '，不是'
            || coalesce(p_province, '空'),
            'enterprise ' || p_enterprise || ' belongs to ' || v_province
            || ' in the master data, not ' || coalesce(p_province, 'nothing'));
    END IF;
    PERFORM wb_check_may_write(v_province);
END $$;

CREATE OR REPLACE FUNCTION wb_check_may_write(p_province text)
RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER {path} AS $$
BEGIN
    IF NOT wb_may_write(p_province) THEN
        PERFORM wb_refuse('WB403', session_user || ' 未被分配省份 ' || p_province,
            'role ' || session_user || ' is not assigned to province ' || p_province);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION wb_check_change(p_province text, p_old integer, p_new integer,
                                           p_what_zh text, p_what_en text)
RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER {path} AS $$
BEGIN
    -- a change of a row of p_province, from version p_old to p_new, by the connected role
    PERFORM wb_check_may_write(p_province);
    IF p_new <> p_old + 1 THEN
        PERFORM wb_refuse('WB409',
            p_what_zh || '已被他人修改（当前版本 ' || p_old || '），请刷新后重试',
            'the ' || p_what_en || ' was changed by someone else (now version ' || p_old
            || '); reload and try again');
    END IF;
END $$;

CREATE OR REPLACE FUNCTION wb_chain_append(p_action text, p_finding_id text, p_payload text,
                                           p_fingerprint text, p_check_version text)
RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    h record; v_seq bigint; v_at text; v_body text; v_hash text;
BEGIN
    PERFORM p_payload::jsonb;
    SELECT * INTO h FROM audit_head WHERE id = 1 FOR UPDATE;
    v_seq := h.seq + 1;
    v_at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
            || '+00:00';
    -- canonical JSON of the hashed fields, keys sorted, as audit.entry_hash spells it
    v_body := '{{"action":' || to_json(p_action)::text
        || ',"actor":' || to_json(session_user::text)::text
        || ',"at":' || to_json(v_at)::text
        || ',"check_version":' || to_json(p_check_version)::text
        || ',"dataset_fingerprint":' || coalesce(to_json(p_fingerprint)::text, 'null')
        || ',"finding_id":' || coalesce(to_json(p_finding_id)::text, 'null')
        || ',"payload":' || p_payload
        || ',"seq":' || v_seq::text || '}}';
    v_hash := encode(sha256(convert_to(h.hash || v_body, 'UTF8')), 'hex');
    INSERT INTO audit_log (seq, at, actor, action, finding_id, payload, dataset_fingerprint,
                           check_version, prev_hash, hash)
    VALUES (v_seq, v_at, session_user, p_action, p_finding_id, p_payload, p_fingerprint,
            p_check_version, h.hash, v_hash);
    UPDATE audit_head SET seq = v_seq, hash = v_hash WHERE id = 1;
    RETURN QUERY SELECT v_seq, v_hash;
END $$;

CREATE OR REPLACE FUNCTION wb_lock_head() RETURNS TABLE (seq bigint, hash text)
LANGUAGE sql SECURITY DEFINER {path} AS $$
    SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE
$$;

CREATE OR REPLACE FUNCTION wb_append(p_action text, p_finding_id text, p_payload text,
                                     p_fingerprint text, p_check_version text)
RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    v_table text; v_id text; v_province text; v_version integer; v_key text;
    v_value text; v_after jsonb := p_payload::jsonb -> 'after';
BEGIN
    IF p_action IN ('create', 'import', 'update', 'transition') AND p_finding_id IS NOT NULL
    THEN
        v_table := 'findings'; v_id := p_finding_id; v_key := 'status';
        SELECT province, version, status INTO v_province, v_version, v_value
        FROM findings WHERE id = v_id;
    ELSIF p_action = 'dispose' AND p_finding_id IS NULL THEN
        v_table := 'flag_dispositions'; v_id := p_payload::jsonb ->> 'disposition_id';
        v_key := 'disposition';
        SELECT province, version, disposition INTO v_province, v_version, v_value
        FROM flag_dispositions WHERE id = v_id;
    ELSE
        PERFORM wb_refuse('WB422', '未知的操作 ' || coalesce(p_action, ''),
                          'unknown action ' || coalesce(p_action, ''));
    END IF;
    IF v_version IS NULL THEN
        PERFORM wb_refuse('WB422', '没有该记录，不能记日志', 'no such record to log an entry for');
    END IF;
    PERFORM wb_check_may_write(v_province);
    IF NOT wb_written_here(v_table, v_id) THEN
        PERFORM wb_refuse('WB422', '日志条目须与所记录的修改在同一事务中写入',
                          'an audit entry must be written in the transaction that changed '
                          'the record');
    END IF;
    IF v_after IS NULL OR v_after ->> 'id' IS DISTINCT FROM v_id
            OR (v_after ->> 'version')::int IS DISTINCT FROM v_version
            OR v_after ->> v_key IS DISTINCT FROM v_value
            OR v_after ->> 'updated_by' IS DISTINCT FROM session_user::text THEN
        PERFORM wb_refuse('WB422', '日志内容与记录当前状态不符',
                          'the entry does not describe the record as stored');
    END IF;
    IF wb_logged(v_table, v_id, v_version) THEN
        PERFORM wb_refuse('WB422', '该版本已有日志条目', 'this version is already logged');
    END IF;
    RETURN QUERY SELECT * FROM wb_chain_append(p_action, p_finding_id, p_payload,
                                               p_fingerprint, p_check_version);
END $$;

CREATE OR REPLACE FUNCTION wb_logged(p_table text, p_id text, p_version integer)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
    SELECT CASE p_table
        WHEN 'findings' THEN EXISTS (SELECT 1 FROM audit_log a WHERE a.finding_id = p_id
            AND (a.payload::jsonb #>> '{{after,version}}')::int = p_version)
        ELSE EXISTS (SELECT 1 FROM audit_log a
            WHERE (a.payload::jsonb ->> 'disposition_id') = p_id
            AND (a.payload::jsonb #>> '{{after,version}}')::int = p_version)
    END
$$;

CREATE OR REPLACE FUNCTION wb_findings_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    v_rectifier text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM wb_check_enterprise(NEW.enterprise_id, NEW.province);
        IF NEW.version <> 1 OR NEW.status <> 'open' THEN
            PERFORM wb_refuse('WB422', '新问题须为待处理、版本 1',
                              'a new finding must be open at version 1');
        END IF;
        NEW.created_by := session_user;
        NEW.created_at := now();
    ELSE
        IF NEW.id <> OLD.id OR NEW.enterprise_id <> OLD.enterprise_id
                OR NEW.province <> OLD.province OR NEW.created_by <> OLD.created_by
                OR NEW.created_at <> OLD.created_at
                OR NEW.dataset_fingerprint IS DISTINCT FROM OLD.dataset_fingerprint THEN
            PERFORM wb_refuse('WB422', '问题的编号、企业、省份和创建信息不可修改',
                'the id, enterprise, province and creation of a finding cannot change');
        END IF;
        PERFORM wb_check_change(OLD.province, OLD.version, NEW.version, '问题', 'finding');
        IF OLD.status IN ({_literals(sorted(FINAL_STATUSES))}) THEN
            PERFORM wb_refuse('WB422', '问题已是最终状态，不能再修改',
                              'the finding is final; it can no longer be changed');
        END IF;
        IF NEW.status <> OLD.status THEN
            IF (OLD.status, NEW.status) NOT IN ({_moves()}) THEN
                PERFORM wb_refuse('WB422', '不允许的状态变更 ' || OLD.status || ' → '
                    || NEW.status, 'cannot go from ' || OLD.status || ' to ' || NEW.status);
            END IF;
            IF NEW.status IN ('closed', 'dismissed')
                    AND coalesce(btrim(NEW.status_reason), '') = '' THEN
                PERFORM wb_refuse('WB422', '关闭或撤销需要说明原因',
                                  'closing or dismissing needs a reason');
            END IF;
            IF NEW.status = 'rectified' AND (coalesce(btrim(NEW.rectification_ref), '') = ''
                    OR NEW.rectification_date IS NULL) THEN
                PERFORM wb_refuse('WB422', '标记已整改需要整改证明文件编号和日期',
                    'marking a finding rectified needs the rectification document and date');
            END IF;
            IF NEW.status = 'closed' AND (SELECT four_eyes_close FROM wb_policy WHERE id = 1)
            THEN
                SELECT a.actor INTO v_rectifier FROM audit_log a
                WHERE a.finding_id = OLD.id AND a.action = 'transition'
                  AND a.payload::jsonb #>> '{{after,status}}' = 'rectified'
                ORDER BY a.seq DESC LIMIT 1;
                IF v_rectifier = session_user::text THEN
                    PERFORM wb_refuse('WB403',
                        session_user || ' 标记了整改完成，须由另一位审核人关闭（四眼原则）',
                        session_user || ' marked the finding rectified; another reviewer '
                        'must close it (four eyes)');
                END IF;
            END IF;
        END IF;
    END IF;
    NEW.updated_by := session_user;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION wb_require_logged() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    v_version integer;
BEGIN
    IF TG_TABLE_NAME = 'findings' THEN
        SELECT version INTO v_version FROM findings WHERE id = NEW.id;
    ELSE
        SELECT version INTO v_version FROM flag_dispositions WHERE id = NEW.id;
    END IF;
    IF NOT wb_logged(TG_TABLE_NAME, NEW.id, v_version) THEN
        PERFORM wb_refuse('WB422',
            '记录 ' || NEW.id || ' 的修改没有审计日志条目，已拒绝',
            TG_TABLE_NAME || ' row ' || NEW.id || ' was changed without its audit entry; '
            'refused');
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION wb_dispositions_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    v_enterprise text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM wb_check_enterprise(NEW.enterprise_id, NEW.province);
        IF NEW.version <> 1 THEN
            PERFORM wb_refuse('WB422', '新的预警处理须为版本 1',
                              'a new flag disposition must be at version 1');
        END IF;
        NEW.created_by := session_user;
        NEW.created_at := now();
    ELSE
        IF (NEW.id, NEW.flag_key, NEW.enterprise_id, NEW.province, NEW.check_id,
            NEW.created_by, NEW.created_at)
                IS DISTINCT FROM (OLD.id, OLD.flag_key, OLD.enterprise_id, OLD.province,
                                  OLD.check_id, OLD.created_by, OLD.created_at)
                OR (NEW.unit_id, NEW.period, NEW.parameter_code, NEW.dataset_fingerprint)
                IS DISTINCT FROM (OLD.unit_id, OLD.period, OLD.parameter_code,
                                  OLD.dataset_fingerprint) THEN
            PERFORM wb_refuse('WB422', '预警处理所指的预警和创建信息不可修改',
                'the flag a disposition is about and its creation cannot change');
        END IF;
        PERFORM wb_check_change(OLD.province, OLD.version, NEW.version, '预警处理',
                                'flag disposition');
    END IF;
    IF NEW.disposition NOT IN ({_literals(DISPOSITIONS)}) THEN
        PERFORM wb_refuse('WB422', '未知的处理结论 ' || NEW.disposition,
                          'unknown disposition ' || NEW.disposition);
    END IF;
    IF NEW.disposition IN ({_literals(sorted(NOTE_REQUIRED))})
            AND coalesce(btrim(NEW.note), '') = '' THEN
        PERFORM wb_refuse('WB422', '该处理结论需要说明', 'this disposition needs a note');
    END IF;
    IF (NEW.disposition = 'linked') <> (NEW.finding_id IS NOT NULL) THEN
        PERFORM wb_refuse('WB422', '“已关联问题”须且只有它须指明问题',
                          'a linked disposition, and only that, names a finding');
    END IF;
    IF NEW.finding_id IS NOT NULL THEN
        SELECT enterprise_id INTO v_enterprise FROM findings WHERE id = NEW.finding_id;
        IF v_enterprise IS DISTINCT FROM NEW.enterprise_id THEN
            PERFORM wb_refuse('WB422', '关联的问题属于另一家企业',
                              'the linked finding belongs to another enterprise');
        END IF;
    END IF;
    NEW.updated_by := session_user;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION wb_flags_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    v_id text := CASE WHEN TG_OP = 'DELETE' THEN OLD.finding_id ELSE NEW.finding_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM findings WHERE id = v_id)
            AND NOT wb_written_here('findings', v_id) THEN
        PERFORM wb_refuse('WB422', '证据预警只能随问题一起修改',
                          'evidence flags can change only together with their finding');
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS wb_findings_guard ON findings;
CREATE TRIGGER wb_findings_guard BEFORE INSERT OR UPDATE ON findings
    FOR EACH ROW EXECUTE FUNCTION wb_findings_guard();
DROP TRIGGER IF EXISTS wb_require_logged ON findings;
CREATE CONSTRAINT TRIGGER wb_require_logged AFTER INSERT OR UPDATE ON findings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wb_require_logged();
DROP TRIGGER IF EXISTS wb_dispositions_guard ON flag_dispositions;
CREATE TRIGGER wb_dispositions_guard BEFORE INSERT OR UPDATE ON flag_dispositions
    FOR EACH ROW EXECUTE FUNCTION wb_dispositions_guard();
DROP TRIGGER IF EXISTS wb_require_logged ON flag_dispositions;
CREATE CONSTRAINT TRIGGER wb_require_logged AFTER INSERT OR UPDATE ON flag_dispositions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wb_require_logged();
CREATE INDEX IF NOT EXISTS wb_audit_disposition ON audit_log
    ((payload::jsonb ->> 'disposition_id'));
DROP TRIGGER IF EXISTS wb_flags_guard ON finding_flags;
CREATE CONSTRAINT TRIGGER wb_flags_guard AFTER INSERT OR UPDATE OR DELETE ON finding_flags
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wb_flags_guard();
"""  # noqa: S608 - the module's own constants and the quoted schema name


def grants_sql() -> str:
    """Privileges and row-level security (re-applied on every ``db init``)."""
    store = ", ".join(STORE_TABLES)
    master = ", ".join(MASTER_TABLES)
    groups = f"{REVIEWER_GROUP}, {SUPERVISOR_GROUP}"
    funcs = ("wb_refuse(text, text, text)", "wb_may_write(text)",
             "wb_written_here(text, text)", "wb_check_enterprise(text, text)",
             "wb_check_may_write(text)", "wb_logged(text, text, integer)",
             "wb_check_change(text, integer, integer, text, text)",
             "wb_chain_append(text, text, text, text, text)", "wb_lock_head()",
             "wb_append(text, text, text, text, text)", "wb_findings_guard()",
             "wb_require_logged()", "wb_flags_guard()", "wb_dispositions_guard()")
    revoke = "\n".join(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC;" for f in funcs)
    return f"""
REVOKE ALL ON {store}, {master} FROM PUBLIC;
REVOKE ALL ON {store}, {master} FROM {groups};
{revoke}
GRANT SELECT ON {store}, {master} TO {groups};
GRANT INSERT ON findings TO {REVIEWER_GROUP};
GRANT UPDATE ({", ".join(UPDATABLE_COLUMNS)}) ON findings TO {REVIEWER_GROUP};
GRANT INSERT, DELETE ON finding_flags TO {REVIEWER_GROUP};
GRANT INSERT ON flag_dispositions TO {REVIEWER_GROUP};
GRANT UPDATE ({", ".join(DISPOSITION_COLUMNS)}) ON flag_dispositions TO {REVIEWER_GROUP};
GRANT EXECUTE ON FUNCTION wb_append(text, text, text, text, text), wb_lock_head(),
    wb_may_write(text), wb_written_here(text, text), wb_refuse(text, text, text),
    wb_check_enterprise(text, text), wb_check_may_write(text), wb_logged(text, text, integer)
    TO {REVIEWER_GROUP};
ALTER TABLE findings ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON findings;
CREATE POLICY wb_read ON findings FOR SELECT USING (true);
DROP POLICY IF EXISTS wb_insert ON findings;
CREATE POLICY wb_insert ON findings FOR INSERT TO {REVIEWER_GROUP}
    WITH CHECK (wb_may_write(province) AND province =
                (SELECT e.province FROM wb_enterprises e
                 WHERE e.enterprise_id = findings.enterprise_id));
DROP POLICY IF EXISTS wb_update ON findings;
CREATE POLICY wb_update ON findings FOR UPDATE TO {REVIEWER_GROUP}
    USING (wb_may_write(province)) WITH CHECK (wb_may_write(province));
ALTER TABLE flag_dispositions ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON flag_dispositions;
CREATE POLICY wb_read ON flag_dispositions FOR SELECT USING (true);
DROP POLICY IF EXISTS wb_insert ON flag_dispositions;
CREATE POLICY wb_insert ON flag_dispositions FOR INSERT TO {REVIEWER_GROUP}
    WITH CHECK (wb_may_write(province) AND province = (SELECT e.province FROM wb_enterprises e
                WHERE e.enterprise_id = flag_dispositions.enterprise_id));
DROP POLICY IF EXISTS wb_update ON flag_dispositions;
CREATE POLICY wb_update ON flag_dispositions FOR UPDATE TO {REVIEWER_GROUP}
    USING (wb_may_write(province)) WITH CHECK (wb_may_write(province));
ALTER TABLE finding_flags ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON finding_flags;
CREATE POLICY wb_read ON finding_flags FOR SELECT USING (true);
DROP POLICY IF EXISTS wb_write ON finding_flags;
CREATE POLICY wb_write ON finding_flags FOR ALL TO {REVIEWER_GROUP}
    USING (EXISTS (SELECT 1 FROM findings f WHERE f.id = finding_id
                   AND wb_may_write(f.province)))
    WITH CHECK (EXISTS (SELECT 1 FROM findings f WHERE f.id = finding_id
                        AND wb_may_write(f.province)));
"""  # noqa: S608 - the module's own constants


def install(conn: sa.Connection, four_eyes_close: bool) -> list[str]:
    """Create the group roles (when missing), the master-data tables, the functions,
    triggers, privileges and policies on ``conn`` (inside the admin's transaction), and
    register the connected role as an admin.

    On the first install over a store already in use, the actors its log names are
    registered as ``legacy`` members (their entries were attributed by the workbench,
    not the database) and returned, so the admin's ``db_init`` entry lists them."""
    first = not is_installed(conn)
    for group in (REVIEWER_GROUP, SUPERVISOR_GROUP):
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": group}).first()
        if not exists:
            run_script(conn, f"CREATE ROLE {group} NOLOGIN")
    schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    database = conn.execute(sa.text("SELECT current_database()")).scalar_one()
    run_script(conn, TABLES_SQL)
    run_script(conn, functions_sql(_quote_ident(schema)))
    run_script(conn, grants_sql())
    run_script(conn, f"REVOKE CONNECT, TEMPORARY ON DATABASE {_quote_ident(database)} FROM "
                     f"PUBLIC; GRANT CONNECT ON DATABASE {_quote_ident(database)} TO "
                     f"{REVIEWER_GROUP}, {SUPERVISOR_GROUP}; GRANT USAGE ON SCHEMA "
                     f"{_quote_ident(schema)} TO {REVIEWER_GROUP}, {SUPERVISOR_GROUP}")
    conn.execute(sa.text(
        "INSERT INTO wb_policy (id, four_eyes_close) VALUES (1, :v) "
        "ON CONFLICT (id) DO UPDATE SET four_eyes_close = EXCLUDED.four_eyes_close"),
        {"v": four_eyes_close})
    conn.execute(sa.text(
        "INSERT INTO wb_members (role_name, kind) VALUES (session_user, 'admin') "
        "ON CONFLICT (role_name) DO NOTHING"))
    if not first:
        return []
    legacy = list(conn.execute(sa.text(
        "INSERT INTO wb_members (role_name, kind, active) SELECT DISTINCT actor, 'legacy', "
        "false FROM audit_log ON CONFLICT (role_name) DO NOTHING RETURNING role_name"))
        .scalars())
    return sorted(legacy)


def run_script(conn: sa.Connection, script: str) -> None:
    """Run ``script`` (several statements, no parameters) in ``conn``'s transaction, through
    the driver as written (no placeholder parsing: the SQL uses ``%``)."""
    conn.connection.driver_connection.execute(script)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_installed(conn: sa.Connection) -> bool:
    """Whether ``conn``'s database carries this layer (``db init`` ran on it)."""
    return conn.dialect.name == "postgresql" and conn.execute(
        sa.text("SELECT to_regclass('wb_members') IS NOT NULL")).scalar_one()
