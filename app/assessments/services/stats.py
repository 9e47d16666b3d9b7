"""Item statistics, per-unit pass rates and the results CSV, over submitted attempts.

- Facility index of a question: its mean score divided by its maximum (0..1; higher = easier).
- Discrimination index: the Pearson correlation between the item's score and the total score
  of the *rest* of the attempt (corrected item-total correlation; -1..1, None when either side
  does not vary or fewer than two attempts saw the item).
- A unit is passed in an attempt when the attempt's score on that unit's questions reaches the
  assessment's pass mark (percent).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from app.assessments.models import Answer, Assessment, Attempt, Question
from app.csvsafe import to_csv
from app.extensions import db


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return round(sxy / math.sqrt(sxx * syy), 4)


def submitted(assessment: Assessment) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.assessment_id == assessment.id, Attempt.status == "submitted")
            .order_by(Attempt.id)
        )
    )


def item_statistics(assessment: Assessment) -> list[dict[str, Any]]:
    attempts = {attempt.id: attempt for attempt in submitted(assessment)}
    if not attempts:
        return []
    rows = db.session.execute(
        select(Answer.attempt_id, Answer.question_id, Answer.score, Answer.max_score).where(
            Answer.attempt_id.in_(attempts)
        )
    ).all()
    items: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for attempt_id, question_id, score, max_score in rows:
        items[question_id].append((attempt_id, float(score or 0), float(max_score or 0)))
    names = dict(
        db.session.execute(select(Question.id, Question.name).where(Question.id.in_(items))).all()
    )
    result = []
    for question_id, entries in sorted(items.items()):
        maximum = max(entry[2] for entry in entries) or 1.0
        scores = [entry[1] for entry in entries]
        rests = [float(attempts[entry[0]].score or 0) - entry[1] for entry in entries]
        result.append(
            {
                "question_id": question_id,
                "name": names.get(question_id, ""),
                "attempts": len(entries),
                "facility": round(sum(scores) / len(scores) / maximum, 4),
                "discrimination": _pearson(scores, rests),
            }
        )
    return result


def unit_pass_rates(assessment: Assessment) -> list[dict[str, Any]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for attempt in submitted(assessment):
        for code, entry in (attempt.unit_results or {}).items():
            counts[code][1] += 1
            if (
                entry["max_score"]
                and 100 * entry["score"] / entry["max_score"] >= assessment.pass_mark
            ):
                counts[code][0] += 1
    return [
        {"code": code, "passed": passed, "attempts": total, "rate": round(passed / total, 4)}
        for code, (passed, total) in sorted(counts.items())
    ]


def results_csv(assessment: Assessment) -> str:
    attempts = submitted(assessment)
    codes = sorted({code for attempt in attempts for code in (attempt.unit_results or {})})
    headers = ["name", "email", "attempt", "submitted_at", "score", "max_score", "percent"]
    headers += ["passed", *codes]
    rows = []
    for attempt in attempts:
        units = attempt.unit_results or {}
        rows.append(
            [
                attempt.user.full_name,
                attempt.user.email,
                attempt.number,
                attempt.submitted_at,
                attempt.score,
                attempt.max_score,
                attempt.percent,
                "" if attempt.passed is None else ("yes" if attempt.passed else "no"),
                *[
                    round(100 * units[c]["score"] / units[c]["max_score"], 2)
                    if c in units and units[c]["max_score"]
                    else ""
                    for c in codes
                ],
            ]
        )
    return to_csv(headers, rows)
