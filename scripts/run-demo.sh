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

# The matcher service: records and vectors in .data/matcher, the model built by setup.sh.
$PY -m matcher_service serve --host 127.0.0.1 --port 8765 \
    --data-dir .data/matcher --model "$MATCHER_MODEL" &
pids+=($!)
$PY - <<'PY'
import sys, time, httpx
for _ in range(240):
    try:
        if httpx.get("http://127.0.0.1:8765/v1/health", timeout=1).status_code == 200:
            sys.exit(0)
    except httpx.HTTPError:
        pass
    time.sleep(0.5)
sys.exit("The matcher did not start within 2 minutes; see its log above.")
PY

# Loading the demo data wrote every publish to the index outbox; bring the index in
# line with what is live (also after the matcher's data folder was removed), then
# keep the worker draining the outbox while people edit.
$PY manage.py matcher_status --repair
$PY manage.py matcher_sync &
pids+=($!)

cat <<MSG

  Biblio Monitor runs at http://127.0.0.1:8000/
  Admin:        http://127.0.0.1:8000/admin/
  Logins:       admin (superuser); per library redacteur-<slug> (editor),
                goedkeurder-<slug> (approver), auditor-<slug> (auditor);
                password biblio-demo for all (the list is printed above).
  Matcher:      http://127.0.0.1:8765/v1/health

MSG
$PY manage.py runserver 127.0.0.1:8000 --noreload
