#!/usr/bin/env bash
# The whole test suite: lint, types, and every test layer: fast, end-to-end against a real
# Synapse on 127.0.0.1, and interop with matrix-js-sdk members (tests/interop, installed
# by setup.sh with npm ci). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
