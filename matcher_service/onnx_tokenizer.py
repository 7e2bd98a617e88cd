"""Token ids for the ONNX encoder: SentencePiece where the export carries it, else
the ``tokenizers`` package over ``tokenizer.json``.

Both give the ids the model was trained with (``[CLS]``-style prefix, the text's
pieces, suffix; cut at the model's maximum length). They differ in cost: for
multilingual-e5-small's 250,002-piece Unigram vocabulary ``tokenizers`` holds about
260 MB and loads in 0.6 s, a SentencePiece model made from the same ``tokenizer.json``
(``spm_convert``) about 55 MB and 0.35 s. The export writes that model only when it
gives the same ids as ``tokenizer.json`` on its check texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

SPM_FILE = "tokenizer.model"
JSON_FILE = "tokenizer.json"


class TokenIds(Protocol):
    name: str

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]: ...


class SentencePieceIds:
    """A SentencePiece model plus the special ids ``export.json`` names.

    A special token written in a text (``<mask>``) is its own id and the text either
    side is tokenized on its own, as ``tokenizers`` treats added tokens.
    """

    name = "sentencepiece"

    def __init__(
        self,
        path: Path,
        *,
        prefix: list[int],
        suffix: list[int],
        specials: dict[str, int],
        max_length: int,
    ):
        import sentencepiece

        self._model = sentencepiece.SentencePieceProcessor(model_file=str(path))
        self._prefix, self._suffix = list(prefix), list(suffix)
        self._room = max_length - len(prefix) - len(suffix)
        self._specials = dict(specials)
        names = sorted(self._specials, key=len, reverse=True)
        self._split = (
            re.compile("(" + "|".join(map(re.escape, names)) + ")") if names else None
        )

    def _pieces(self, text: str) -> list[int]:
        if self._split is None or not self._split.search(text):
            return list(self._model.encode(text))
        ids: list[int] = []
        for part in self._split.split(text):
            special = self._specials.get(part)
            ids.extend([special] if special is not None else self._model.encode(part))
        return ids

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        return [
            [*self._prefix, *self._pieces(text)[: self._room], *self._suffix]
            for text in texts
        ]


class FastTokenizerIds:
    """``tokenizer.json`` through the ``tokenizers`` package."""

    name = "tokenizers"

    def __init__(self, path: Path, *, max_length: int):
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length)

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]


def load_token_ids(
    export: Path, meta: dict[str, Any], *, prefer_spm: bool = True
) -> TokenIds:
    """The export's tokenizer: SentencePiece if ``export.json`` lists it, else json."""
    max_length = int(meta["max_length"])
    spm = meta.get("sentencepiece")
    if prefer_spm and spm and (export / SPM_FILE).is_file():
        return SentencePieceIds(
            export / SPM_FILE,
            prefix=spm["prefix"],
            suffix=spm["suffix"],
            specials=spm.get("specials", {}),
            max_length=max_length,
        )
    return FastTokenizerIds(export / JSON_FILE, max_length=max_length)
