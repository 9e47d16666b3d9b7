"""Typed-answer question types: short_answer, numeric and essay."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import (
    MAX_FEEDBACK,
    MAX_SHORT_TEXT,
    AnswerError,
    DefinitionChecker,
    Grade,
    QuestionType,
    scaled,
)
from .registry import register
from .values import normalise_text, parse_number

ACCEPTED_FIELDS = {"text", "value", "tolerance", "weight", "feedback"}


def _accepted_items(check: DefinitionChecker) -> list[tuple[str, Mapping[str, Any]]]:
    """The ``accepted`` list with bare strings/numbers promoted to ``{"text"|"value": x}``."""
    items: list[tuple[str, Mapping[str, Any]]] = []
    for path, item in check.items("accepted", minimum=1, maximum=50):
        if isinstance(item, str):
            item = {"text": item}
        elif isinstance(item, int | float) and not isinstance(item, bool):
            item = {"value": item}
        if not isinstance(item, Mapping):
            check.add(path, "must be an object")
            continue
        items.append((path, item))
    return items


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def _weight_and_feedback(
    check: DefinitionChecker, item: Mapping[str, Any], path: str
) -> dict[str, Any]:
    return {
        "weight": check.number(
            item,
            "weight",
            _join(path, "weight"),
            default=1.0,
            minimum=0.0,
            maximum=1.0,
            exclusive_minimum=True,
        ),
        "feedback": check.text(
            item, "feedback", _join(path, "feedback"), required=False, max_len=MAX_FEEDBACK
        ),
    }


def _require_full_marks(check: DefinitionChecker, accepted: list[dict[str, Any]]) -> None:
    if accepted and not any(entry["weight"] == 1.0 for entry in accepted):
        check.add("accepted", "needs at least one answer worth full marks (weight 1)")


def _check_unknown(
    check: DefinitionChecker, item: Mapping[str, Any], path: str, allowed: set[str]
) -> None:
    for field in item:
        if field not in allowed:
            check.add(_join(path, str(field)), "unknown field")


def _best(accepted: list[dict[str, Any]], matches: Any) -> dict[str, Any] | None:
    hits = [entry for entry in accepted if matches(entry)]
    return max(hits, key=lambda entry: entry["weight"]) if hits else None


def _graded(defn: Mapping[str, Any], best: dict[str, Any] | None) -> Grade:
    if best is None:
        return Grade(0.0, defn["points"], False, feedback=defn["feedback_incorrect"])
    return Grade(
        score=scaled(best["weight"], defn["points"]),
        max_score=defn["points"],
        correct=best["weight"] == 1.0,
        feedback=best["feedback"],
    )


@register
class ShortAnswer(QuestionType):
    """A typed word or phrase. Definition: ``accepted`` (list of ``{"text", "weight",
    "feedback"}`` or plain strings), ``case_sensitive`` (default false), ``max_length``,
    ``feedback_incorrect``. Comparison ignores diacritics and extra whitespace, and case
    unless ``case_sensitive``. Answer: a string."""

    key = "short_answer"
    label = "short answer"
    fields = frozenset({"accepted", "case_sensitive", "max_length", "feedback_incorrect"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        data = check.data
        case_sensitive = check.flag(data, "case_sensitive", "case_sensitive", False)
        accepted: list[dict[str, Any]] = []
        seen: set[str] = set()
        for path, item in _accepted_items(check):
            _check_unknown(check, item, path, {"text", "weight", "feedback"})
            text = check.text(item, "text", f"{path}.text", max_len=MAX_SHORT_TEXT)
            folded = normalise_text(text or "", case_sensitive=case_sensitive)
            if text is not None and folded in seen:
                check.add(f"{path}.text", "duplicates another accepted answer")
            seen.add(folded)
            accepted.append({"text": text, **_weight_and_feedback(check, item, path)})
        _require_full_marks(check, accepted)
        max_length = check.number(
            data, "max_length", "max_length", default=255, minimum=1, maximum=MAX_SHORT_TEXT
        )
        return {
            "accepted": accepted,
            "case_sensitive": case_sensitive,
            "max_length": int(max_length or 255),
            "feedback_incorrect": check.text(
                data,
                "feedback_incorrect",
                "feedback_incorrect",
                required=False,
                max_len=MAX_FEEDBACK,
            ),
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> str:
        if not isinstance(answer, str):
            raise AnswerError("The answer must be text")
        answer = answer.strip()
        if len(answer) > defn["max_length"]:
            raise AnswerError(f"The answer must be at most {defn['max_length']} characters")
        return answer

    def _grade(self, defn: Mapping[str, Any], answer: str) -> Grade:
        case_sensitive = defn["case_sensitive"]
        given = normalise_text(answer, case_sensitive=case_sensitive)
        best = _best(
            defn["accepted"],
            lambda entry: (
                given and normalise_text(entry["text"], case_sensitive=case_sensitive) == given
            ),
        )
        return _graded(defn, best)

    def _review_extra(self, defn: Mapping[str, Any], answer: Any) -> dict[str, Any]:
        return {
            "accepted": [
                {"text": entry["text"], "weight": entry["weight"]} for entry in defn["accepted"]
            ]
        }


@register
class Numeric(QuestionType):
    """A typed number. Definition: ``accepted`` (list of ``{"value", "tolerance", "weight",
    "feedback"}``), or the shorthand ``value`` + ``tolerance`` for a single answer;
    ``feedback_incorrect``. An answer is right when ``|answer - value| <= tolerance``.
    Answer: a number or a string with a decimal point or comma ("3,5")."""

    key = "numeric"
    label = "numeric"
    fields = frozenset({"accepted", "value", "tolerance", "feedback_incorrect"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        data = check.data
        if "value" in data or "tolerance" in data:
            if "accepted" in data:
                check.add("accepted", "give either value/tolerance or accepted, not both")
            single = {field: data[field] for field in ("value", "tolerance") if field in data}
            items: list[tuple[str, Mapping[str, Any]]] = [("", single)]
        else:
            items = _accepted_items(check)
        accepted: list[dict[str, Any]] = []
        for path, item in items:
            _check_unknown(check, item, path, {"value", "tolerance", "weight", "feedback"})
            entry: dict[str, Any] = {"value": None, "tolerance": 0.0}
            for field in ("value", "tolerance"):
                raw = item.get(field, 0 if field == "tolerance" else None)
                try:
                    entry[field] = parse_number(raw)
                except ValueError as exc:
                    message = "is required" if raw is None else str(exc)
                    check.add(_join(path, field), message)
            if entry["tolerance"] is not None and entry["tolerance"] < 0:
                check.add(_join(path, "tolerance"), "must be at least 0")
            entry.update(_weight_and_feedback(check, item, path))
            accepted.append(entry)
        _require_full_marks(check, accepted)
        return {
            "accepted": accepted,
            "feedback_incorrect": check.text(
                data,
                "feedback_incorrect",
                "feedback_incorrect",
                required=False,
                max_len=MAX_FEEDBACK,
            ),
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> float:
        try:
            return parse_number(answer)
        except ValueError as exc:
            raise AnswerError(f"The answer {exc}") from None

    def _grade(self, defn: Mapping[str, Any], answer: float) -> Grade:
        def within(entry: dict[str, Any]) -> bool:
            slack = 1e-9 * max(1.0, abs(entry["value"]))
            return abs(answer - entry["value"]) <= entry["tolerance"] + slack

        return _graded(defn, _best(defn["accepted"], within))

    def _review_extra(self, defn: Mapping[str, Any], answer: Any) -> dict[str, Any]:
        return {
            "accepted": [
                {key: entry[key] for key in ("value", "tolerance", "weight")}
                for entry in defn["accepted"]
            ]
        }


@register
class Essay(QuestionType):
    """A written answer marked by hand. Definition: ``max_length`` (characters, default
    20000), ``grader_info`` (guidance for graders, never shown to learners). Answer: a string.
    A non-empty answer grades as pending (score None, needs_manual); a blank one scores 0."""

    key = "essay"
    label = "essay"
    fields = frozenset({"max_length", "grader_info"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        data = check.data
        max_length = check.number(
            data, "max_length", "max_length", default=20_000, minimum=1, maximum=100_000
        )
        return {
            "max_length": int(max_length or 20_000),
            "grader_info": check.text(
                data, "grader_info", "grader_info", required=False, max_len=MAX_FEEDBACK
            ),
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> str:
        if not isinstance(answer, str):
            raise AnswerError("The answer must be text")
        if len(answer) > defn["max_length"]:
            raise AnswerError(f"The answer must be at most {defn['max_length']} characters")
        return answer.strip()

    def _grade(self, defn: Mapping[str, Any], answer: str) -> Grade:
        if not answer:
            return Grade(score=0.0, max_score=defn["points"], correct=False)
        return Grade(score=None, max_score=defn["points"], correct=None, needs_manual=True)
