"""Small value helpers shared by question types and importers: text normalisation for
short answers, decimal parsing that understands the Indonesian decimal comma, opaque ids and a
deterministic shuffle."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_MINUS_SIGNS = {"\u2212": "-", "\u2013": "-"}


def normalise_text(text: str, *, case_sensitive: bool = False) -> str:
    """Fold a short answer for comparison: NFKD with combining marks removed (so "Kompetén"
    matches "Kompeten"), whitespace collapsed and, unless case matters, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    collapsed = " ".join(stripped.split())
    return collapsed if case_sensitive else collapsed.casefold()


def parse_number(value: object) -> float:
    """Parse a finite number from an int, a float or a string such as "3.5", "3,5" or "-2e3".

    A string may use either "." or "," as its decimal separator, never both and never as a
    thousands separator: "1.234,5" is refused as ambiguous. Raises ``ValueError``.
    """
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        for sign, ascii_sign in _MINUS_SIGNS.items():
            text = text.replace(sign, ascii_sign)
        if "," in text and "." in text:
            raise ValueError("use either a decimal comma or a decimal point, not both")
        if text.count(",") > 1:
            raise ValueError("has more than one decimal comma")
        text = text.replace(",", ".")
        if not _NUMBER_RE.match(text):
            raise ValueError("is not a number")
        number = float(text)
    else:
        raise ValueError("must be a number")
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def opaque_id(prefix: str, text: str) -> str:
    """An id derived from a text alone, so it tells a learner nothing the text does not
    (unlike a position, which would reveal the author's original order)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:10]}"


def item_token(secret: bytes, scope: str, item_id: str) -> str:
    """The id a learner sees for one item of one question in one attempt (`scope`): an HMAC,
    so it tells nothing of the author's id or order and cannot be guessed or carried over to
    another attempt."""
    digest = hmac.new(secret, f"{scope}|{item_id}".encode(), hashlib.sha256).hexdigest()
    return f"x{digest[:20]}"


def stable_shuffle(items: Iterable[T], seed: int, key: Callable[[T], str]) -> list[T]:
    """Order items by a hash of (seed, key): the same seed always gives the same order, and
    different seeds give independent orders. Not for security, only for presentation."""

    def rank(item: T) -> str:
        return hashlib.sha256(f"{seed}:{key(item)}".encode()).hexdigest()

    return sorted(items, key=rank)
