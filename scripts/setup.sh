#!/usr/bin/env bash
# Creates .venv with Compagnon and its dev tools (Synapse included); re-runs pip only when
# pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet --editable '.[dev]'
  touch .venv/.installed
fi
# matrix-js-sdk for the interop tests (tests/interop, run by the test command with the
# rest), again only when its lock file changed. Without npm the demo still runs and the
# interop tests fail, saying why (they never skip); under CI=true setup stops here.
interop=tests/interop
if ! command -v npm >/dev/null; then
  echo "setup: npm not found; tests/interop needs Node.js 20 or newer" >&2
  if [ "${CI:-}" = true ]; then exit 1; fi
elif [ ! -f $interop/node_modules/.installed ] \
  || [ $interop/package-lock.json -nt $interop/node_modules/.installed ]; then
  npm ci --prefix $interop --no-audit --no-fund --loglevel=error
  touch $interop/node_modules/.installed
fi
