"""What every importer returns, and the step that checks each imported question against its
question type so that nothing invalid is ever handed back as importable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.assessments.questions import QuestionDefinitionError, registry

MAX_NAME = 255


class ImportFormatError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not well-formed XML, entity tricks...)."""


class TooManyQuestions(ImportFormatError):
    """The file holds more questions than one import may take; raised before any of them is
    parsed."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"The file holds {count} questions; at most {limit} can be imported")
        self.count = count
        self.limit = limit


def check_count(count: int, limit: int | None) -> None:
    if limit is not None and count > limit:
        raise TooManyQuestions(count, limit)


@dataclass(frozen=True, slots=True)
class ImportedQuestion:
    """A question ready to store: ``definition`` has passed its type's
    ``validate_definition``. ``line_or_index`` is the GIFT line where the question starts, or
    the Moodle XML ``<question>`` position (1-based)."""

    type_key: str
    definition: dict[str, Any]
    name: str
    line_or_index: int


@dataclass(frozen=True, slots=True)
class ImportError_:
    """A question that could not be imported, and why (the trailing underscore keeps it
    apart from the built-in ``ImportError``)."""

    line_or_index: int
    message: str


@dataclass(slots=True)
class ImportResult:
    questions: list[ImportedQuestion] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)

    def __iter__(self) -> Iterator[list[Any]]:
        """Allow ``questions, errors = parse_gift(text)``."""
        return iter((self.questions, self.errors))

    def error(self, where: int, message: str) -> None:
        self.errors.append(ImportError_(where, message))

    def add(self, type_key: str, definition: dict[str, Any], name: str | None, where: int) -> None:
        """Validate ``definition`` as ``type_key`` and keep it, or record why not."""
        try:
            clean = registry.get(type_key).validate_definition(definition)
        except QuestionDefinitionError as exc:
            self.error(where, str(exc))
            return
        self.questions.append(ImportedQuestion(type_key, clean, default_name(name, clean), where))


def default_name(name: str | None, definition: dict[str, Any]) -> str:
    """The given name, or the start of the stem as Moodle does."""
    if name and name.strip():
        return " ".join(name.split())[:MAX_NAME]
    words = " ".join(str(definition.get("stem", "")).split())
    return words if len(words) <= 60 else words[:57].rstrip() + "..."


def decode(data: str | bytes) -> str:
    """The file as text: UTF-8 (a BOM is dropped), and not binary."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(f"The file is not UTF-8 text (byte {exc.start})") from None
    if "\x00" in data:
        raise ImportFormatError("The file is binary, not text")
    return data.removeprefix("\ufeff")
