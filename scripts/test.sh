#!/usr/bin/env bash
# The whole test suite: lint, types, and every test layer, end-to-end against a real
# Synapse on 127.0.0.1 included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
