"""The question-type contract: errors, the grade value and the ``QuestionType`` base class.

A question is stored as a type key plus a *definition* dict, the output of
``validate_definition``. Every other method takes that normalised definition. Fields common to
all types: ``stem`` (text), ``text_format`` ("markdown" | "html" | "plain", applies to the
stem, choices and feedback), ``points`` (> 0, default 1) and ``general_feedback`` (shown in
review only).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .markdown import TEXT_FORMATS, render_text
from .values import opaque_id

MAX_STEM = 20_000
MAX_SHORT_TEXT = 2_000
MAX_FEEDBACK = 5_000
MAX_POINTS = 1_000.0
ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
COMMON_FIELDS = frozenset({"stem", "text_format", "points", "general_feedback"})


class QuestionError(ValueError):
    """Base class of the errors raised by question types."""


class QuestionDefinitionError(QuestionError):
    """An authoring payload is invalid; ``details`` maps a field path (``choices.1.text``)
    to what is wrong with it."""

    def __init__(self, message: str, details: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, str] = dict(details or {})

    def __str__(self) -> str:
        if not self.details:
            return self.message
        parts = "; ".join(f"{path}: {text}" for path, text in self.details.items())
        return f"{self.message} ({parts})"


class AnswerError(QuestionError):
    """A learner's answer has the wrong type or shape for the question."""


class GradingError(QuestionError):
    """A manual grade is out of bounds or not a number."""


class UnknownQuestionTypeError(QuestionError, LookupError):
    """No question type is registered under the requested key."""


@dataclass(frozen=True, slots=True)
class Grade:
    """The outcome of grading one answer. ``score`` is ``None`` while a hand grade is pending;
    ``correct`` is ``None`` where right/wrong does not apply (essays)."""

    score: float | None
    max_score: float
    correct: bool | None
    needs_manual: bool = False
    feedback: str | None = None


def scaled(fraction: float, points: float) -> float:
    """``fraction`` of ``points``, clamped to [0, points] and rounded against float noise."""
    return round(min(max(fraction, 0.0), 1.0) * points, 6)


class DefinitionChecker:
    """Collects per-field errors while reading an authoring payload, then raises them all."""

    def __init__(self, data: Mapping[str, Any], allowed: frozenset[str]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}
        for field in data:
            if field not in allowed:
                self.add(str(field), "unknown field")

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def text(
        self,
        source: Mapping[str, Any],
        field: str,
        path: str,
        *,
        required: bool = True,
        max_len: int = MAX_SHORT_TEXT,
    ) -> str | None:
        value = source.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path, "is required")
            return None
        if not isinstance(value, str):
            self.add(path, "must be text")
            return None
        if len(value) > max_len:
            self.add(path, f"must be at most {max_len} characters")
            return None
        return value.strip()

    def flag(self, source: Mapping[str, Any], field: str, path: str, default: bool) -> bool:
        value = source.get(field, default)
        if not isinstance(value, bool):
            self.add(path, "must be true or false")
            return default
        return value

    def number(
        self,
        source: Mapping[str, Any],
        field: str,
        path: str,
        *,
        default: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_minimum: bool = False,
    ) -> float | None:
        value = source.get(field, default)
        if value is None:
            self.add(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, "must be a number")
            return None
        number = float(value)
        if not math.isfinite(number):
            self.add(path, "must be a finite number")
        elif minimum is not None and (
            number < minimum or (exclusive_minimum and number == minimum)
        ):
            self.add(
                path, f"must be {'greater than' if exclusive_minimum else 'at least'} {minimum:g}"
            )
        elif maximum is not None and number > maximum:
            self.add(path, f"must be at most {maximum:g}")
        else:
            return number
        return None

    def choice(
        self, source: Mapping[str, Any], field: str, path: str, options: tuple[str, ...]
    ) -> str:
        value = source.get(field, options[0])
        if value not in options:
            self.add(path, f"must be one of: {', '.join(options)}")
            return options[0]
        return str(value)

    def items(self, field: str, *, minimum: int, maximum: int = 100) -> list[tuple[str, Any]]:
        value = self.data.get(field)
        if not isinstance(value, list | tuple):
            self.add(field, "is required and must be a list")
            return []
        if len(value) < minimum:
            self.add(field, f"needs at least {minimum} entries")
        elif len(value) > maximum:
            self.add(field, f"allows at most {maximum} entries")
        return [(f"{field}.{index}", item) for index, item in enumerate(value)]

    def item_id(self, item: Mapping[str, Any], path: str, text: str | None, prefix: str) -> str:
        """The item's own id if it gave a valid one, else an opaque id derived from its text."""
        value = item.get("id")
        if value is None:
            return opaque_id(prefix, text or "")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(f"{path}.id", "must be 1-40 letters, digits, '_' or '-'")
        return str(value)

    def raise_if_any(self, message: str) -> None:
        if self.errors:
            raise QuestionDefinitionError(message, self.errors)


class QuestionType:
    """Base of the pluggable question types (CTFd ``BaseChallenge`` style).

    Subclasses set ``key``, ``label`` and ``fields`` and implement ``_validate``,
    ``validate_answer``, ``_grade``, and optionally ``_learner_extra`` / ``_review_extra``.
    """

    key: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()

    # -- authoring -------------------------------------------------------------------------
    def validate_definition(self, defn: Mapping[str, Any]) -> dict[str, Any]:
        """Check and normalise an authoring payload, raising ``QuestionDefinitionError``
        with every problem found, keyed by field path."""
        if not isinstance(defn, Mapping):
            raise QuestionDefinitionError("The question must be an object", {"": "not an object"})
        check = DefinitionChecker(defn, COMMON_FIELDS | self.fields)
        common = {
            "stem": check.text(defn, "stem", "stem", max_len=MAX_STEM),
            "text_format": check.choice(
                defn, "text_format", "text_format", ("markdown", "html", "plain")
            ),
            "points": check.number(
                defn,
                "points",
                "points",
                default=1.0,
                minimum=0.0,
                maximum=MAX_POINTS,
                exclusive_minimum=True,
            ),
            "general_feedback": check.text(
                defn, "general_feedback", "general_feedback", required=False, max_len=MAX_FEEDBACK
            ),
        }
        specific = self._validate(check)
        check.raise_if_any(f"The {self.label} question is not valid")
        return {**common, **specific}

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        raise NotImplementedError

    # -- taking ----------------------------------------------------------------------------
    def learner_view(
        self,
        defn: Mapping[str, Any],
        *,
        shuffle_seed: int | None = None,
        token: Callable[[str], str] | None = None,
    ) -> dict[str, Any]:
        """What a trainee may see while answering: never keys, weights or feedback. With a
        `token`, the ids of the question's items are shown as `token(id)` only."""
        view: dict[str, Any] = {
            "type": self.key,
            "stem_html": self.render(defn, defn["stem"]),
            "points": defn["points"],
        }
        view.update(self._learner_extra(defn, shuffle_seed))
        return view if token is None else self.mask_view(defn, view, token)

    def mask_view(
        self, defn: Mapping[str, Any], view: dict[str, Any], token: Callable[[str], str]
    ) -> dict[str, Any]:
        """A learner or review view with item ids replaced by their tokens."""
        return view

    def mask_answer(self, defn: Mapping[str, Any], answer: Any, token: Callable[[str], str]) -> Any:
        """A stored answer as the learner sees it: item ids replaced by their tokens."""
        return answer

    def unmask_answer(
        self, defn: Mapping[str, Any], answer: Any, token: Callable[[str], str]
    ) -> Any:
        """A learner's answer in tokens back to item ids; raises ``AnswerError`` for a value
        that is no token of this question (a bare item id included)."""
        return answer

    def _learner_extra(self, defn: Mapping[str, Any], shuffle_seed: int | None) -> dict[str, Any]:
        return {}

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> Any:
        """Return the answer normalised, or raise ``AnswerError`` if its type or shape is wrong."""
        raise NotImplementedError

    # -- grading ---------------------------------------------------------------------------
    def grade(self, defn: Mapping[str, Any], answer: Any) -> Grade:
        """Grade an answer; ``None`` means unanswered and scores 0."""
        if answer is None:
            return Grade(score=0.0, max_score=defn["points"], correct=False)
        return self._grade(defn, self.validate_answer(defn, answer))

    def _grade(self, defn: Mapping[str, Any], answer: Any) -> Grade:
        raise NotImplementedError

    def grade_manual(
        self, defn: Mapping[str, Any], score: float, *, feedback: str | None = None
    ) -> Grade:
        """A grader's hand-given score, bounds-checked against the question's points."""
        points = defn["points"]
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise GradingError("The score must be a finite number")
        if not 0 <= score <= points:
            raise GradingError(f"The score must be between 0 and {points:g}")
        if feedback is not None and len(feedback) > MAX_FEEDBACK:
            raise GradingError(f"The feedback must be at most {MAX_FEEDBACK} characters")
        return Grade(score=float(score), max_score=points, correct=None, feedback=feedback)

    # -- review ----------------------------------------------------------------------------
    def review_view(
        self,
        defn: Mapping[str, Any],
        answer: Any,
        grade: Grade,
        *,
        token: Callable[[str], str] | None = None,
    ) -> dict[str, Any]:
        """The answer against the key, with feedback: for when review options allow it. With
        a `token`, item ids are shown as the learner saw them."""
        normalised = None if answer is None else self.validate_answer(defn, answer)
        view: dict[str, Any] = {
            "type": self.key,
            "stem_html": self.render(defn, defn["stem"]),
            "answer": normalised,
            "score": grade.score,
            "max_score": grade.max_score,
            "correct": grade.correct,
            "needs_manual": grade.needs_manual,
            "feedback_html": self.render(defn, grade.feedback),
            "general_feedback_html": self.render(defn, defn.get("general_feedback")),
        }
        view.update(self._review_extra(defn, normalised))
        if token is None:
            return view
        view["answer"] = self.mask_answer(defn, normalised, token)
        return self.mask_view(defn, view, token)

    def _review_extra(self, defn: Mapping[str, Any], answer: Any) -> dict[str, Any]:
        return {}

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def render(defn: Mapping[str, Any], text: str | None, *, inline: bool = False) -> str:
        fmt = defn.get("text_format", "markdown")
        return render_text(text, fmt if fmt in TEXT_FORMATS else "markdown", inline=inline)
