"""Moodle XML import.

Reads ``<quiz><question type="...">`` files as Moodle exports them. Supported types:
multichoice (``<single>true</single>`` -> single_choice, otherwise multiple_response, where a
positive ``fraction`` marks a correct choice), truefalse, shortanswer (``<usecase>``),
numerical (``<tolerance>``), matching and essay. ``category`` entries are skipped; other
types (cloze, description, calculated, drag and drop...) are reported as not importable.

Parsing goes through defusedxml, which refuses entity declarations (billion laughs,
quadratic blowup) and external references before any expansion happens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.assessments.questions import parse_number

from .base import ImportFormatError, ImportResult, check_count

_FORMATS = {
    "html": "html",
    "moodle_auto_format": "html",
    "markdown": "markdown",
    "plain_text": "plain",
}
SKIPPED = frozenset({"category"})


class _Skip(ValueError):
    """The question cannot be imported; the message says why."""


def parse_moodle_xml(data: str | bytes, max_questions: int | None = None) -> ImportResult:
    """Parse a Moodle XML file. Raises ``ImportFormatError`` if the file as a whole is not
    readable; a question that cannot be imported becomes an error with its position."""
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        raise ImportFormatError(
            f"The file uses XML features that are refused for safety ({type(exc).__name__})"
        ) from None
    except ParseError as exc:
        raise ImportFormatError(f"The file is not well-formed XML: {exc}") from None
    if root.tag != "quiz":
        raise ImportFormatError(f"The root element is <{root.tag}>, not <quiz>")

    elements = root.findall("question")
    check_count(sum(e.get("type", "") not in SKIPPED for e in elements), max_questions)
    result = ImportResult()
    for index, element in enumerate(elements, start=1):
        qtype = element.get("type", "")
        if qtype in SKIPPED:
            continue
        reader = _READERS.get(qtype)
        if reader is None:
            result.error(index, f"Question type {qtype!r} cannot be imported")
            continue
        try:
            type_key, specific = reader(element)
            definition = {**_common(element), **specific}
        except _Skip as exc:
            result.error(index, str(exc))
            continue
        result.add(type_key, definition, _text(element.find("name")), index)
    return result


def _text(element: Element | None) -> str | None:
    """The ``<text>`` child of ``element``, stripped; ``None`` if absent or blank."""
    if element is None:
        return None
    value = element.findtext("text")
    return value.strip() if value and value.strip() else None


def _feedback(element: Element) -> str | None:
    return _text(element.find("feedback"))


def _fraction(answer: Element) -> float:
    try:
        return parse_number(answer.get("fraction", "0")) / 100
    except ValueError:
        raise _Skip(f"An answer has a bad fraction {answer.get('fraction')!r}") from None


def _flag(element: Element, tag: str, default: bool) -> bool:
    value = (element.findtext(tag) or "").strip().lower()
    if not value:
        return default
    return value in {"1", "true"}


def _common(element: Element) -> dict[str, Any]:
    question_text = element.find("questiontext")
    text_format = "html" if question_text is None else question_text.get("format", "html")
    definition: dict[str, Any] = {
        "stem": _text(question_text),
        "text_format": _FORMATS.get(text_format, "html"),
        "general_feedback": _text(element.find("generalfeedback")),
    }
    grade = (element.findtext("defaultgrade") or "").strip()
    if grade:
        try:
            definition["points"] = parse_number(grade)
        except ValueError:
            raise _Skip(f"The default grade {grade!r} is not a number") from None
    return definition


def _multichoice(element: Element) -> tuple[str, dict[str, Any]]:
    single = _flag(element, "single", True)
    shuffle = _flag(element, "shuffleanswers", True)
    choices = []
    for answer in element.findall("answer"):
        fraction = _fraction(answer)
        choice: dict[str, Any] = {"text": _text(answer), "feedback": _feedback(answer)}
        if single:
            weight = min(max(fraction, 0.0), 1.0)
            choice.update(correct=weight >= 0.9999, weight=1.0 if weight >= 0.9999 else weight)
        else:
            choice["correct"] = fraction > 0
        choices.append(choice)
    if single:
        return "single_choice", {"choices": choices, "shuffle": shuffle}
    return "multiple_response", {"choices": choices, "shuffle": shuffle, "scoring": "partial"}


def _truefalse(element: Element) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {}
    for answer in element.findall("answer"):
        side = (_text(answer) or "").lower()
        if side not in {"true", "false"}:
            raise _Skip(f"A true/false answer reads {side!r}, not 'true' or 'false'")
        spec[f"feedback_{side}"] = _feedback(answer)
        if _fraction(answer) >= 0.9999:
            spec["correct"] = side == "true"
    if "correct" not in spec:
        raise _Skip("The true/false question has no answer worth 100%")
    return "true_false", spec


def _catch_all_feedback(answer: Element, spec: dict[str, Any]) -> bool:
    """Moodle's ``*`` answer at 0% carries the feedback for any other answer."""
    if (_text(answer) or "") == "*" and _fraction(answer) <= 0:
        spec["feedback_incorrect"] = _feedback(answer)
        return True
    return False


def _shortanswer(element: Element) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {"case_sensitive": _flag(element, "usecase", False), "accepted": []}
    for answer in element.findall("answer"):
        if _catch_all_feedback(answer, spec):
            continue
        fraction = _fraction(answer)
        if fraction <= 0:
            continue
        text = _text(answer)
        if text and "*" in text:
            raise _Skip(f"Wildcard answers ({text!r}) are not supported")
        spec["accepted"].append(
            {"text": text, "weight": min(fraction, 1.0), "feedback": _feedback(answer)}
        )
    return "short_answer", spec


def _numerical(element: Element) -> tuple[str, dict[str, Any]]:
    spec: dict[str, Any] = {"accepted": []}
    for answer in element.findall("answer"):
        if _catch_all_feedback(answer, spec):
            continue
        fraction = _fraction(answer)
        if fraction <= 0:
            continue
        value = _text(answer)
        tolerance = (answer.findtext("tolerance") or "0").strip() or "0"
        spec["accepted"].append(
            {
                "value": value,
                "tolerance": tolerance,
                "weight": min(fraction, 1.0),
                "feedback": _feedback(answer),
            }
        )
    return "numeric", spec


def _matching(element: Element) -> tuple[str, dict[str, Any]]:
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        prompt, match = _text(sub), _text(sub.find("answer"))
        if prompt:
            pairs.append({"prompt": prompt, "match": match})
        elif match:
            distractors.append(match)
    spec = {
        "pairs": pairs,
        "distractors": distractors,
        "shuffle": _flag(element, "shuffleanswers", True),
    }
    return "matching", spec


def _essay(element: Element) -> tuple[str, dict[str, Any]]:
    return "essay", {"grader_info": _text(element.find("graderinfo"))}


_READERS: dict[str, Callable[[Element], tuple[str, dict[str, Any]]]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "essay": _essay,
}
