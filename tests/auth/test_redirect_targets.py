"""Every redirect target a user supplies stays on this site, whatever the spelling a browser
would normalise into another host (issue 11, item 5)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from app.extensions import limiter
from app.security import local_path
from tests.conftest import PASSWORD

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "////evil.example/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "/ /evil.example",
    "\x00//evil.example",
    "%2F%2Fevil.example",
    "https:evil.example",
    "https:/evil.example",
    "HTTP://evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "",
]


@pytest.fixture
def client(client, app):
    with app.app_context():
        limiter.reset()
    yield client
    with app.app_context():
        limiter.reset()


ON_SITE = ["/courses?q=las", "/courses/12#lesson", "/", "/%2F%2Fevil.example", "/a//b"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_local_path_refuses_every_off_site_spelling(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ON_SITE)
def test_local_path_keeps_paths_of_this_site(target):
    assert local_path(target) == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_next_never_leaves_the_site(client, make_user, target):
    user = make_user("trainee")
    response = client.post(
        f"/login?next={quote(target, safe='')}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_returns_to_a_page_of_this_site(client, make_user):
    user = make_user("trainee")
    response = client.post(
        f"/login?next={quote('/courses?q=las', safe='')}",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/courses?q=las"


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
