"""The matching question type: prompts are each matched to one option.

The options a learner sees are the pairs' matches plus any distractors, deduplicated by text,
with ids derived from the text alone (``m`` + hash) and never listed in pair order, so neither
their ids nor their order reveal which prompt they belong to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import MAX_SHORT_TEXT, AnswerError, DefinitionChecker, Grade, QuestionType, scaled
from .registry import register
from .values import normalise_text, opaque_id, stable_shuffle


def _options(defn: Mapping[str, Any]) -> dict[str, str]:
    """Option id -> text, over the matches and distractors."""
    texts = [pair["match"] for pair in defn["pairs"]] + list(defn["distractors"])
    return {opaque_id("m", text): text for text in texts}


@register
class Matching(QuestionType):
    """Definition: ``pairs`` (2-30 of ``{"id", "prompt", "match"}``), ``distractors`` (extra
    options that match nothing), ``shuffle`` (prompts; default true). Answer: a mapping of
    pair id to option id; unanswered pairs may be left out. Each correct pair earns
    1/len(pairs) of the points."""

    key = "matching"
    label = "matching"
    fields = frozenset({"pairs", "distractors", "shuffle"})

    def _validate(self, check: DefinitionChecker) -> dict[str, Any]:
        pairs: list[dict[str, Any]] = []
        seen_ids: set[str] = set()
        seen_prompts: set[str] = set()
        for path, item in check.items("pairs", minimum=2, maximum=30):
            if not isinstance(item, Mapping):
                check.add(path, "must be an object")
                continue
            for field in item:
                if field not in {"id", "prompt", "match"}:
                    check.add(f"{path}.{field}", "unknown field")
            prompt = check.text(item, "prompt", f"{path}.prompt")
            match = check.text(item, "match", f"{path}.match")
            pair_id = check.item_id(item, path, prompt, "p")
            if pair_id in seen_ids:
                check.add(f"{path}.id", "duplicates another pair's id")
            if prompt is not None and normalise_text(prompt) in seen_prompts:
                check.add(f"{path}.prompt", "duplicates another prompt")
            seen_ids.add(pair_id)
            seen_prompts.add(normalise_text(prompt or ""))
            pairs.append({"id": pair_id, "prompt": prompt, "match": match})
        matches = {pair["match"] for pair in pairs}
        distractors: list[str] = []
        raw = check.data.get("distractors", [])
        if not isinstance(raw, list | tuple):
            check.add("distractors", "must be a list")
            raw = []
        for index, text in enumerate(raw):
            path = f"distractors.{index}"
            if not isinstance(text, str) or not text.strip():
                check.add(path, "must be non-empty text")
            elif len(text) > MAX_SHORT_TEXT:
                check.add(path, f"must be at most {MAX_SHORT_TEXT} characters")
            elif text.strip() in matches or text.strip() in distractors:
                check.add(path, "duplicates a match or another distractor")
            else:
                distractors.append(text.strip())
        return {
            "pairs": pairs,
            "distractors": distractors,
            "shuffle": check.flag(check.data, "shuffle", "shuffle", True),
        }

    def _learner_extra(self, defn: Mapping[str, Any], shuffle_seed: int | None) -> dict[str, Any]:
        prompts = list(defn["pairs"])
        options = list(_options(defn).items())
        if shuffle_seed is None:
            options.sort(key=lambda option: (normalise_text(option[1]), option[1]))
        else:
            options = stable_shuffle(options, shuffle_seed, key=lambda option: option[0])
            if defn.get("shuffle", True):
                prompts = stable_shuffle(prompts, shuffle_seed, key=lambda pair: pair["id"])
        return {
            "prompts": [
                {"id": pair["id"], "text_html": self.render(defn, pair["prompt"], inline=True)}
                for pair in prompts
            ],
            "options": [
                {"id": option_id, "text_html": self.render(defn, text, inline=True)}
                for option_id, text in options
            ],
        }

    def validate_answer(self, defn: Mapping[str, Any], answer: Any) -> dict[str, str]:
        if not isinstance(answer, Mapping):
            raise AnswerError("The answer must map each prompt to an option")
        pair_ids = {pair["id"] for pair in defn["pairs"]}
        options = _options(defn)
        normalised: dict[str, str] = {}
        for pair_id, option_id in answer.items():
            if pair_id not in pair_ids:
                raise AnswerError("That prompt is not part of this question")
            if option_id is None:
                continue
            if not isinstance(option_id, str) or option_id not in options:
                raise AnswerError("That option is not part of this question")
            normalised[pair_id] = option_id
        return normalised

    def _grade(self, defn: Mapping[str, Any], answer: dict[str, str]) -> Grade:
        options = _options(defn)
        pairs = defn["pairs"]
        right = sum(1 for pair in pairs if options.get(answer.get(pair["id"], "")) == pair["match"])
        return Grade(
            score=scaled(right / len(pairs), defn["points"]),
            max_score=defn["points"],
            correct=right == len(pairs),
        )

    def _review_extra(self, defn: Mapping[str, Any], answer: Any) -> dict[str, Any]:
        options = _options(defn)
        chosen = answer or {}
        rows = []
        for pair in defn["pairs"]:
            picked = options.get(chosen.get(pair["id"], ""))
            rows.append(
                {
                    "id": pair["id"],
                    "prompt_html": self.render(defn, pair["prompt"], inline=True),
                    "match_html": self.render(defn, pair["match"], inline=True),
                    "chosen_html": self.render(defn, picked, inline=True),
                    "correct": picked == pair["match"],
                }
            )
        return {"pairs": rows}
