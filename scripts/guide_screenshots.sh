#!/usr/bin/env bash
# Renew the screenshots of the Dutch guide (Help > Handleiding): the browser test
# tests/e2e/test_guide_screenshots_browser.py walks the main flows in the real admin
# with builders' data and writes one PNG per flow (< 150 KB each) into
# bm_pages/static/bm_pages/guide/. Needs PostgreSQL as for scripts/test.sh, or pass
# DATABASE_URL=sqlite:///... to use SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/biblio_monitor}}
export BM_GUIDE_SCREENSHOTS=$PWD/bm_pages/static/bm_pages/guide
.venv/bin/pytest tests/e2e/test_guide_screenshots_browser.py -q "$@"
ls -l "$BM_GUIDE_SCREENSHOTS"
