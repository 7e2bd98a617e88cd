# Everyday commands. Each is a thin name for a script or tool in .venv/
# (made by `make setup`); the README's two commands stay the way in.
.PHONY: setup demo test test-pg lint format check bench-matcher messages help

setup:          ## install everything into .venv/ and build the model (idempotent)
	./scripts/setup.sh

demo:           ## CMS + matcher + worker on SQLite with demo data
	./scripts/run-demo.sh

test:           ## the whole suite, as CI runs it (PostgreSQL, browser, SQLite)
	./scripts/test.sh

test-pg:        ## only pytest on PostgreSQL, e.g. make test-pg ARGS="tests/bm_pages -k plan"
	./scripts/test.sh $(ARGS)

lint:           ## what the test script checks before pytest
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy

format:         ## rewrite files to the house format
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check:          ## Django's system checks and missing migrations
	DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python manage.py makemigrations --check --dry-run

bench-matcher:  ## the matcher's quality and speed figures (bench/matcher.py)
	.venv/bin/python bench/matcher.py --torch-reference

messages:       ## Dutch translations: collect new strings, then compile
	cd bm_pages && ../.venv/bin/python ../manage.py makemessages -l nl
	cd bm_matching && ../.venv/bin/python ../manage.py makemessages -l nl
	.venv/bin/python manage.py compilemessages

help:
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/\t/'
