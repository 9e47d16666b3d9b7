"""Moodle GIFT import.

Questions are separated by blank lines; lines starting with ``//`` are comments; ``::title::``
names a question; the answer block ``{...}`` decides the type:

- ``{}``: essay.
- ``{T}`` ``{F}`` ``{TRUE}`` ``{FALSE}``: true_false; ``{T#if wrong#if right}`` as in Moodle.
- ``{=a ~b ~%50%c}``: single_choice; a weighted wrong answer earns that share.
- ``{~%50%a ~%50%b ~%-100%c}`` (no ``=``): multiple_response; a positive weight marks a
  correct choice, and scoring follows the "partial" rule rather than the weights.
- ``{=a =%50%b}`` (only ``=``): short_answer; ``=%0%`` answers are dropped.
- ``{#3.5:0.1}`` ``{#1..5}`` ``{#=3:1 =%50%3:2}``: numeric.
- ``{=a -> 1 =b -> 2 = -> spare}``: matching, at least 2 pairs; an empty left side is a
  distractor.

``#text`` after an answer is its feedback, ``####text`` the general feedback; ``\\~ \\= \\#
\\{ \\} \\:`` escape and ``\\n`` is a newline. Text after the closing brace makes a
missing-word stem (``_____``). ``[markdown]`` ``[html]`` ``[plain]`` ``[moodle]`` before the
stem set its format (``[moodle]`` is read as HTML, no marker as markdown). ``$CATEGORY:``
blocks are skipped. A question that breaks these rules is reported with its line number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from app.assessments.questions import parse_number

from .base import ImportResult, check_count, decode

# Escaped characters are swapped for private-use code points while parsing, then restored.
_ESCAPES = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
}
_RESTORE = {code: char for char, code in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"\\(.)")
_WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_FORMAT_RE = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
_FORMATS = {"markdown": "markdown", "html": "html", "plain": "plain", "moodle": "html"}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
BLANK = "_____"


class GiftSyntaxError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class _Block:
    """One question's text with escapes swapped out, and a map from offsets to file lines."""

    text: str
    offsets: list[int]
    lines: list[int]

    def line_at(self, offset: int) -> int:
        return self.lines[max(bisect.bisect_right(self.offsets, offset) - 1, 0)]


def _swap_escapes(line: str) -> str:
    def swap(match: re.Match[str]) -> str:
        char = match.group(1)
        if char == "n":
            return "\n"
        return _ESCAPES.get(char, match.group(0))

    return _ESCAPE_RE.sub(swap, line)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text).strip()


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if current:
            offsets, position = [], 0
            for _, line in current:
                offsets.append(position)
                position += len(line) + 1
            joined = "\n".join(line for _, line in current)
            blocks.append(_Block(joined, offsets, [number for number, _ in current]))
            current.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            flush()
        elif not raw.lstrip().startswith("//"):
            current.append((number, _swap_escapes(raw)))
    flush()
    return blocks


def parse_gift(data: str | bytes, max_questions: int | None = None) -> ImportResult:
    """Parse a GIFT file. Bad questions become ``errors`` with their line; the rest import."""
    result = ImportResult()
    blocks = [
        block
        for block in _blocks(decode(data))
        if not block.text.lstrip().upper().startswith("$CATEGORY:")
    ]
    check_count(len(blocks), max_questions)
    for block in blocks:
        try:
            type_key, definition, name = _parse_question(block)
        except GiftSyntaxError as exc:
            result.error(exc.line, str(exc))
            continue
        result.add(type_key, definition, name, block.lines[0])
    return result


def _parse_question(block: _Block) -> tuple[str, dict[str, Any], str | None]:
    text, name, start = block.text, None, 0
    if text.lstrip().startswith("::"):
        open_at = text.index("::")
        close_at = text.find("::", open_at + 2)
        if close_at < 0:
            raise GiftSyntaxError("The question title has no closing '::'", block.line_at(open_at))
        name = _restore(text[open_at + 2 : close_at])
        start = close_at + 2
    brace = text.find("{", start)
    if brace < 0:
        raise GiftSyntaxError(
            "The question has no answer block '{...}' (descriptions are not imported)",
            block.line_at(start),
        )
    close = text.find("}", brace)
    if close < 0:
        raise GiftSyntaxError("The answer block '{' is never closed", block.line_at(brace))
    if "{" in text[brace + 1 : close]:
        raise GiftSyntaxError("An answer block opens inside another", block.line_at(brace))
    after = text[close + 1 :]
    if "{" in after or "}" in after:
        where = close + 1 + min(i for i in (after.find("{"), after.find("}")) if i >= 0)
        raise GiftSyntaxError("Only one answer block is allowed per question", block.line_at(where))

    before = text[start:brace]
    text_format = "markdown"
    marker = _FORMAT_RE.match(before)
    if marker:
        text_format = _FORMATS[marker.group(1).lower()]
        before = before[marker.end() :]
    stem = _restore(before + BLANK + after if _restore(after) else before)
    answers, general_feedback = _split_general_feedback(text[brace + 1 : close])
    definition: dict[str, Any] = {"stem": stem, "text_format": text_format}
    if general_feedback:
        definition["general_feedback"] = general_feedback
    type_key, specific = _parse_answers(answers, block.line_at(brace))
    definition.update(specific)
    return type_key, definition, name


def _split_general_feedback(answers: str) -> tuple[str, str | None]:
    at = answers.rfind("####")
    if at < 0:
        return answers.strip(), None
    return answers[:at].strip(), _restore(answers[at + 4 :]) or None


def _parse_answers(answers: str, line: int) -> tuple[str, dict[str, Any]]:
    if not answers:
        return "essay", {}
    if answers.startswith("#"):
        return "numeric", _numeric(answers[1:].strip(), line)
    if "=" in answers or "~" in answers:
        return _choices(_items(answers, line), line)
    head, _, feedback = answers.partition("#")
    value = _TRUE_FALSE.get(head.strip().upper())
    if value is None:
        raise GiftSyntaxError("The answer block is not a known kind: use =, ~, #, T or F", line)
    wrong_feedback, _, right_feedback = feedback.partition("#")
    spec: dict[str, Any] = {"correct": value}
    spec["feedback_true" if value else "feedback_false"] = _restore(right_feedback) or None
    spec["feedback_false" if value else "feedback_true"] = _restore(wrong_feedback) or None
    return "true_false", spec


_Item = tuple[str, float | None, str, str | None]


def _items(answers: str, line: int) -> list[_Item]:
    """Split ``=a#fb ~%50%b`` into (marker, weight, text, feedback) tuples."""
    starts = [i for i, char in enumerate(answers) if char in "=~"]
    if answers[: starts[0]].strip():
        raise GiftSyntaxError("There is text before the first answer in the block", line)
    items: list[_Item] = []
    for number, (begin, end) in enumerate(
        zip(starts, [*starts[1:], len(answers)], strict=True), start=1
    ):
        chunk = answers[begin + 1 : end]
        weight = None
        match = _WEIGHT_RE.match(chunk)
        if match:
            weight = float(match.group(1)) / 100
            chunk = chunk[match.end() :]
        body, _, feedback = chunk.partition("#")
        if not _restore(body):
            raise GiftSyntaxError(f"Answer {number} in the block is empty", line)
        items.append((answers[begin], weight, body, _restore(feedback) or None))
    return items


def _choices(items: list[_Item], line: int) -> tuple[str, dict[str, Any]]:
    if any("->" in body for marker, _, body, _ in items if marker == "="):
        return "matching", _matching(items, line)
    if all(marker == "=" for marker, *_ in items):
        accepted = [
            {"text": _restore(body), "weight": 1.0 if weight is None else weight, "feedback": fb}
            for _, weight, body, fb in items
            if weight is None or weight > 0
        ]
        return "short_answer", {"accepted": accepted}
    if any(marker == "=" for marker, *_ in items):
        choices = []
        for marker, weight, body, feedback in items:
            share = 1.0 if marker == "=" else min(max(weight or 0.0, 0.0), 1.0)
            choices.append(
                {
                    "text": _restore(body),
                    "correct": share == 1.0,
                    "weight": share,
                    "feedback": feedback,
                }
            )
        return "single_choice", {"choices": choices}
    choices = [
        {"text": _restore(body), "correct": (weight or 0.0) > 0, "feedback": feedback}
        for _, weight, body, feedback in items
    ]
    return "multiple_response", {"choices": choices, "scoring": "partial"}


def _matching(items: list[_Item], line: int) -> dict[str, Any]:
    pairs, distractors = [], []
    for number, (marker, _, body, _) in enumerate(items, start=1):
        prompt, arrow, match = body.partition("->")
        if marker != "=" or not arrow:
            raise GiftSyntaxError(f"Matching answer {number} must look like '=item -> match'", line)
        if not _restore(match):
            raise GiftSyntaxError(f"Matching answer {number} has nothing after '->'", line)
        if _restore(prompt):
            pairs.append({"prompt": _restore(prompt), "match": _restore(match)})
        else:
            distractors.append(_restore(match))
    if len(pairs) < 2:
        raise GiftSyntaxError("A matching question needs at least 2 pairs", line)
    return {"pairs": pairs, "distractors": distractors}


def _numeric(answers: str, line: int) -> dict[str, Any]:
    if not answers:
        raise GiftSyntaxError("The numeric answer block has no answer", line)
    if "=" in answers or "~" in answers:
        entries = [(w, body, fb) for marker, w, body, fb in _items(answers, line) if marker == "="]
    else:
        body, _, feedback = answers.partition("#")
        entries = [(None, body, _restore(feedback) or None)]
    accepted = []
    for weight, body, feedback in entries:
        if weight is not None and weight <= 0:
            continue
        value, tolerance = _numeric_value(_restore(body), line)
        accepted.append(
            {
                "value": value,
                "tolerance": tolerance,
                "weight": min(weight or 1.0, 1.0),
                "feedback": feedback,
            }
        )
    if not accepted:
        raise GiftSyntaxError("The numeric answer block has no correct answer", line)
    return {"accepted": accepted}


def _numeric_value(text: str, line: int) -> tuple[float, float]:
    """``v``, ``v:tolerance`` or ``low..high`` as (value, tolerance)."""
    low_text, dots, high_text = text.partition("..")
    value_text, _, tolerance_text = text.partition(":")
    try:
        if dots:
            low, high = parse_number(low_text), parse_number(high_text)
        else:
            value = parse_number(value_text)
            tolerance = parse_number(tolerance_text) if tolerance_text.strip() else 0.0
    except ValueError as exc:
        raise GiftSyntaxError(f"The numeric answer {text!r} {exc}", line) from None
    if not dots:
        return value, tolerance
    if high < low:
        raise GiftSyntaxError(f"The range {text!r} ends below its start", line)
    return (low + high) / 2, (high - low) / 2
