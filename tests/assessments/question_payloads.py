"""Question definitions of every type, shared by the question-type tests."""

from __future__ import annotations

from typing import Any

from app.assessments.questions import registry

SINGLE = {
    "stem": "Alat untuk mengencangkan **sekrup**?",
    "points": 2,
    "general_feedback": "Obeng dipakai untuk sekrup.",
    "choices": [
        {"id": "a", "text": "Obeng", "correct": True, "feedback": "Betul sekali"},
        {"id": "b", "text": "Kunci pas", "weight": 0.5, "feedback": "Hampir"},
        {"id": "c", "text": "Palu", "feedback": "Bukan"},
    ],
}
MULTI = {
    "stem": "Pilih semua APD",
    "points": 3,
    "choices": [
        {"id": "a", "text": "Helm", "correct": True},
        {"id": "b", "text": "Sarung tangan", "correct": True},
        {"id": "c", "text": "Sepatu safety", "correct": True},
        {"id": "d", "text": "Sandal", "feedback": "Sandal bukan APD"},
        {"id": "e", "text": "Kaos"},
    ],
}
TRUE_FALSE = {"stem": "Listrik aman disentuh.", "correct": False, "feedback_true": "Bahaya!"}
SHORT = {
    "stem": "Satuan hambatan listrik?",
    "accepted": ["ohm", {"text": "Ω", "weight": 1}, {"text": "omega", "weight": 0.5}],
    "feedback_incorrect": "Jawabannya ohm",
}
NUMERIC = {"stem": "Berapa volt baterai AA?", "value": "1,5", "tolerance": 0.1}
MATCHING = {
    "stem": "Pasangkan",
    "points": 3,
    "pairs": [
        {"id": "p1", "prompt": "Indonesia", "match": "Jakarta"},
        {"id": "p2", "prompt": "Jepang", "match": "Tokyo"},
        {"id": "p3", "prompt": "Prancis", "match": "Paris"},
    ],
    "distractors": ["Roma"],
}
ESSAY = {"stem": "Jelaskan K3.", "points": 10, "grader_info": "Sebut minimal 3 prinsip."}
PAYLOADS = {
    "single_choice": SINGLE,
    "multiple_response": MULTI,
    "true_false": TRUE_FALSE,
    "short_answer": SHORT,
    "numeric": NUMERIC,
    "matching": MATCHING,
    "essay": ESSAY,
}


def make(key: str, payload: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    return registry.get(key).validate_definition({**(payload or PAYLOADS[key]), **changes})
