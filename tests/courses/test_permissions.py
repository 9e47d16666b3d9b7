"""Who may do what: role x endpoint -> status, for the web pages and the JSON API of the
courses feature. Each endpoint is one test that tries every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import login

ROLES = (
    "anonymous",
    "trainee",
    "assessor",
    "instructor_elsewhere",
    "instructor_same_institution",
    "course_instructor",
    "institution_admin",
    "institution_admin_elsewhere",
    "admin",
)
EDITORS = {"course_instructor", "institution_admin", "admin"}
AUTHORS = {
    "instructor_elsewhere",
    "instructor_same_institution",
    "course_instructor",
    "institution_admin",
    "institution_admin_elsewhere",
    "admin",
}


@dataclass
class World:
    users: dict[str, Any]
    course: Any
    draft: Any
    institution: Any


@pytest.fixture
def world(make_institution, make_user, make_course) -> World:
    home, other = make_institution(), make_institution()
    teacher = make_user("instructor", institution=home)
    users = {
        "anonymous": None,
        "trainee": make_user("trainee"),
        "assessor": make_user("assessor", institution=home),
        "instructor_elsewhere": make_user("instructor", institution=other),
        "instructor_same_institution": make_user("instructor", institution=home),
        "course_instructor": teacher,
        "institution_admin": make_user("institution_admin", institution=home),
        "institution_admin_elsewhere": make_user("institution_admin", institution=other),
        "admin": make_user("admin"),
    }
    course = make_course(institution=home, instructor=teacher)
    draft = make_course(institution=home, instructor=teacher, publish=False)
    return World(users, course, draft, home)


def expect(yes: int, no: int, who: set[str], anonymous: int | None = None) -> dict[str, int]:
    table = {role: (yes if role in who else no) for role in ROLES}
    if anonymous is not None:
        table["anonymous"] = anonymous
    return table


EDITOR_PAGE = expect(200, 403, EDITORS, anonymous=302)
AUTHOR_PAGE = expect(200, 403, AUTHORS, anonymous=302)
EVERYONE = expect(200, 200, set())
LOGGED_IN = expect(200, 200, set(), anonymous=302)

WEB = [
    ("GET", "/courses", EVERYONE),
    ("GET", "/courses/{course}", EVERYONE),
    ("GET", "/courses/{draft}", expect(302, 404, EDITORS)),
    ("GET", "/courses/{course}/versions/1", EDITOR_PAGE),
    ("GET", "/courses/{course}/lessons/{lesson}", EDITOR_PAGE),
    ("GET", "/courses/{course}/author", EDITOR_PAGE),
    ("GET", "/courses/{draft}/author", expect(200, 404, EDITORS, anonymous=302)),
    ("GET", "/courses/{course}/details", EDITOR_PAGE),
    ("POST", "/courses/{course}/publish", expect(303, 403, EDITORS, anonymous=302)),
    ("POST", "/courses/{course}/modules", expect(303, 403, EDITORS, anonymous=302)),
    ("GET", "/courses/{course}/cohorts", EDITOR_PAGE),
    ("GET", "/courses/{course}/progress", EDITOR_PAGE),
    ("GET", "/courses/{course}/progress.csv", EDITOR_PAGE),
    ("GET", "/courses/{course}/export", EDITOR_PAGE),
    ("GET", "/courses/new", AUTHOR_PAGE),
    ("GET", "/courses/manage", AUTHOR_PAGE),
    ("GET", "/courses/import", AUTHOR_PAGE),
    ("GET", "/units", EVERYONE),
    ("GET", "/units/new", AUTHOR_PAGE | {"institution_admin_elsewhere": 200}),
    ("GET", "/my/courses", LOGGED_IN),
]

API = [
    ("GET", "/api/v1/courses", None, EVERYONE),
    ("GET", "/api/v1/courses/{course}", None, EVERYONE),
    ("GET", "/api/v1/courses/{draft}", None, expect(200, 404, EDITORS)),
    ("POST", "/api/v1/courses", {"code": "NEW-1", "title": "Baru", "sector": "tik",
                                 "institution_id": "{institution}"},
     expect(201, 403, AUTHORS - {"instructor_elsewhere", "institution_admin_elsewhere"},
            anonymous=401)),
    ("POST", "/api/v1/courses/{course}/modules", {"title": "Baru"},
     expect(201, 403, EDITORS, anonymous=401)),
    ("POST", "/api/v1/courses/{course}/draft", None, expect(200, 403, EDITORS, anonymous=401)),
    ("POST", "/api/v1/courses/{course}/publish", None, expect(409, 403, EDITORS, anonymous=401)),
    ("GET", "/api/v1/courses/{course}/attachments", None, expect(200, 403, EDITORS, anonymous=401)),
    ("GET", "/api/v1/courses/{course}/export", None, expect(200, 403, EDITORS, anonymous=401)),
    ("GET", "/api/v1/courses/{course}/enrolments", None, expect(200, 403, EDITORS, anonymous=401)),
    ("GET", "/api/v1/courses/{course}/lessons/{lesson}", None,
     expect(200, 403, EDITORS, anonymous=401)),
    ("PUT", "/api/v1/courses/{course}/instructors", {"user_ids": ["{teacher}"]},
     expect(200, 403, {"institution_admin", "admin"}, anonymous=401)),
    ("POST", "/api/v1/courses/{course}/enrolments", {},
     expect(201, 403, {"trainee"}, anonymous=401)),
    ("POST", "/api/v1/units", {"code": "J.620100.099.01", "title_id": "Unit uji"},
     expect(201, 403, AUTHORS, anonymous=401)),
]  # fmt: skip


def _fill(value: Any, world: World) -> Any:
    names = {
        "course": world.course.id,
        "draft": world.draft.id,
        "lesson": world.course.lesson_ids[0],
        "institution": world.institution.id,
        "teacher": world.users["course_instructor"].id,
    }
    if isinstance(value, str):
        for name, number in names.items():
            if value == "{" + name + "}":
                return number
            value = value.replace("{" + name + "}", str(number))
        return value
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


@pytest.mark.parametrize(("method", "path", "table"), WEB, ids=[f"{m} {p}" for m, p, _ in WEB])
def test_web_role_by_endpoint(app, world, method, path, table):
    url = _fill(path, world)
    wrong = {}
    for role in ROLES:
        client = app.test_client()
        if world.users[role] is not None:
            login(client, world.users[role])
        with client.open(url, method=method, data={"title": "Modul"}) as response:
            if response.status_code != table[role]:
                wrong[role] = response.status_code
    assert wrong == {}, f"{method} {url}: expected {table}"


@pytest.mark.parametrize(
    ("method", "path", "body", "table"), API, ids=[f"{m} {p}" for m, p, _, _ in API]
)
def test_api_role_by_endpoint(app, world, token_for, method, path, body, table):
    url = _fill(path, world)
    wrong = {}
    for role in ROLES:
        user = world.users[role]
        headers = token_for(user) if user is not None else {}
        payload = _fill(body, world)
        if isinstance(payload, dict) and payload.get("code") == "NEW-1":
            payload["code"] = f"NEW-{ROLES.index(role)}"
        if isinstance(payload, dict) and "title_id" in payload:
            payload["code"] = f"J.620100.{ROLES.index(role):03d}.01"
        with app.test_client().open(url, method=method, json=payload, headers=headers) as response:
            if response.status_code != table[role]:
                wrong[role] = (
                    response.status_code,
                    (response.get_json(silent=True) or {}).get("error"),
                )
    assert wrong == {}, f"{method} {url}"
