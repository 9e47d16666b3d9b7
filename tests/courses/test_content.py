"""Lesson content and upload checks: plain functions, no app."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.courses.services.content import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    UploadRefused,
    attachment_names,
    check_upload,
    render_markdown,
    safe_name,
    sanitize_html,
    sniff,
    video_for,
)
from tests.courses.conftest import PDF_BYTES, png_bytes

HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '[x](https://ok.example "title" onmouseover=alert(1))',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]


class _Audit(HTMLParser):
    """Collects every tag and attribute of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    audit = _Audit()
    audit.feed(html)
    for tag, attrs in audit.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, html)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel", "loading"}, (name, html)
            if name in ("href", "src"):
                scheme = (
                    (value or "").split(":", 1)[0].strip().lower() if ":" in (value or "") else ""
                )
                assert scheme in ("", "http", "https", "mailto"), (value, html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_in_markdown_come_out_harmless(payload):
    assert_harmless(str(render_markdown(payload, video_hosts=HOSTS)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_html_layer_alone_removes_them_too(payload):
    """markdown-it escapes raw HTML; the nh3 layer must hold even if it did not."""
    assert_harmless(sanitize_html(payload))


def test_markdown_keeps_ordinary_formatting():
    html = str(render_markdown("# Judul\n\n**tebal** dan *miring*\n\n- satu\n- dua\n\n`kode`"))
    assert "<h1>Judul</h1>" in html
    assert "<strong>tebal</strong>" in html
    assert "<li>satu</li>" in html
    assert "<code>kode</code>" in html


def test_links_get_a_safe_rel():
    html = str(render_markdown("[Kemnaker](https://kemnaker.go.id)"))
    assert 'href="https://kemnaker.go.id"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_attachment_names_resolve_to_urls_and_unknown_ones_disappear():
    def resolve(name):
        return "/courses/files/tok" if name == "plan.png" else None

    html = str(
        render_markdown(
            "![Denah](attachment:plan.png) ![Hilang](attachment:none.png) "
            "[Unduh](attachment:none.pdf) ![Luar](https://evil.example/x.png)",
            resolve=resolve,
        )
    )
    assert '<img src="/courses/files/tok" alt="Denah" loading="lazy">' in html
    assert "Hilang" in html and "none.png" not in html
    assert "none.pdf" not in html
    assert "evil.example" not in html and "Luar" in html


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_videos_from_allowed_hosts_are_embedded(url, embed):
    assert video_for(url, HOSTS).embed_url == embed
    html = str(render_markdown(f"Tonton:\n\n{url}\n", video_hosts=HOSTS))
    assert f'<iframe src="{embed}"' in html
    assert "sandbox=" in html and 'loading="lazy"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        'https://www.youtube.com/watch?v=bad"onload=x',
        "javascript://www.youtube.com/%0aalert(1)",
        "https://user@www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_other_videos_are_not_embedded(url):
    assert video_for(url, HOSTS) is None
    assert "<iframe" not in str(render_markdown(url, video_hosts=HOSTS))


def test_video_not_embedded_when_host_not_allowed():
    assert video_for("https://vimeo.com/76979871", ("www.youtube.com",)) is None
    assert "<iframe" not in str(render_markdown("https://vimeo.com/76979871", video_hosts=()))


def test_a_forged_marker_stays_text():
    html = str(render_markdown("kptvideo0000000000000000n0", video_hosts=HOSTS))
    assert "<iframe" not in html


def test_attachment_names_are_found():
    assert attachment_names("![a](attachment:a.png) [b](attachment:b.pdf)") == {"a.png", "b.pdf"}


def test_sniff_recognises_the_accepted_types():
    assert sniff(png_bytes()) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"GIF89a....") == "image/gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(PDF_BYTES) == "application/pdf"
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert sniff(b"<html><script>") is None


LIMITS = {"max_bytes": 1000, "max_image_bytes": 500}


def _refusal(name, data, **limits):
    with pytest.raises(UploadRefused) as caught:
        check_upload(name, data, **(limits or LIMITS))
    return caught.value.reason


def test_upload_checks_accept_real_files_and_fix_names():
    assert check_upload("Denah Ruang.PNG", png_bytes(), **LIMITS) == (
        "denah-ruang.png",
        "image/png",
    )
    assert check_upload("modul", PDF_BYTES, **LIMITS) == ("modul.pdf", "application/pdf")


def test_upload_checks_refuse_bad_files():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert _refusal("gambar.svg", svg) == "svg"
    assert _refusal("gambar.png", svg) == "svg"
    assert _refusal("halaman.png", b"<html><script>alert(1)</script></html>") == "type"
    assert _refusal("dokumen.pdf", png_bytes()) == "disguised"
    assert _refusal("besar.pdf", PDF_BYTES + b"x" * 2000) == "too_large"
    assert (
        _refusal("besar.png", png_bytes((200, 200)), max_bytes=10**6, max_image_bytes=100)
        == "too_large"
    )
    assert _refusal("kosong.pdf", b"") == "empty"
    assert _refusal("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50) == "damaged"
    assert _refusal("", png_bytes()) == "name"


def test_safe_name_strips_paths_and_odd_characters():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\Foto Ujian (1).JPG") == "foto-ujian-1.jpg"
    assert safe_name("Ringkasan_ÜBER.pdf") == "ringkasan_uber.pdf"
