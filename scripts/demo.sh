#!/usr/bin/env bash
# Sets up Compagnon and runs it on a throwaway local homeserver (see: compagnon demo --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/compagnon demo "$@"
