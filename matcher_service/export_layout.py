"""What a model folder's ONNX export looks like: read by serving, written by
``build.onnx_export``."""

from __future__ import annotations

import json
from pathlib import Path

EXPORT_DIR = "onnx"
META_FILE = "export.json"
# 2: adds tokenizer.model and the .data weight files. 3: int8 weights in 7 bits
# (``reduce_range``), see ``build.onnx_export._quantize``. An older export still
# serves; `export-onnx` (and the setup, and the tests' model fixture) replaces it.
EXPORT_FORMAT = 3


def has_export(model_dir: Path, *, current: bool = False) -> bool:
    """Whether the folder has an export to serve (``current``: of today's format)."""
    meta = Path(model_dir) / EXPORT_DIR / META_FILE
    if not meta.is_file():
        return False
    return not current or json.loads(meta.read_text()).get("format", 1) >= EXPORT_FORMAT
