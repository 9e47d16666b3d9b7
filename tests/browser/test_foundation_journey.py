"""Register, log in, switch to English, log out: in Chromium at phone size."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_register_login_switch_language_logout(live_server, page):
    base = live_server.url
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.click("text=Daftar")
    page.fill("input[name=full_name]", "Putri Ayu Lestari")
    page.fill("input[name=email]", "putri@contoh.id")
    page.fill("input[name=password]", "pendek")
    page.click("form button[type=submit].button")
    assert page.locator("text=Gunakan paling sedikit 8 karakter.").first.is_visible()
    page.fill("input[name=password]", "mangga muda di pagi hari")
    page.click("form button[type=submit].button")
    # The same answer whether or not the address already had an account: nobody is logged in.
    assert page.locator("h1").inner_text() == "Periksa e-mail Anda"
    assert page.locator("text=putri@contoh.id").first.is_visible()
    screenshot(page, "foundation-registered")

    log_in(page, base, "putri@contoh.id", "mangga muda di pagi hari")
    assert page.locator("text=Selamat datang kembali, Putri Ayu Lestari.").is_visible()

    page.click("nav button:has-text('English')")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("text=Welcome back, Putri Ayu Lestari.").is_visible()
    screenshot(page, "foundation-english")

    page.click("nav button:has-text('Log out')")
    assert page.locator("text=You have logged out.").is_visible()
    page.goto(base + "/account")
    assert "/login" in page.url


def test_demo_user_can_log_in(live_server, page):
    log_in(page, live_server.url, "peserta@demo.kompeten.id", "kompeten-demo-2026")
    assert page.locator("text=Rina Kurniasih").first.is_visible()
