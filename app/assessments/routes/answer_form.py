"""Reading a question's answer from form fields. The attempt page posts them as a plain
form (no JavaScript needed), and the page's script sends the same fields as JSON, so both
paths share this one parser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.assessments.models import Question


def field_name(question_id: int) -> str:
    return f"q{question_id}"


def answer_from_fields(question: Question, get: Callable[[str], list[str]]) -> Any:
    """The answer value for the registry, or None when nothing was given. `get(name)` returns
    every value posted under a name."""
    name = field_name(question.id)
    kind = question.type_key
    if kind == "multiple_response":
        values = [v for v in get(name) if v]
        return values or None
    if kind == "matching":
        pairs = {
            pair["id"]: (get(f"{name}.{pair['id']}") or [""])[0]
            for pair in question.definition["pairs"]
        }
        chosen = {prompt: option for prompt, option in pairs.items() if option}
        return chosen or None
    value = (get(name) or [""])[0]
    if kind == "essay":
        return value if value.strip() else None
    value = value.strip()
    return value or None
