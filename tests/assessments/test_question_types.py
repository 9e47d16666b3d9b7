"""Question types: the registry, definition validation and grading, table-driven."""

from __future__ import annotations

import math
from typing import Any

import pytest

from app.assessments.questions import (
    AnswerError,
    GradingError,
    QuestionDefinitionError,
    QuestionTypeRegistry,
    SingleChoice,
    UnknownQuestionTypeError,
    registry,
)
from tests.assessments.question_payloads import (
    PAYLOADS,
    make,
)


def option_ids(defn: dict[str, Any]) -> dict[str, str]:
    """Matching: option text -> option id, as the learner sees them."""
    view = registry.get("matching").learner_view(defn)
    return {option["text_html"]: option["id"] for option in view["options"]}


def test_registry_lists_every_type_and_refuses_unknown_ones() -> None:
    assert registry.keys() == sorted(PAYLOADS)
    with pytest.raises(UnknownQuestionTypeError, match=r"'cloze'.*known types: essay"):
        registry.get("cloze")
    with pytest.raises(LookupError):
        registry.get("cloze")
    own = QuestionTypeRegistry()
    own.register(SingleChoice)
    with pytest.raises(ValueError, match="already registered"):
        own.register(SingleChoice)


@pytest.mark.parametrize("key", sorted(PAYLOADS))
def test_validated_definitions_are_stable(key: str) -> None:
    defn = make(key)
    assert registry.get(key).validate_definition(defn) == defn


@pytest.mark.parametrize(
    ("key", "changes", "path"),
    [
        ("single_choice", {"stem": "  "}, "stem"),
        ("single_choice", {"points": 0}, "points"),
        ("single_choice", {"points": "2"}, "points"),
        ("single_choice", {"points": True}, "points"),
        ("single_choice", {"text_format": "rtf"}, "text_format"),
        ("single_choice", {"colour": "red"}, "colour"),
        ("single_choice", {"choices": [{"text": "x", "correct": True}]}, "choices"),
        ("single_choice", {"choices": [{"text": "x"}, {"text": "y"}]}, "choices"),
        ("single_choice", {"choices": [{"id": "a b", "text": "x", "correct": True}, {"text": "y"}]},
         "choices.0.id"),
        ("single_choice", {"choices": [{"id": "a", "text": "x", "correct": True},
                                       {"id": "a", "text": "y"}]}, "choices.1.id"),
        ("single_choice", {"choices": [{"text": "x", "correct": True}, {"text": "x"}]},
         "choices.1.text"),
        ("single_choice", {"choices": [{"text": "x", "correct": True}, {"text": "y", "weight": 2}]},
         "choices.1.weight"),
        ("multiple_response", {"scoring": "generous"}, "scoring"),
        ("multiple_response", {"choices": [{"text": "x", "weight": 0.5, "correct": True},
                                           {"text": "y"}]}, "choices.0.weight"),
        ("true_false", {"correct": "yes"}, "correct"),
        ("short_answer", {"accepted": []}, "accepted"),
        ("short_answer", {"accepted": [{"text": "a", "weight": 0.5}]}, "accepted"),
        ("short_answer", {"accepted": ["Kompetén", "kompeten"]}, "accepted.1.text"),
        ("numeric", {"value": "abc"}, "value"),
        ("numeric", {"tolerance": -1}, "tolerance"),
        ("numeric", {"accepted": [{"value": 1}]}, "accepted"),
        ("matching", {"pairs": [{"prompt": "a", "match": "b"}]}, "pairs"),
        ("matching", {"pairs": [{"prompt": "a", "match": "b"}, {"prompt": "A", "match": "c"}]},
         "pairs.1.prompt"),
        ("matching", {"distractors": ["Paris"]}, "distractors.0"),
        ("essay", {"max_length": 0}, "max_length"),
    ],
)  # fmt: skip
def test_bad_definitions_name_the_field(key: str, changes: dict[str, Any], path: str) -> None:
    with pytest.raises(QuestionDefinitionError) as caught:
        make(key, **changes)
    assert path in caught.value.details, caught.value.details
    assert caught.value.details[path]
    assert path in str(caught.value)


def test_definition_must_be_an_object() -> None:
    with pytest.raises(QuestionDefinitionError):
        registry.get("essay").validate_definition(["not", "a", "dict"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "answer", "score", "correct"),
    [
        ("single_choice", "a", 2.0, True),
        ("single_choice", "b", 1.0, False),
        ("single_choice", "c", 0.0, False),
        ("single_choice", None, 0.0, False),
        ("multiple_response", ["a", "b", "c"], 3.0, True),
        ("multiple_response", ["c", "b", "a"], 3.0, True),
        ("multiple_response", ["a", "b"], 2.0, False),
        ("multiple_response", ["a", "b", "c", "d"], 2.0, False),
        ("multiple_response", ["a", "d"], 0.0, False),
        ("multiple_response", ["a", "d", "e"], 0.0, False),
        ("multiple_response", [], 0.0, False),
        ("true_false", False, 1.0, True),
        ("true_false", "FALSE", 1.0, True),
        ("true_false", "true", 0.0, False),
        ("short_answer", "  OHM ", 1.0, True),
        ("short_answer", "Ω", 1.0, True),
        ("short_answer", "Omega", 0.5, False),
        ("short_answer", "volt", 0.0, False),
        ("short_answer", "", 0.0, False),
        ("numeric", 1.5, 1.0, True),
        ("numeric", "1,5", 1.0, True),
        ("numeric", " 1.6 ", 1.0, True),
        ("numeric", "1,4", 1.0, True),
        ("numeric", "1,61", 0.0, False),
        ("numeric", 2, 0.0, False),
        ("matching", {"p1": "Jakarta", "p2": "Tokyo", "p3": "Paris"}, 3.0, True),
        ("matching", {"p1": "Jakarta", "p2": "Paris", "p3": "Tokyo"}, 1.0, False),
        ("matching", {"p1": "Jakarta", "p2": "Tokyo"}, 2.0, False),
        ("matching", {"p1": "Roma", "p2": None}, 0.0, False),
    ],
)
def test_grading(key: str, answer: Any, score: float, correct: bool) -> None:
    defn = make(key)
    if key == "matching" and answer:
        ids = option_ids(defn)
        answer = {pair: None if text is None else ids[text] for pair, text in answer.items()}
    grade = registry.get(key).grade(defn, answer)
    assert (grade.score, grade.correct, grade.needs_manual) == (score, correct, False)
    assert grade.max_score == defn["points"]


def test_multiple_response_all_or_nothing() -> None:
    defn = make("multiple_response", scoring="all_or_nothing")
    qtype = registry.get("multiple_response")
    assert qtype.grade(defn, ["a", "b", "c"]).score == 3.0
    assert qtype.grade(defn, ["a", "b"]).score == 0.0
    assert qtype.grade(defn, ["a", "b", "c", "d"]).score == 0.0


def test_feedback_follows_the_answer() -> None:
    assert registry.get("single_choice").grade(make("single_choice"), "b").feedback == "Hampir"
    assert registry.get("true_false").grade(make("true_false"), True).feedback == "Bahaya!"
    assert registry.get("short_answer").grade(make("short_answer"), "x").feedback == (
        "Jawabannya ohm"
    )
    assert registry.get("multiple_response").grade(make("multiple_response"), ["d"]).feedback == (
        "Sandal bukan APD"
    )


@pytest.mark.parametrize(
    ("accepted", "case_sensitive", "answer", "correct"),
    [
        ("kompeten", False, "Kompetén", True),
        ("Kompetén", False, "KOMPETEN", True),
        ("Kompeten", True, "Kompetén", True),
        ("Kompeten", True, "kompeten", False),
        ("pengantar kerja", False, " Pengantar\t  KERJA ", True),
        ("Ångström", False, "angstrom", True),
        ("ﬁle", False, "file", True),
    ],
)
def test_short_answer_normalisation(
    accepted: str, case_sensitive: bool, answer: str, correct: bool
) -> None:
    defn = make("short_answer", accepted=[accepted], case_sensitive=case_sensitive)
    assert registry.get("short_answer").grade(defn, answer).correct is correct


def test_numeric_tolerance_and_weights() -> None:
    defn = make(
        "numeric",
        {"stem": "pi?", "accepted": [{"value": "3,14", "tolerance": "0,005"},
                                     {"value": 3, "tolerance": 0.2, "weight": 0.5,
                                      "feedback": "kasar"}]},
    )  # fmt: skip
    qtype = registry.get("numeric")
    assert qtype.grade(defn, "3,145").score == 1.0
    assert qtype.grade(defn, "3.1").score == 0.5
    assert qtype.grade(defn, "3.1").feedback == "kasar"
    assert qtype.grade(defn, "2,7").score == 0.0
    assert qtype.grade(defn, "-2e3").score == 0.0


@pytest.mark.parametrize(
    ("key", "answer"),
    [
        ("single_choice", "z"),
        ("single_choice", 1),
        ("single_choice", ["a"]),
        ("multiple_response", "a"),
        ("multiple_response", ["a", "a"]),
        ("multiple_response", ["a", "z"]),
        ("multiple_response", [1]),
        ("true_false", "maybe"),
        ("true_false", 1),
        ("short_answer", 42),
        ("short_answer", "x" * 256),
        ("numeric", "abc"),
        ("numeric", True),
        ("numeric", "1.234,5"),
        ("numeric", "1,2,3"),
        ("numeric", "nan"),
        ("numeric", math.inf),
        ("numeric", [1.5]),
        ("matching", "Jakarta"),
        ("matching", {"p9": "x"}),
        ("matching", {"p1": "Jakarta"}),
        ("essay", 42),
        ("essay", "x" * 20_001),
    ],
)
def test_answers_of_the_wrong_shape_are_refused(key: str, answer: Any) -> None:
    with pytest.raises(AnswerError):
        registry.get(key).grade(make(key), answer)


def test_essay_waits_for_a_grader() -> None:
    qtype, defn = registry.get("essay"), make("essay")
    pending = qtype.grade(defn, "Keselamatan, kesehatan, lingkungan.")
    assert (pending.score, pending.correct, pending.needs_manual) == (None, None, True)
    assert qtype.grade(defn, "   ").score == 0.0
    marked = qtype.grade_manual(defn, 7.5, feedback="Baik")
    assert (marked.score, marked.max_score, marked.needs_manual) == (7.5, 10.0, False)
    for bad in (-1, 10.5, math.nan, True, "7"):
        with pytest.raises(GradingError):
            qtype.grade_manual(defn, bad)  # type: ignore[arg-type]
