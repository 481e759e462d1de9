#!/usr/bin/env bash
# Install what the tests need (into .venv, plus Debian's chromium for the browser tests, postgresql and a Java 17
# runtime for the engine tests) and run the whole suite: lint, format check, unit, engine, AppTest and browser
# tests. The engine tests start their own throwaway PostgreSQL server (a temporary folder, a Unix socket, stopped
# when they end) and a Spark session in local mode.
set -euo pipefail
. "$(dirname "$0")/venv.sh" requirements-test.txt
missing=()
[ -x "${GTM_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
ruff check .
ruff format --check .
exec python -m pytest -n 2 "$@"
