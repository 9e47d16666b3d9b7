"""Question banks keep one name per course, and a question import stays within its caps
(questions per import, bytes per file on every path: upload, pasted text, confirmed
preview). Each refusal is clear and writes nothing."""

from __future__ import annotations

import io

import pytest

from app.assessments.models import Question, QuestionBank
from tests.conftest import count_rows


def _gift(count: int) -> str:
    return "\n\n".join(f"::S{n}:: Pertanyaan {n}? {{T}}" for n in range(count))


def _moodle(count: int) -> str:
    question = (
        '<question type="truefalse"><name><text>S{n}</text></name>'
        "<questiontext><text>Pertanyaan {n}?</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
    )
    category = '<question type="category"><category><text>x</text></category></question>'
    return f"<quiz>{category}{''.join(question.format(n=n) for n in range(count))}</quiz>"


def test_a_second_bank_with_the_same_name_is_a_conflict(app, client, world, token_for):
    before = count_rows(app, QuestionBank)
    response = client.post(
        f"/api/v1/assessments/courses/{world.course_id}/banks",
        json={"name": "Bank"},
        headers=token_for(world.instructor),
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["details"] == {"name": ["taken"]}
    assert "bank soal dengan nama itu" in error["message"]
    assert count_rows(app, QuestionBank) == before


def test_the_bank_form_says_the_name_is_taken(app, client_as, world):
    before = count_rows(app, QuestionBank)
    author = client_as(user=world.instructor)
    response = author.post(f"/assessments/course/{world.course_id}", data={"name": " Bank "})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Kursus ini sudah memiliki bank soal dengan nama itu." in page
    assert 'name="name"' in page  # the form is shown again, with the message on it
    assert count_rows(app, QuestionBank) == before


@pytest.mark.parametrize(("fmt", "build"), [("gift", _gift), ("moodle_xml", _moodle)])
def test_an_import_past_the_question_cap_is_refused(
    app, client, world, token_for, monkeypatch, fmt, build
):
    monkeypatch.setitem(app.config, "ASSESSMENT_IMPORT_MAX_QUESTIONS", 3)
    url = f"/api/v1/assessments/banks/{world.bank_id}/import"
    headers, before = token_for(world.instructor), count_rows(app, Question)
    ok = client.post(
        url,
        data={"format": fmt, "file": (io.BytesIO(build(3).encode()), "soal.txt")},
        headers=headers,
    )
    assert ok.status_code == 201, ok.get_json()
    assert count_rows(app, Question) == before + 3
    for dry_run in ("false", "true"):
        response = client.post(
            url,
            data={"format": fmt, "dry_run": dry_run,
                  "file": (io.BytesIO(build(4).encode()), "soal.txt")},
            headers=headers,
        )  # fmt: skip
        assert response.status_code == 422
        error = response.get_json()["error"]
        assert error["code"] == "validation_failed"
        assert error["details"] == {"questions": ["too_many"]}
        assert "4 soal" in error["message"] and "paling banyak 3" in error["message"]
    assert count_rows(app, Question) == before + 3


def test_the_default_cap_is_a_thousand_questions(app, client, world, token_for):
    before = count_rows(app, Question)
    response = client.post(
        f"/api/v1/assessments/banks/{world.bank_id}/import",
        data={"format": "gift", "file": (io.BytesIO(_gift(1001).encode()), "soal.gift")},
        headers=token_for(world.instructor),
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"questions": ["too_many"]}
    assert count_rows(app, Question) == before


def test_the_preview_page_says_there_are_too_many(app, client_as, world, monkeypatch):
    monkeypatch.setitem(app.config, "ASSESSMENT_IMPORT_MAX_QUESTIONS", 3)
    author = client_as(user=world.instructor)
    response = author.post(
        f"/assessments/banks/{world.bank_id}/import", data={"format": "gift", "text": _gift(4)}
    )
    assert response.status_code == 422
    assert "paling banyak 3" in response.get_data(as_text=True)


def test_a_confirmed_preview_is_held_to_the_size_limit(app, client_as, world, monkeypatch):
    """The preview's text comes back in a form field, not as a file: it is capped too."""
    monkeypatch.setitem(app.config, "ASSESSMENT_IMPORT_MAX_BYTES", 2048)
    before = count_rows(app, Question)
    author = client_as(user=world.instructor)
    content = _gift(100)
    assert len(content.encode()) > 2048
    response = author.post(
        f"/assessments/banks/{world.bank_id}/import/confirm",
        data={"format": "gift", "content": content},
        follow_redirects=True,
    )
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert count_rows(app, Question) == before
