"""The ONNX export of a sentence-transformers model folder, for serving without torch.

``export_onnx(model_dir)`` writes ``<model_dir>/onnx/``:

- ``model.onnx``: the encoder with mean pooling and L2 normalisation inside the graph
  (inputs ``input_ids``, ``attention_mask``; output ``sentence_embedding``), float32;
- ``model_qint8.onnx``: the same graph with int8 weights (dynamic quantization, per
  channel) for queries, but for the feed-forward down-projections, which stay float:
  that keeps every text's cosine above 0.99 (quantizing them too gave 0.989);
- ``model_emb8.onnx``: float32 layers over an int8 word-embedding table, for documents
  (same ranking as float32 at 40% of the memory; see bench/matcher.py);
- the two served graphs keep their weights in ``<graph>.data`` beside them, which
  onnxruntime maps into memory (``_weights_apart``);
- ``tokenizer.json``: the model's own fast tokenizer, for the ``tokenizers`` package;
- ``tokenizer.model``: the same tokenizer as a SentencePiece model (a fifth of the
  memory; see ``onnx_tokenizer``), written only if it gives ``tokenizer.json``'s ids on
  the check texts and ``tokenizer_check_texts()``;
- ``export.json``: which file serves queries and which documents, the prompts, the
  maximum length, the pad id, and the agreement figures.

Exported with ``torch.onnx.export(dynamo=False)`` (the TorchScript exporter): it needs
nothing beyond torch, while the dynamo exporter needs ``onnxscript`` and
sentence-transformers' own ONNX backend needs ``optimum-onnx``, which pins transformers
below what sentence-transformers 6 needs. Every variant is compared with
sentence-transformers on a fixed text set (queries and passages, Dutch and English)
before the folder is written; a variant below ``min_cosine`` on any text refuses the
export and leaves the model folder as it was. Needs torch, sentence-transformers, onnx
and onnxruntime: a build-time step, reused by whatever writes a model folder.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..export_layout import EXPORT_DIR, EXPORT_FORMAT, META_FILE, has_export
from ..onnx_embedder import OnnxEmbedder
from ..onnx_tokenizer import JSON_FILE, SPM_FILE
from .sample_texts import dutch_sentences, synthetic_projects
from .spm_convert import write_sentencepiece

__all__ = ["EXPORT_DIR", "ExportError", "check_texts", "export_onnx", "has_export"]

logger = logging.getLogger(__name__)

FP32_FILE = "model.onnx"
QINT8_FILE = "model_qint8.onnx"
EMB8_FILE = "model_emb8.onnx"
# Chosen by measurement (bench/matcher.py, export.json's figures): see the module doc.
QUERY_VARIANT = QINT8_FILE
DOCUMENT_VARIANT = EMB8_FILE
OPSET = 17


class ExportError(RuntimeError):
    """The export could not be made or disagrees with sentence-transformers."""


def check_texts() -> list[str]:
    """The fixed agreement set: Dutch project texts, English and misspelt queries,
    very short and long texts (truncation at the model's maximum length)."""
    texts = dutch_sentences(40, seed=7)
    texts += [f"{p['title']}\n{p['summary']}" for p in synthetic_projects(20, seed=5)]
    texts += [
        "reading promotion for babies and their parents",
        "teaching older people to use the internet",
        "digitaal spreekur voor senoiren",
        "bieb",
        "Taalcafé",
        " ".join(dutch_sentences(40, seed=3)),  # far over 512 tokens
    ]
    return texts


def tokenizer_check_texts() -> list[str]:
    """What the SentencePiece conversion must tokenize like ``tokenizer.json``: the
    agreement set and every sample text, with odd spacing, typography and specials."""
    texts = check_texts() + dutch_sentences(400, seed=11)
    texts += [f"{p['title']}. {p['summary']}" for p in synthetic_projects(300, seed=13)]
    texts += [
        "",
        "  dubbele  spaties\tand tabs\n nieuwe regel ",
        "Ünïcödé façade – “aanhalingstekens” en ‘enkele’ ... ½ €7.800,-",
        "ﬁets ＦＵＬＬ width ① ² \u00a0 \u200b",
        "emoji 📚 boek, 中文 العربية русский ελληνικά",
        "<s> <mask> </s> tekst met speciale tekens",
        "x" * 3000,
    ]
    return texts


def _wrapper(model: Any) -> Any:
    import torch

    transformer = model[0]
    pooling = model[1]
    if getattr(pooling, "pooling_mode", "mean") not in ("mean", None) and not getattr(
        pooling, "pooling_mode_mean_tokens", True
    ):
        raise ExportError("only mean pooling is exported")
    hf = transformer.auto_model

    class MeanPooledEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.hf = hf

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            tokens = self.hf(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return MeanPooledEncoder().eval()


def _export_fp32(model: Any, path: Path) -> None:
    import torch

    wrapper = _wrapper(model)
    ids = torch.tensor([[0, 1000, 2000, 2], [0, 5, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            (ids, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )


def _quantize(src: Path, dst: Path, *, embeddings_only: bool) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    shapes = {init.name: tuple(init.dims) for init in graph.initializer}
    # The feed-forward down-projections (weight rows > columns) read GELU outputs with
    # large outliers that per-tensor activation quantization crushes: quantizing them
    # too gave a minimum cosine of 0.989, keeping them float 0.996.
    keep_float = [
        node.name
        for node in graph.node
        if node.op_type == "MatMul"
        and any(
            len(shapes.get(i, ())) == 2 and shapes[i][0] > shapes[i][1]
            for i in node.input
        )
    ]
    # Weights in 7 bits (``reduce_range``): on a CPU without VNNI (this AMD EPYC, for
    # one) onnxruntime's u8s8 int8 kernels saturate with 8-bit weights, and the query
    # graph's minimum cosine fell to 0.9961 and the devset's typo nDCG@10 to 0.014
    # below torch's; with 7 bits 0.9984 and within 0.01, and VNNI CPUs lose nothing
    # that the agreement check can see.
    # The quantizer logs every tensor it skips on the root logger.
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))
    try:
        quantize_dynamic(
            str(src),
            str(dst),
            per_channel=True,
            reduce_range=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["Gather"]
            if embeddings_only
            else ["MatMul", "Gather"],
            nodes_to_exclude=keep_float,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)


def _weights_apart(path: Path) -> None:
    """Move the graph's large weights into ``<file>.data`` next to it.

    onnxruntime maps such a file into memory instead of copying the weights into its
    own buffers: a serving session then holds 80-127 MB instead of 184-243 MB (only the
    rows of the word-embedding table that texts use are ever read), and loads in half
    the time.
    """
    import onnx

    model = onnx.load(str(path))
    onnx.save_model(
        model,
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=f"{path.name}.data",
        size_threshold=1024 * 1024,
    )
    # onnx writes it 0600; a service running as another user must read it.
    Path(f"{path}.data").chmod(0o644)


def _pad_id(tokenizer_json: Path) -> int:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_json))
    for token in ("<pad>", "[PAD]"):
        pad = tok.token_to_id(token)
        if pad is not None:
            return int(pad)
    return 0


def export_onnx(model_dir: Path, *, min_cosine: float = 0.99) -> dict[str, object]:
    """Write (or replace) ``<model_dir>/onnx/`` after checking it agrees with the model.

    :param model_dir: a sentence-transformers folder (mean pooling, normalised).
    :param min_cosine: the lowest per-text cosine accepted, for every variant.
    :returns: the contents of ``export.json``.
    :raises ExportError: if a variant disagrees; the folder is then left untouched.
    """
    from sentence_transformers import SentenceTransformer

    model_dir = Path(model_dir).resolve()
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    model.eval()
    prompts = model.prompts or {}
    staging = Path(tempfile.mkdtemp(prefix=".onnx-", dir=model_dir))
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the export from a service user
    try:
        logger.info("exporting %s to ONNX", model_dir.name)
        _export_fp32(model, staging / FP32_FILE)
        _quantize(staging / FP32_FILE, staging / QINT8_FILE, embeddings_only=False)
        _quantize(staging / FP32_FILE, staging / EMB8_FILE, embeddings_only=True)
        for served in (QINT8_FILE, EMB8_FILE):
            _weights_apart(staging / served)
        model.tokenizer.backend_tokenizer.save(str(staging / JSON_FILE))
        sentencepiece = write_sentencepiece(
            staging / JSON_FILE,
            staging / SPM_FILE,
            tokenizer_check_texts(),
            max_length=int(model.max_seq_length or 512),
        )
        meta: dict[str, object] = {
            "format": EXPORT_FORMAT,
            "query_model": QUERY_VARIANT,
            "document_model": DOCUMENT_VARIANT,
            "query_prompt": prompts.get("query", ""),
            "document_prompt": prompts.get("passage") or prompts.get("document", ""),
            "max_length": int(model.max_seq_length or 512),
            "pad_id": _pad_id(staging / JSON_FILE),
            "dim": int(model.get_embedding_dimension() or 0),
            "pooling": "mean",
            "normalize": True,
            "exporter": f"torch.onnx (TorchScript), opset {OPSET}",
        }
        if sentencepiece:
            meta["sentencepiece"] = sentencepiece
        (staging / META_FILE).write_text(json.dumps(meta, indent=2))

        texts = check_texts()
        reference = {
            kind: model.encode(
                texts,
                prompt_name=name if name in prompts else None,
                normalize_embeddings=True,
                show_progress_bar=False,
                batch_size=8,  # the one long text pads only its own small batch
            )
            for kind, name in (("query", "query"), ("passage", "passage"))
        }
        agreement: dict[str, dict[str, float]] = {}
        for variant in (FP32_FILE, QINT8_FILE, EMB8_FILE):
            onnx_model = OnnxEmbedder(
                staging, query_model=variant, document_model=variant
            )
            for kind, ours in (
                ("query", onnx_model.embed_queries(texts)),
                ("passage", onnx_model.embed_documents(texts)),
            ):
                cos = np.sum(ours * reference[kind], axis=1)
                agreement[f"{variant}:{kind}"] = {
                    "min": round(float(cos.min()), 5),
                    "mean": round(float(cos.mean()), 5),
                }
                if float(cos.min()) < min_cosine:
                    worst = texts[int(cos.argmin())][:60]
                    raise ExportError(
                        f"{variant} disagrees with sentence-transformers on {kind} texts: "
                        f"cosine {float(cos.min()):.4f} < {min_cosine} for {worst!r}"
                    )
            del onnx_model
        meta["agreement"] = agreement
        meta["texts_checked"] = len(texts)
        (staging / META_FILE).write_text(json.dumps(meta, indent=2))
        logger.info("ONNX export agrees with sentence-transformers: %s", agreement)

        target = model_dir / EXPORT_DIR
        old = model_dir / ".onnx-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return meta
    finally:
        shutil.rmtree(staging, ignore_errors=True)
