"""Choice-based question types: single_choice, multiple_response and true_false.

Choice shape (normalised)::

    {"id": "c1", "text": "Obeng", "correct": true, "weight": 1.0, "feedback": "..." | null}

``weight`` exists on single_choice only: the fraction of the points a wrong-but-close choice
earns (0 <= weight < 1); a correct choice always weighs 1. A choice without an ``id`` gets an
opaque one derived from its text. A learner never sees these ids: the attempt shows each
choice under a token (``token(id)``, an HMAC per attempt) and answers in tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .base import (
    MAX_FEEDBACK,
    AnswerError,
    DefinitionChecker,
    Grade,
    QuestionType,
    scaled,
)
from .registry import register
from .values import stable_shuffle

SCORING_RULES = ("partial", "all_or_nothing")


def _check_choices(check: DefinitionChecker, *, weighted: bool) -> list[dict[str, Any]]:
    choices: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for path, item in check.items("choices", minimum=2, maximum=26):
        if not isinstance(item, Mapping):
            check.add(path, "must be an object")
            continue
        for field in item:
            if field not in {"id", "text", "correct", "weight", "feedback"} or (
                field == "weight" and not weighted
            ):
                check.add(f"{path}.{field}", "unknown field")
        text = check.text(item, "text", f"{path}.text")
        choice_id = check.item_id(item, path, text, "c")
        if choice_id in seen_ids:
            check.add(f"{path}.id", "duplicates another choice's id")
        if text is not None and text in seen_texts:
            check.add(f"{path}.text", "duplicates another choice")
        seen_ids.add(choice_id)
        seen_texts.add(text or "")
        correct = check.flag(item, "correct", f"{path}.correct", False)
        choice: dict[str, Any] = {"id": choice_id, "text": text, "correct": correct}
        if weighted:
            weight = check.number(
                item, "weight", f"{path}.weight", default=float(correct), minimum=0.0, maximum=1.0
            )
            if correct and weight is not None and weight != 1.0:
                check.add(f"{path}.weight", "a correct choice always weighs 1")
            if not correct and weight == 1.0:
                check.add(f"{path}.weight", "a choice worth full marks must be marked correct")
            choice["weight"] = 1.0 if correct else weight
        choice["feedback"] = check.text(
            item, "feedback", f"{path}.feedback", required=False, max_len=MAX_FEEDBACK
        )
        choices.append(choice)
    if choices and not any(choice["correct"] for choice in choices):
        check.add("choices", "needs at least one correct choice")
    return choices


def _choice_ids(defn: Mapping[str, Any]) -> set[str]:
    return {choice["id"] for choice in defn["choices"]}


class _ChoiceType(QuestionType):
    def mask_view(
        self, defn: Mapping[str, Any], view: dict[str, Any], token: Callable[[str], str]
    ) -> dict[str, Any]:
        masked = dict(view)
        masked["choices"] = [{**choice, "id": token(choice["id"])} for choice in view["choices"]]
        if "correct_ids" in view:
            masked["correct_ids"] = [token(choice_id) for choice_id in view["correct_ids"]]
        return masked

    def mask_answer(self, defn: Mapping[str, Any], answer: Any, token: Callable[[str], str]) -> Any:
        if isinstance(answer, str):
            return token(answer)
        if isinstance(answer, list | tuple):
            return [token(choice_id) for choice_id in answer]
        return answer

    def unmask_answer(
        self, defn: Mapping[str, Any], answer: Any, token: Callable[[str], str]
    ) -> Any:
        ids = {token(choice["id"]): choice["id"] for choice in defn["choices"]}

        def unmask(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            if value not in ids:
                raise AnswerError("That choice is not part of this question")
            return ids[value]

        if isinstance(answer, list | tuple):
            return [unmask(value) for value in answer]
        return unmask(answer)

    def _learner_extra(self, defn: Mapping[str, Any], shuffle_seed: int | None) -> dict[str, Any]:
        choices = list(defn["choices"])
        if shuffle_seed is not None and defn.get("shuffle", True):
            choices = stable_shuffle(choices, shuffle_seed, key=lambda choice: choice["id"])
        return {
            "choices": [
                {"id": choice["id"], "text_html": self.render(defn, choice["text"], inline=True)}
                for choice in choices
            ]
        }

    def _review_extra(self, defn: Mapping[str, Any], answer: Any) -> dict[str, Any]:
        if answer is None:
            selected: set[str] = set()
        else:
            selected = {answer} if isinstance(answer, str) else set(answer)
        return {
            "choices": [
                {
                    "id": choice["id"],
                    "text_html": self.render(defn, choice["text"], inline=True),
                    "correct": choice["correct"],
                    "selected": choice["id"] in selected,
                    "feedback_html": self.render(defn, choice["feedback"]),
                }
                for choice in defn["choices"]
            ],
            "correct_ids": [choice["id"] for choice in defn["choices"] if choice["correct"]],
        }


@register
class SingleChoice(_ChoiceType):
    """One choice is picked. Definition: ``choices`` (2-26, at least one correct; others may
    carry a partial ``weight``), ``shuffle`` (default true). Answer: a choice id."""

    key = "single_choice"
    label = "single choice"
    fields = frozenset({"choices", "shuffle"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        return {
            "choices": _check_choices(check, weighted=True),
            "shuffle": check.flag(check.data, "shuffle", "shuffle", True),
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> str:
        if not isinstance(answer, str):
            raise AnswerError("Pick one choice")
        if answer not in _choice_ids(defn):
            raise AnswerError("That choice is not part of this question")
        return answer

    def _grade(self, defn: Mapping[str, Any], answer: str) -> Grade:
        choice = next(choice for choice in defn["choices"] if choice["id"] == answer)
        return Grade(
            score=scaled(choice["weight"], defn["points"]),
            max_score=defn["points"],
            correct=choice["correct"],
            feedback=choice["feedback"],
        )


@register
class MultipleResponse(_ChoiceType):
    """Any number of choices are picked. Definition: ``choices`` (at least one correct),
    ``scoring`` ("partial" default, or "all_or_nothing"), ``shuffle``. Answer: a list of ids.

    Partial: with k correct choices, each correct one picked earns 1/k, each wrong one picked
    costs 1/k, and the total is floored at 0.
    """

    key = "multiple_response"
    label = "multiple response"
    fields = frozenset({"choices", "shuffle", "scoring"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        return {
            "choices": _check_choices(check, weighted=False),
            "scoring": check.choice(check.data, "scoring", "scoring", SCORING_RULES),
            "shuffle": check.flag(check.data, "shuffle", "shuffle", True),
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> list[str]:
        if not isinstance(answer, list | tuple) or not all(isinstance(a, str) for a in answer):
            raise AnswerError("The answer must be a list of choice ids")
        if len(set(answer)) != len(answer):
            raise AnswerError("A choice was picked more than once")
        if not set(answer) <= _choice_ids(defn):
            raise AnswerError("That choice is not part of this question")
        order = [choice["id"] for choice in defn["choices"]]
        return sorted(answer, key=order.index)

    def _grade(self, defn: Mapping[str, Any], answer: list[str]) -> Grade:
        picked = set(answer)
        right = {choice["id"] for choice in defn["choices"] if choice["correct"]}
        exact = picked == right
        if defn["scoring"] == "all_or_nothing":
            fraction = 1.0 if exact else 0.0
        else:
            fraction = (len(picked & right) - len(picked - right)) / len(right)
        feedback = "\n\n".join(
            choice["feedback"]
            for choice in defn["choices"]
            if choice["id"] in picked and choice["feedback"]
        )
        return Grade(
            score=scaled(fraction, defn["points"]),
            max_score=defn["points"],
            correct=exact,
            feedback=feedback or None,
        )


@register
class TrueFalse(QuestionType):
    """Definition: ``correct`` (bool), ``feedback_true`` / ``feedback_false`` (shown to whoever
    answered true / false). Answer: a bool, or the text "true" / "false"."""

    key = "true_false"
    label = "true/false"
    fields = frozenset({"correct", "feedback_true", "feedback_false"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        data = check.data
        if not isinstance(data.get("correct"), bool):
            check.add("correct", "is required and must be true or false")
        return {
            "correct": data.get("correct") is True,
            "feedback_true": check.text(
                data, "feedback_true", "feedback_true", required=False, max_len=MAX_FEEDBACK
            ),
            "feedback_false": check.text(
                data, "feedback_false", "feedback_false", required=False, max_len=MAX_FEEDBACK
            ),
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> bool:
        if isinstance(answer, bool):
            return answer
        if isinstance(answer, str) and answer.strip().lower() in {"true", "false"}:
            return answer.strip().lower() == "true"
        raise AnswerError("The answer must be true or false")

    def _grade(self, defn: Mapping[str, Any], answer: bool) -> Grade:
        correct = answer == defn["correct"]
        return Grade(
            score=defn["points"] if correct else 0.0,
            max_score=defn["points"],
            correct=correct,
            feedback=defn["feedback_true"] if answer else defn["feedback_false"],
        )

    def _review_extra(self, defn: Mapping[str, Any], answer: Any) -> dict[str, Any]:
        return {"correct_answer": defn["correct"]}
