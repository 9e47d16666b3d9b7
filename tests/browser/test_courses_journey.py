"""Online learning in Chromium at phone size: an instructor authors and publishes a course;
a trainee finds it in the catalogue, enrols, reads its lessons and sees progress."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.seed import DEMO_PASSWORD
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

LESSON_BODY = """Alat pelindung diri (APD) wajib dipakai **sebelum** menyalakan mesin las.

![Perlengkapan APD](attachment:apd.png)

- Helm las dengan kaca gelap
- Sarung tangan kulit
- Sepatu keselamatan

https://www.youtube.com/watch?v=dQw4w9WgXcQ
"""


def _png(tmp_path) -> str:
    path = tmp_path / "apd.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 160, 0)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _author_course(page, base: str, tmp_path) -> None:
    log_in(page, base, "instruktur@demo.kompeten.id", DEMO_PASSWORD)
    page.click("nav >> text=Penyusunan kursus")
    page.click("text=Kursus baru")
    page.fill("input[name=code]", "las-smaw-1")
    page.fill("input[name=title]", "Pengelasan SMAW Dasar")
    page.fill("textarea[name=summary]", "Mengelas pelat baja posisi bawah tangan dengan aman.")
    page.select_option("select[name=sector]", "las")
    page.select_option("select[name=level]", "2")
    page.fill("input[name=hours]", "80")
    page.click("form button[type=submit]:has-text('Simpan')")
    expect(page.locator("text=Kursus dibuat.")).to_be_visible()

    page.fill("form.add-module input[name=title]", "Keselamatan kerja")
    page.click("form.add-module button[type=submit]")
    page.set_input_files("input[name=file]", _png(tmp_path))
    page.click("#files button[type=submit]")
    expect(page.locator("text=attachment:apd.png").first).to_be_visible()

    for title, body in (
        ("Alat pelindung diri", LESSON_BODY),
        ("Menyiapkan mesin las", "Periksa kabel."),
    ):
        page.click("text=Tambah pelajaran")
        page.fill("input[name=title]", title)
        page.fill("textarea[name=body]", body)
        page.fill("input[name=duration_minutes]", "15")
        page.click("form button[type=submit]:has-text('Simpan')")
        expect(page.locator("text=Pelajaran ditambahkan.")).to_be_visible()

    page.click("text=Pratinjau sebagai peserta")
    page.click("text=Alat pelindung diri")
    expect(page.locator(".lesson-body img[alt='Perlengkapan APD']")).to_be_visible()
    expect(page.locator(".lesson-body iframe")).to_have_count(1)
    page.go_back()
    page.click("text=Kembali ke penyusunan")
    page.click("button:has-text('Terbitkan versi 1')")
    expect(page.locator("text=Kursus diterbitkan.")).to_be_visible()
    screenshot(page, "courses-published")
    page.click("nav button:has-text('Keluar')")


def test_instructor_publishes_and_trainee_learns_on_a_phone(live_server, page, tmp_path):
    base = live_server.url
    _author_course(page, base, tmp_path)

    log_in(page, base, "peserta@demo.kompeten.id", DEMO_PASSWORD)
    page.click("nav >> text=Kursus")
    page.fill("input[name=q]", "smaw")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("text=Kursus ditemukan: 1")).to_be_visible()
    page.click("text=Pengelasan SMAW Dasar")
    page.click("button:has-text('Daftar di kursus ini')")
    expect(page.locator("text=Anda sudah terdaftar. Selamat belajar!")).to_be_visible()
    expect(page.locator("text=0 dari 2 pelajaran selesai (0%)")).to_be_visible()

    page.click("text=Lanjutkan: Alat pelindung diri")
    expect(page.locator("h1:has-text('Alat pelindung diri')")).to_be_visible()
    expect(page.locator(".lesson-body img")).to_have_js_property("naturalWidth", 64)
    viewport_width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport_width
    screenshot(page, "courses-lesson-phone")
    page.click("button:has-text('Tandai selesai dan lanjutkan')")
    expect(page.locator("h1:has-text('Menyiapkan mesin las')")).to_be_visible()
    expect(page.locator("text=1 dari 2 pelajaran selesai (50%)")).to_be_visible()
    page.click("button:has-text('Tandai selesai')")
    expect(page.locator("text=Selamat! Anda telah menyelesaikan kursus ini.")).to_be_visible()

    page.click("nav >> text=Kursus saya")
    card = page.locator("li.card", has_text="Pengelasan SMAW Dasar")
    assert card.locator("progress").get_attribute("value") == "100"
    expect(card.locator("span", has_text="100%")).to_be_visible()
    screenshot(page, "courses-my-courses")
