"""Build time: a SentencePiece model from a Unigram ``tokenizer.json`` (XLM-R style).

The serving process then tokenizes in 55 MB instead of 260 MB (see
``onnx_tokenizer``). Only the shape multilingual-e5 and other XLM-R descendants have is
converted: a Unigram model, the ``Precompiled`` normalizer, whitespace split plus
Metaspace. The pieces keep their ``tokenizer.json`` order and scores, so the ids are the
model's own; specials are control pieces (``SentencePieceIds`` splits them out of a text first,
as ``tokenizers`` does with added tokens) and ``<unk>`` the unknown piece.
``write_sentencepiece`` returns ``False`` (and writes nothing) for anything else, or
when the result gives other ids than ``tokenizer.json`` on the texts it is checked on.
Needs ``protobuf`` (which ``onnx`` brings) besides ``sentencepiece``.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..onnx_tokenizer import FastTokenizerIds, SentencePieceIds

logger = logging.getLogger(__name__)


def added_tokens(spec: dict[str, Any]) -> dict[str, int]:
    return {
        t["content"]: t["id"] for t in spec.get("added_tokens", []) if t.get("special")
    }


def special_ids(spec: dict[str, Any]) -> tuple[list[int], list[int]] | None:
    """(prefix, suffix) ids of a ``<s> $A </s>`` template, or ``None`` for any other."""
    post = spec.get("post_processor") or {}
    if post.get("type") != "TemplateProcessing":
        return None
    ids: dict[str, list[int]] = {
        name: list(token["ids"]) for name, token in post["special_tokens"].items()
    }
    prefix: list[int] = []
    suffix: list[int] = []
    seen_text = False
    for part in post["single"]:
        if "Sequence" in part:
            if seen_text:
                return None
            seen_text = True
        elif "SpecialToken" in part:
            (suffix if seen_text else prefix).extend(ids[part["SpecialToken"]["id"]])
        else:
            return None
    return (prefix, suffix) if seen_text else None


def _model_proto(spec: dict[str, Any]) -> bytes | None:
    from sentencepiece import sentencepiece_model_pb2 as pb

    model, normalizer = spec.get("model") or {}, spec.get("normalizer") or {}
    pre = spec.get("pre_tokenizer") or {}
    steps = [p.get("type") for p in pre.get("pretokenizers", [pre])]
    if (
        model.get("type") != "Unigram"
        or model.get("byte_fallback")
        or normalizer.get("type") != "Precompiled"
        or steps not in (["Metaspace"], ["WhitespaceSplit", "Metaspace"])
    ):
        return None
    specials = added_tokens(spec)
    unk_id = model.get("unk_id")
    piece_type = pb.ModelProto.SentencePiece
    proto = pb.ModelProto()
    for index, (text, score) in enumerate(model["vocab"]):
        piece = proto.pieces.add()
        piece.piece, piece.score = text, score
        if index == unk_id:
            piece.type = piece_type.UNKNOWN
        elif text in specials:
            # Never made from text by SentencePiece: SentencePieceIds splits them out.
            piece.type = piece_type.CONTROL
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    proto.trainer_spec.unk_id = unk_id if unk_id is not None else 0
    # No automatic <s>/</s>: the template's ids are added by SentencePieceIds.
    proto.trainer_spec.bos_id = proto.trainer_spec.eos_id = -1
    proto.trainer_spec.pad_id = -1
    proto.normalizer_spec.name = "precompiled"
    proto.normalizer_spec.precompiled_charsmap = base64.b64decode(
        normalizer["precompiled_charsmap"]
    )
    proto.normalizer_spec.add_dummy_prefix = True
    proto.normalizer_spec.remove_extra_whitespaces = True
    proto.normalizer_spec.escape_whitespaces = True
    serialized: bytes = proto.SerializeToString()
    return serialized


def write_sentencepiece(
    tokenizer_json: Path, target: Path, texts: Sequence[str], *, max_length: int
) -> dict[str, Any] | None:
    """Write ``target`` if the conversion gives ``tokenizer.json``'s ids on ``texts``.

    :returns: ``{"prefix": [...], "suffix": [...]}`` for ``export.json``, or ``None``.
    """
    spec = json.loads(Path(tokenizer_json).read_text())
    template = special_ids(spec)
    proto = _model_proto(spec) if template else None
    if proto is None or template is None:
        logger.info(
            "%s is not an XLM-R style Unigram tokenizer: kept as is", tokenizer_json
        )
        return None
    target.write_bytes(proto)
    prefix, suffix = template
    specials = added_tokens(spec)
    ours = SentencePieceIds(
        target, prefix=prefix, suffix=suffix, specials=specials, max_length=max_length
    )
    theirs = FastTokenizerIds(Path(tokenizer_json), max_length=max_length)
    for text, a, b in zip(
        texts, ours.encode_batch(texts), theirs.encode_batch(texts), strict=True
    ):
        if a != b:
            logger.warning(
                "SentencePiece conversion differs from tokenizer.json on %r: "
                "serving tokenizes with tokenizer.json",
                text[:60],
            )
            target.unlink()
            return None
    return {
        "prefix": prefix,
        "suffix": suffix,
        "specials": specials,
        "texts_checked": len(texts),
    }
