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
# matrix-js-sdk for the interop tests, again only when its lock file changed. Without npm
# the demo still runs; the interop tests then fail and say why (they never skip).
interop=tests/interop
if ! command -v npm >/dev/null; then
  echo "setup: npm not found; tests/interop needs Node.js 20 or newer" >&2
elif [ ! -f $interop/node_modules/.installed ] \
  || [ $interop/package-lock.json -nt $interop/node_modules/.installed ]; then
  npm ci --prefix $interop --no-audit --no-fund --loglevel=error
  touch $interop/node_modules/.installed
fi
