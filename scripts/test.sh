#!/usr/bin/env bash
# Run the whole test suite: checks, then pytest on PostgreSQL (the production database),
# then the database-sensitive CMS tests again on SQLite (the zero-setup default).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/biblio_monitor}
export MATCHER_MODEL=${MATCHER_MODEL:-$PWD/.data/models/multilingual-e5-small}
mkdir -p test-artifacts

echo "== manage.py check / makemigrations --check"
DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python manage.py check
DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python manage.py makemigrations --check --dry-run

echo "== ruff check / ruff format --check"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== import contracts (pyproject.toml [tool.importlinter])"
.venv/bin/lint-imports

echo "== mypy (strict for matcher_service)"
.venv/bin/mypy

if [ $# -gt 0 ]; then
    # Arguments given: run just those, on PostgreSQL.
    DATABASE_URL=$PG_URL .venv/bin/pytest "$@"
    exit
fi

# On both cores (pytest-xdist; each worker has a test database of its own): about 12
# minutes instead of 18 on the 2-core CI machine.
echo "== pytest on PostgreSQL"
DATABASE_URL=$PG_URL .venv/bin/pytest --ignore=tests/e2e -n 2

# The browser tests run in a session of their own: after the threaded worker tests'
# transactional flushes, pytest-django's serialized rollback did not bring back the
# migrations' seed data for every later live-server test.
echo "== browser tests (Playwright + Debian chromium) on PostgreSQL"
DATABASE_URL=$PG_URL .venv/bin/pytest tests/e2e

# bm_pages' own tests once more, on SQLite and in a bare Wagtail site (tests/testapp:
# no cms host, no bm_matching, no REST_FRAMEWORK settings): the plugin installs alone.
echo "== pytest on SQLite: bm_pages in the bare test host, then the host"
mkdir -p .data
DATABASE_URL=sqlite:///$PWD/.data/test.sqlite3 .venv/bin/pytest --ds tests.testapp.settings tests/bm_pages -q
DATABASE_URL=sqlite:///$PWD/.data/test.sqlite3 .venv/bin/pytest tests/host -q
