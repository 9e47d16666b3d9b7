"""Bounds on a JSON document from outside, checked before it is canonicalised, hashed, signed
or looked into: how deep it nests, how many items an array and members an object hold, how
long a string or a member name is, and how many values it holds in all.

The walk is iterative and stops at the first value past a bound, so it costs at most
MAX_VALUES steps whatever it is given (a 14 MB array is refused on its length alone). The
bounds sit far above any honest credential: an Open Badges 3.0 credential nests about eight
deep and holds a few hundred values; a data: URL badge image of 48 KB still fits a string.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

MAX_DEPTH = 64
MAX_ARRAY_ITEMS = 1_000
MAX_MEMBERS = 256
MAX_STRING_LENGTH = 65_536
MAX_NAME_LENGTH = 1_024
MAX_VALUES = 10_000

Bound = Literal["depth", "items", "members", "string", "name", "values"]
LIMITS: dict[str, int] = {
    "depth": MAX_DEPTH,
    "items": MAX_ARRAY_ITEMS,
    "members": MAX_MEMBERS,
    "string": MAX_STRING_LENGTH,
    "name": MAX_NAME_LENGTH,
    "values": MAX_VALUES,
}
_SHOWN_NAME = 40  # characters of a member name kept in a pointer


class BoundsError(ValueError):
    """A value lies past a bound: ``bound`` names which, ``limit`` is its value and
    ``pointer`` (JSON Pointer, member names cut to 40 characters) says where."""

    def __init__(self, bound: Bound, pointer: str) -> None:
        self.bound = bound
        self.limit = LIMITS[bound]
        self.pointer = pointer
        super().__init__(f"{bound} past the bound of {self.limit} at {pointer or '/'}")


class _Node(NamedTuple):
    """An array or object met in the walk, with the way back to the root."""

    value: Any
    depth: int
    parent: _Node | None = None
    step: str | int = ""

    def pointer(self, last: str | int | None = None) -> str:
        steps = [] if last is None else [last]
        node: _Node | None = self
        while node is not None and node.parent is not None:
            steps.append(node.step)
            node = node.parent
        return "".join(f"/{_escape(step)}" for step in reversed(steps))


def _escape(step: str | int) -> str:
    if isinstance(step, int):
        return str(step)
    return step[:_SHOWN_NAME].replace("~", "~0").replace("/", "~1")


def check_bounds(document: Any) -> None:
    """Raise BoundsError at the first value of ``document`` past a bound.

    Depth counts nested arrays and objects (the document itself is depth 1).
    """
    if isinstance(document, str) and len(document) > MAX_STRING_LENGTH:
        raise BoundsError("string", "")
    if not isinstance(document, dict | list):
        return
    stack = [_Node(document, 1)]
    seen = 1
    while stack:
        node = stack.pop()
        value = node.value
        if isinstance(value, dict):
            if len(value) > MAX_MEMBERS:
                raise BoundsError("members", node.pointer())
            steps: Any = value.items()
        else:
            if len(value) > MAX_ARRAY_ITEMS:
                raise BoundsError("items", node.pointer())
            steps = enumerate(value)
        seen += len(value)
        if seen > MAX_VALUES:
            raise BoundsError("values", node.pointer())
        for step, child in steps:
            if isinstance(step, str) and len(step) > MAX_NAME_LENGTH:
                raise BoundsError("name", node.pointer())
            if isinstance(child, str):
                if len(child) > MAX_STRING_LENGTH:
                    raise BoundsError("string", node.pointer(step))
            elif isinstance(child, dict | list):
                if node.depth >= MAX_DEPTH:
                    raise BoundsError("depth", node.pointer(step))
                stack.append(_Node(child, node.depth + 1, node, step))
