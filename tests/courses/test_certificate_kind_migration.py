"""The migration that adds courses.certificate_kind keeps the competency certificate only for
courses whose every unit an assessment covers; every other course leads to training."""

from __future__ import annotations

import sqlite3

from tests.test_migrations import _flask

BEFORE = "d3816fb53d64"
NOW = "2026-11-30 00:00:00"


def _version(db: sqlite3.Connection, course_id: int, units: list[int]) -> int:
    cur = db.execute(
        "INSERT INTO course_versions (course_id, number, status, title, summary, sector, level,"
        " hours, language, validity_months, created_at)"
        " VALUES (?, 1, 'published', 'Kursus', '', 'tik', 2, 40, 'id', 36, ?)",
        (course_id, NOW),
    )
    for position, unit_id in enumerate(units):
        db.execute(
            "INSERT INTO course_version_units (version_id, unit_id, position) VALUES (?, ?, ?)",
            (cur.lastrowid, unit_id, position),
        )
    return cur.lastrowid


def _assessment(
    db: sqlite3.Connection, course_id: int, kind: str, bank_id: int | None, published: int = 1
) -> None:
    db.execute(
        "INSERT INTO assessments (course_id, bank_id, title, kind, required, published,"
        " pass_mark, grading_method, draw, shuffle_questions, shuffle_choices, review_marks,"
        " review_answers, review_feedback, created_at) VALUES (?, ?, 'A', ?, 1, ?, 70,"
        " 'highest', '[]', 1, 1, 'after_submit', 'after_close', 'after_close', ?)",
        (course_id, bank_id, kind, published, NOW),
    )


def _bank(db: sqlite3.Connection, course_id: int, units: list[int]) -> int:
    bank = db.execute(
        "INSERT INTO question_banks (course_id, name, created_at) VALUES (?, 'B', ?)",
        (course_id, NOW),
    ).lastrowid
    for unit_id in units:
        question = db.execute(
            "INSERT INTO assessment_questions (bank_id, type_key, name, definition, version,"
            " created_at, updated_at) VALUES (?, 'truefalse', 'q', '{}', 1, ?, ?)",
            (bank, NOW, NOW),
        ).lastrowid
        db.execute(
            "INSERT INTO assessment_question_units (question_id, unit_id) VALUES (?, ?)",
            (question, unit_id),
        )
    return bank


def test_existing_courses_get_the_certificate_their_assessments_support(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    assert _flask(url, "upgrade", BEFORE).returncode == 0
    db = sqlite3.connect(tmp_path / "old.db")
    db.execute(
        "INSERT INTO institutions (id, name, slug, type, province, city, address,"
        " number_prefix, created_at) VALUES (1, 'BLK', 'blk', 'BLK', 'Jabar', 'Bandung', '',"
        " 'BLK', ?)",
        (NOW,),
    )
    for unit_id in (1, 2):
        db.execute(
            "INSERT INTO competency_units (id, code, title_id, title_en, elements, created_at,"
            " updated_at) VALUES (?, ?, 'U', '', '[]', ?, ?)",
            (unit_id, f"J.{unit_id}", NOW, NOW),
        )
    courses = ("none", "practical", "theory_all", "theory_part", "unpublished", "no_units")
    for course_id, name in enumerate(courses, start=1):
        db.execute(
            "INSERT INTO courses (id, institution_id, code, status, self_paced, self_enrolment,"
            " created_at) VALUES (?, 1, ?, 'published', 1, 1, ?)",
            (course_id, name.upper(), NOW),
        )
        _version(db, course_id, [] if name == "no_units" else [1, 2])
    _assessment(db, 2, "practical", None)
    _assessment(db, 3, "theory", _bank(db, 3, [1, 2]))
    _assessment(db, 4, "theory", _bank(db, 4, [1]))
    _assessment(db, 5, "practical", None, published=0)
    _assessment(db, 6, "practical", None)
    db.commit()
    db.close()

    upgrade = _flask(url, "upgrade")

    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    db = sqlite3.connect(tmp_path / "old.db")
    kinds = dict(db.execute("SELECT lower(code), certificate_kind FROM courses"))
    db.close()
    assert kinds == {
        "none": "training",
        "practical": "competency",
        "theory_all": "competency",
        "theory_part": "training",
        "unpublished": "training",
        "no_units": "training",
    }
