"""How choices are shown to a learner (issue 11, item 14): in an order of the attempt's own,
under opaque per-attempt tokens instead of the authored ids ("a", "b", "c"), and graded
right all the same. The demo bank does not put its correct answers first."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from app.assessments.models import Answer, Attempt
from app.assessments.questions import registry
from app.assessments.seed import QUESTIONS
from app.extensions import db
from tests.assessments.conftest import SINGLE, choice_token
from tests.conftest import count_rows

EIGHT = {
    "stem": "Manakah perintah untuk menyalin berkas?",
    "choices": [
        {"id": chr(ord("a") + n), "text": f"pilihan{n}", "correct": n == 0} for n in range(8)
    ],
}
AUTHORED = {"a", "b", "c", "d", "e", "f", "g", "h"}


def _start(client, world, headers) -> dict:
    response = client.post(f"/api/v1/assessments/{world.exam_id}/attempts", headers=headers)
    assert response.status_code == 201
    return response.get_json()


def _seeded_view(app, client, attempt_id: int, seed: int, headers) -> dict:
    with app.app_context():
        db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(seed=seed))
        db.session.commit()
    return client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()


def _texts(view: dict) -> list[str]:
    return [choice["text_html"] for choice in view["questions"][0]["choices"]]


def test_two_attempts_with_different_seeds_see_different_orders(app, client, make_world, token_for):
    world = make_world(questions=[("single_choice", EIGHT, 0)])
    headers = token_for(world.trainee)
    first = _start(client, world, headers)
    first_view = _seeded_view(app, client, first["id"], 1001, headers)
    client.post(f"/api/v1/attempts/{first['id']}/submit", headers=headers)
    second = _start(client, world, headers)
    assert second["id"] != first["id"]
    second_view = _seeded_view(app, client, second["id"], 2002, headers)
    assert sorted(_texts(first_view)) == sorted(_texts(second_view))
    assert _texts(first_view) != _texts(second_view)
    first_ids = {c["id"] for c in first_view["questions"][0]["choices"]}
    second_ids = {c["id"] for c in second_view["questions"][0]["choices"]}
    assert not first_ids & second_ids  # a token means nothing in another attempt


def test_the_order_is_stable_within_one_attempt(app, client, make_world, token_for):
    world = make_world(questions=[("single_choice", EIGHT, 0)])
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers)
    views = [client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers) for _ in range(3)]
    assert len({tuple(_texts(view.get_json())) for view in views}) == 1
    assert _texts(views[0].get_json()) == [
        c["text_html"] for c in attempt["questions"][0]["choices"]
    ]


def test_the_api_never_shows_authored_choice_ids(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers)
    single = next(q for q in attempt["questions"] if q["type"] == "single_choice")
    ids = [c["id"] for c in single["choices"]]
    assert not set(ids) & AUTHORED
    assert all(re.fullmatch(r"x[0-9a-f]{20}", choice_id) for choice_id in ids)
    url = f"/api/v1/attempts/{attempt['id']}/answers/{single['id']}"
    saved = client.put(url, json={"value": choice_token(single, "mv"), "seq": 1}, headers=headers)
    assert saved.status_code == 200
    view = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).get_json()
    shown = next(q for q in view["questions"] if q["id"] == single["id"])
    assert shown["answer"] == choice_token(single, "mv")


def test_an_authored_id_is_refused_and_nothing_is_written(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers)
    single = next(q for q in attempt["questions"] if q["type"] == "single_choice")
    url = f"/api/v1/attempts/{attempt['id']}/answers/{single['id']}"
    before = count_rows(app, Answer)
    for value in ("a", ["a"], "x" + "0" * 20):
        response = client.put(url, json={"value": value, "seq": 1}, headers=headers)
        assert response.status_code == 422, value
        assert response.get_json()["error"]["code"] == "validation_failed"
    assert count_rows(app, Answer) == before


def test_a_correct_answer_by_token_is_graded_correct(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers)
    single = next(q for q in attempt["questions"] if q["type"] == "single_choice")
    url = f"/api/v1/attempts/{attempt['id']}/answers/{single['id']}"
    client.put(url, json={"value": choice_token(single, "cp"), "seq": 1}, headers=headers)
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    with app.app_context():
        answer = db.session.scalar(
            select(Answer).where(
                Answer.attempt_id == attempt["id"], Answer.question_id == single["id"]
            )
        )
        assert answer.value == "a" and answer.correct is True and answer.score == 1.0


def test_the_page_never_shows_authored_choice_ids(app, client_as, world):
    client = client_as(user=world.trainee)
    started = client.post(f"/assessments/{world.exam_id}/start")
    attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    text = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    values = set(re.findall(r'type="radio" name="q\d+" value="([^"]*)"', text))
    assert {"true", "false"} <= values
    choice_values = values - {"true", "false"}
    assert len(choice_values) == len(SINGLE["choices"])
    assert not choice_values & AUTHORED
    assert all(re.fullmatch(r"x[0-9a-f]{20}", value) for value in choice_values)


def test_the_review_shows_tokens_too(app, client, make_world, token_for):
    world = make_world(review_answers="after_submit")
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers)
    single = next(q for q in attempt["questions"] if q["type"] == "single_choice")
    token = choice_token(single, "cp")
    url = f"/api/v1/attempts/{attempt['id']}/answers/{single['id']}"
    client.put(url, json={"value": token, "seq": 1}, headers=headers)
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
    review = next(r for r in result.get_json()["result"]["review"] if r["id"] == single["id"])
    assert review["answer"] == token and review["correct_ids"] == [token]
    assert not {c["id"] for c in review["choices"]} & AUTHORED


def test_the_demo_bank_does_not_put_every_correct_answer_first():
    choice_questions = [
        registry.get(kind).validate_definition(definition)
        for kind, _name, definition, _answer in QUESTIONS
        if "choices" in definition
    ]
    assert choice_questions
    assert not any(q["choices"][0]["correct"] for q in choice_questions)
    assert not any(c["id"] in AUTHORED for q in choice_questions for c in q["choices"])
