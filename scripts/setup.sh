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
  extras="[dev,distributed]"
fi
"$PY" -m pip install --disable-pip-version-check -q -e ".${extras}"
