"""Pluggable question types: validation, the learner's view, grading and review.

Pure logic, no Flask and no database. Usage::

    from app.assessments.questions import registry

    qtype = registry.get("single_choice")
    defn = qtype.validate_definition(payload)         # store (qtype.key, defn)
    view = qtype.learner_view(defn, shuffle_seed=attempt_seed)
    grade = qtype.grade(defn, submitted_answer)
"""

from . import matching, registry, text_types, types
from .base import (
    AnswerError,
    Grade,
    GradingError,
    QuestionDefinitionError,
    QuestionError,
    QuestionType,
    UnknownQuestionTypeError,
)
from .markdown import render_text, sanitize_html, sanitize_markdown
from .matching import Matching
from .registry import QuestionTypeRegistry
from .text_types import Essay, Numeric, ShortAnswer
from .types import MultipleResponse, SingleChoice, TrueFalse
from .values import normalise_text, parse_number

__all__ = [
    "AnswerError",
    "Essay",
    "Grade",
    "GradingError",
    "Matching",
    "MultipleResponse",
    "Numeric",
    "QuestionDefinitionError",
    "QuestionError",
    "QuestionType",
    "QuestionTypeRegistry",
    "ShortAnswer",
    "SingleChoice",
    "TrueFalse",
    "UnknownQuestionTypeError",
    "matching",
    "normalise_text",
    "parse_number",
    "registry",
    "render_text",
    "sanitize_html",
    "sanitize_markdown",
    "text_types",
    "types",
]
