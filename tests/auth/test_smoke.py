from tests.conftest import PASSWORD


def test_login_with_password_and_see_account(client, make_user):
    user = make_user("trainee")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/account")
    assert page.status_code == 200
    assert user.email in page.get_data(as_text=True)
