#!/usr/bin/env bash
# Set up and run the whole of Biblio Monitor on SQLite with demo data:
# the CMS at http://127.0.0.1:8000, the matcher service and the index worker.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

export DJANGO_SETTINGS_MODULE=cms.settings.dev
export MATCHER_URL=${MATCHER_URL:-http://127.0.0.1:8765}
export MATCHER_API_TOKEN=${MATCHER_API_TOKEN:-dev-matcher-token}
export MATCHER_MODEL=${MATCHER_MODEL:-$PWD/.data/models/multilingual-e5-small}
PY=.venv/bin/python

$PY manage.py migrate --no-input
$PY manage.py load_demo_data

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -f matcher_service/__main__.py ]; then
    $PY -m matcher_service serve --host 127.0.0.1 --port 8765 \
        --data-dir .data/matcher --model "$MATCHER_MODEL" &
    pids+=($!)
fi
if [ -f bm_matching/management/commands/matcher_sync.py ]; then
    $PY manage.py matcher_sync &
    pids+=($!)
fi

cat <<MSG

  Biblio Monitor runs at http://127.0.0.1:8000/
  Admin:        http://127.0.0.1:8000/admin/
  Demo logins:  see the output of load_demo_data above (password: biblio-demo)

MSG
$PY manage.py runserver 127.0.0.1:8000 --noreload
