#!/usr/bin/env bash
# Install what the app needs (into .venv) and serve it on the bundled sample company: http://localhost:8501
set -euo pipefail
. "$(dirname "$0")/venv.sh" requirements.txt
exec python -m streamlit run app.py "$@"
