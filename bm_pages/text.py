"""Text that every output format accepts: one cleaning rule for input and output.

Editors paste from Word, which brings control characters along: a vertical tab for
a manual line break, a form feed for a page break, ``\\x07`` at the end of a table
cell, and the odd ``\\x1f``. XML 1.0 (Word's .docx, read back by lxml) refuses those,
the other C0 controls except tab, newline and carriage return, lone surrogates and
the non-characters U+FFFE and U+FFFF; PostgreSQL refuses NUL and lone surrogates.
``clean_text`` removes exactly these (line and page breaks become newlines), so
what an editor saves can always be stored and rendered.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# Word's manual line break (VT) and page break (FF) keep their meaning as newlines.
_BREAKS = re.compile("[\x0b\x0c]")
# Everything else XML 1.0's ``Char`` production excludes.
_REFUSED = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without the characters XML 1.0 refuses; VT and FF become newlines.

    :param value: any text, e.g. a field's value as submitted.
    :returns: the same text if it had nothing to clean (the common case).
    """
    if value.isprintable():  # fast path: no controls, surrogates or non-characters
        return value
    return _REFUSED.sub("", _BREAKS.sub("\n", value))


def clean_tree(value: Any) -> Any:
    """``clean_text`` applied to every string in nested dataclass instances, lists,
    tuples and dicts (dict values only; keys are field names); a copy."""
    if isinstance(value, str):
        return clean_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                item.name: clean_tree(getattr(value, item.name))
                for item in dataclasses.fields(value)
                if item.init
            },
        )
    if isinstance(value, list):
        return [clean_tree(item) for item in value]
    if isinstance(value, tuple):
        return tuple(clean_tree(item) for item in value)
    if isinstance(value, dict):
        return {key: clean_tree(item) for key, item in value.items()}
    return value
