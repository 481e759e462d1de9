#!/usr/bin/env bash
# Install what the tests need (into .venv, plus Debian's chromium for the browser tests) and run the whole suite:
# lint, format check, unit, AppTest and browser tests.
set -euo pipefail
. "$(dirname "$0")/venv.sh" requirements-test.txt
if [ ! -x "${GTM_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
ruff check .
ruff format --check .
exec python -m pytest -n 2 "$@"
