"""Nothing shown to a signed-in user or answered to a bearer token is kept by a cache
(issue 11, item 14)."""

from __future__ import annotations

from tests.conftest import PASSWORD


def test_pages_of_a_signed_in_user_are_never_stored(client_as):
    browser = client_as("trainee")
    for path in ("/account", "/", "/no-such-page"):
        response = browser.get(path)
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_login_answer_itself_is_not_stored(app, client, make_user):
    from app.extensions import limiter

    with app.app_context():
        limiter.reset()
    user = make_user("trainee")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_to_a_bearer_token_are_never_stored(client, make_user, token_for):
    headers = token_for(make_user("trainee"))
    response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    refused = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer kpt_nope"})
    assert refused.headers["Cache-Control"] == "no-store"


def test_anonymous_public_pages_keep_their_own_caching(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
