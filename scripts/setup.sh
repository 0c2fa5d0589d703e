#!/usr/bin/env bash
# Install the workbench and what it needs.
#   bash scripts/setup.sh        the workbench itself (JupyterLab, Voila, analysis stack)
#   bash scripts/setup.sh test   plus test tools and the optional parts the tests exercise
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1))" >&2
  exit 1
fi

extras=""
if [ "${1:-}" = "test" ]; then
  extras="[dev,distributed,postgres]"
  # Debian packages the tests drive: a real PostgreSQL server (findings store), Chromium
  # (dashboard browser tests, PDF exports; Playwright's own browser download is not used)
  # and a CJK font so Chinese text renders in screenshots and PDFs.
  need=()
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
  command -v chromium >/dev/null || need+=(chromium)
  { command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .; } || need+=(fonts-wqy-zenhei)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/dev/null 2>&1 ||
      echo "could not install ${need[*]}: the tests that need them will be skipped" >&2
  fi
fi
"$PY" -m pip install --disable-pip-version-check -q -e ".${extras}"
# the smaller plotly.js case reports carry (1.5 MB instead of 4.8 MB; from the npm registry,
# integrity checked); without it a report carries the full bundle
"$PY" -m workbench.plotly_bundle install >/dev/null ||
  echo "could not fetch plotly.js's cartesian bundle: case reports carry the full one" >&2
