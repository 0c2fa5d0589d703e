#!/usr/bin/env bash
# Install the multi-user workbench on this host (run as root from a source checkout):
#   - configurable-http-proxy (npm), PostgreSQL client libraries come with psycopg
#   - the source under $WB_PREFIX/src (world-readable: every user's server imports it)
#   - a venv made with Debian's own python3 under $WB_PREFIX/venv (root's pyenv Python is
#     unreadable to other users) holding the workbench and JupyterHub
#   - the OS groups workbench-reviewers / workbench-supervisors and the dashboard user
#   - config files under $WB_PREFIX/etc naming the findings database, if absent
# Idempotent: run it again after pulling a new version.  The database itself is set up
# with `workbench db init|add-reviewer|add-supervisor|load-enterprises` (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${WB_PREFIX:-/opt/carbon-audit-workbench}
DB_URL=${WB_DATABASE_URL:-postgresql:///findings?host=/var/run/postgresql}
DASHBOARD_USER=${WB_DASHBOARD_USER:-wbdash}
PY=/usr/bin/python3

if [ "$(id -u)" -ne 0 ]; then
  echo "run as root: the Hub starts each user's server as that user" >&2
  exit 1
fi
need=()
command -v npm >/dev/null || need+=(npm)
"$PY" -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v configurable-http-proxy >/dev/null || npm install -g --silent configurable-http-proxy

umask 022
mkdir -p "$PREFIX/src" "$PREFIX/etc" "$PREFIX/data"
# the tracked source (no .git, no local runs), world-readable
tar --exclude=.git --exclude=runs --exclude=test-artifacts --exclude='*.pyc' \
    --exclude=.screen -cf - pyproject.toml README.md workbench widgets notebooks deploy \
    data_samples | tar -xf - -C "$PREFIX/src"
[ -x "$PREFIX/venv/bin/python" ] || "$PY" -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/pip" install --disable-pip-version-check -q \
  -e "$PREFIX/src[postgres]" "jupyterhub>=5.2,<6"
chmod -R a+rX "$PREFIX"

getent group workbench-reviewers >/dev/null || groupadd workbench-reviewers
getent group workbench-supervisors >/dev/null || groupadd workbench-supervisors
id "$DASHBOARD_USER" >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin \
  "$DASHBOARD_USER"

[ -f "$PREFIX/etc/workbench.toml" ] || cat > "$PREFIX/etc/workbench.toml" <<TOML
# Reviewers' config (WORKBENCH_CONFIG of their servers).  The database decides who may
# write: each reviewer connects as their own role by peer authentication.
[general]
database_url = "$DB_URL"
TOML
[ -f "$PREFIX/etc/dashboard.toml" ] || cat > "$PREFIX/etc/dashboard.toml" <<TOML
# The dashboard service's config: read-only, as the supervisor role $DASHBOARD_USER.
[general]
database_url = "$DB_URL"
mode = "readonly"
TOML
echo "installed in $PREFIX; hub: $PREFIX/venv/bin/jupyterhub -f $PREFIX/src/deploy/jupyterhub_config.py"
