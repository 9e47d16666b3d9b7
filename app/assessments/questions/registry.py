"""The registry of question types, keyed by ``QuestionType.key``.

Types register themselves with the ``@register`` decorator when their module is imported;
importing ``app.assessments.questions`` imports all built-in types. ``get(key)`` and
``keys()`` work on the default registry; tests can build their own ``QuestionTypeRegistry``.
"""

from __future__ import annotations

from .base import QuestionType, UnknownQuestionTypeError


class QuestionTypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, QuestionType] = {}

    def register(self, cls: type[QuestionType]) -> type[QuestionType]:
        key = getattr(cls, "key", None)
        if not isinstance(key, str) or not key:
            raise TypeError(f"{cls.__name__} has no 'key'")
        if key in self._types:
            raise ValueError(f"A question type is already registered as {key!r}")
        self._types[key] = cls()
        return cls

    def get(self, key: str) -> QuestionType:
        try:
            return self._types[key]
        except KeyError:
            known = ", ".join(self.keys()) or "none"
            raise UnknownQuestionTypeError(
                f"Unknown question type {key!r} (known types: {known})"
            ) from None

    def keys(self) -> list[str]:
        return sorted(self._types)

    def __contains__(self, key: object) -> bool:
        return key in self._types


default_registry = QuestionTypeRegistry()
register = default_registry.register
get = default_registry.get
keys = default_registry.keys
