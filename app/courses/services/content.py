"""Safe lesson content and upload checks. Plain functions: no database, no request.

Rendering: markdown-it-py's "js-default" preset (raw HTML is escaped, dangerous link schemes
are refused), then nh3 with an allow-list, so a gap in one layer is closed by the other.
Links and images may name a course attachment as `attachment:<name>`; the caller resolves
names to URLs. A paragraph that is only the link of a video on an allowed host becomes an
<iframe>; the iframe is built here, after sanitising, from a parsed video id, never from the
author's text.

Uploads: the type comes from the first bytes (PNG, JPEG, GIF, WebP, PDF); SVG and anything
else are refused, and so is a name whose extension contradicts the content.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from PIL import Image

ATTACHMENT_SCHEME = "attachment:"
FILE_URL_PREFIX = "/courses/files/"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    # Images only from this site's attachment store: the CSP would block others anyway,
    # and a remote image would leak the reader's address.
    if element == "img" and attribute == "src" and not value.startswith(FILE_URL_PREFIX):
        return None
    return value


_md = MarkdownIt("js-default")
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
    set_tag_attribute_values={"img": {"loading": "lazy"}},
)


def sanitize_html(html: str) -> str:
    """The allow-list layer on its own: tags, attributes and URL schemes."""
    return _cleaner.clean(html)


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_YOUTUBE_EMBED_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com")


@dataclass(frozen=True)
class Video:
    embed_url: str
    page_url: str


def video_for(url: str, allowed_hosts: Iterable[str]) -> Video | None:
    """The embeddable form of a video link, if its host is allowed; else None."""
    allowed = set(allowed_hosts)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return None
    host = parts.hostname.lower()
    path = parts.path
    embed: str | None = None
    if host in _YOUTUBE_HOSTS or host in _YOUTUBE_EMBED_HOSTS:
        video_id = ""
        if host == "youtu.be":
            video_id = path.strip("/")
        elif path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("/embed/", "/shorts/")):
            video_id = path.split("/")[2]
        if _YOUTUBE_ID.match(video_id):
            embed_host = next((h for h in _YOUTUBE_EMBED_HOSTS if h in allowed), None)
            if embed_host:
                embed = f"https://{embed_host}/embed/{video_id}"
    elif host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        video_id = path.rstrip("/").rsplit("/", 1)[-1]
        if _VIMEO_ID.match(video_id) and "player.vimeo.com" in allowed:
            embed = f"https://player.vimeo.com/video/{video_id}"
    elif host in allowed and parts.scheme == "https":
        embed = parts.geturl()
    if embed is None or urlsplit(embed).hostname not in allowed:
        return None
    page = parts._replace(scheme="https").geturl()
    return Video(embed_url=embed, page_url=page)


def _video_paragraph(tokens: list[Token], index: int) -> str | None:
    """The URL, if tokens[index:index+3] is a paragraph holding nothing but a URL or link."""
    if index + 2 >= len(tokens) or tokens[index].type != "paragraph_open":
        return None
    inline = tokens[index + 1]
    children = inline.children or []
    if len(children) == 1 and children[0].type == "text":
        candidate = children[0].content.strip()
        return candidate if re.fullmatch(r"https?://\S+", candidate) else None
    if len(children) == 3 and children[0].type == "link_open" and children[2].type == "link_close":
        return str(children[0].attrGet("href") or "")
    return None


def _resolve(value: object, resolve: Callable[[str], str | None]) -> str | None:
    if isinstance(value, str) and value.startswith(ATTACHMENT_SCHEME):
        return resolve(value[len(ATTACHMENT_SCHEME) :])
    return value if isinstance(value, str) else None


def _resolve_links(tokens: list[Token], resolve: Callable[[str], str | None]) -> None:
    """Attachment names become URLs; an image that is not one of ours becomes its alt text."""
    for token in tokens:
        if token.children:
            _resolve_links(token.children, resolve)
        if token.type == "image":
            src = _resolve(token.attrGet("src"), resolve)
            if src is None or not src.startswith(FILE_URL_PREFIX):
                alt = "".join(child.content for child in token.children or [])
                token.type, token.tag, token.children, token.attrs = "text", "", None, {}
                token.content = alt
            else:
                token.attrSet("src", src)
        elif token.type == "link_open":
            href = _resolve(token.attrGet("href"), resolve)
            if href is None:
                token.attrs.pop("href", None)
            else:
                token.attrSet("href", href)


def render_markdown(
    text: str,
    *,
    video_hosts: Iterable[str] = (),
    resolve: Callable[[str], str | None] = lambda name: None,
    video_label: str = "Open the video",
) -> Markup:
    """Markdown to safe HTML. `resolve` maps an attachment name to its URL (or None)."""
    tokens = _md.parse(text or "")
    nonce = secrets.token_hex(8)
    videos: dict[str, Video] = {}
    for index in range(len(tokens)):
        url = _video_paragraph(tokens, index)
        video = video_for(url, video_hosts) if url else None
        if video is not None:
            marker = f"kptvideo{nonce}n{len(videos)}"
            videos[marker] = video
            placeholder = Token("text", "", 0, content=marker)
            tokens[index + 1].children = [placeholder]
    _resolve_links(tokens, resolve)
    html = sanitize_html(_md.renderer.render(tokens, _md.options, {}))
    for marker, video in videos.items():
        html = html.replace(f"<p>{marker}</p>", _iframe(video, video_label))
    # The output of the allow-list cleaner and our own escaped iframe.
    return Markup(html)  # noqa: S704  # nosec B704


def _iframe(video: Video, label: str) -> str:
    src, page, label = escape(video.embed_url), escape(video.page_url), escape(label)
    return (
        f'<figure class="video"><iframe src="{src}" title="{label}" loading="lazy" '
        'allowfullscreen referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"></iframe>'
        f'<figcaption><a href="{page}" rel="noopener noreferrer nofollow">{label}</a>'
        "</figcaption></figure>"
    )


def attachment_names(text: str) -> set[str]:
    """The attachment names a lesson body refers to."""
    return set(re.findall(r"\(attachment:([^)\s]+)", text or ""))


# Uploads ---------------------------------------------------------------------------------

FILE_TYPES = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
}


class UploadRefused(ValueError):
    """An upload that is not accepted; `reason` is one of: empty, too_large, svg, type,
    disguised, damaged, name."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def sniff(data: bytes) -> str | None:
    """The content type from the first bytes, for the accepted types only."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def safe_name(filename: str) -> str:
    """A plain ASCII file name: letters, digits, dot, dash and underscore only."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-_")
    base = re.sub(r"-{2,}", "-", base)
    base = re.sub(r"[-_]+\.", ".", base).lower()
    if len(base) > 100:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 99 - len(ext)] + dot + ext) if dot else base[:100]
    return base


def check_upload(
    filename: str, data: bytes | Path, *, max_bytes: int, max_image_bytes: int
) -> tuple[str, str]:
    """Accept or refuse an upload, given as bytes or as the path of a file on disk (then
    only its first bytes, and an image's own structure, are read): returns (safe name,
    content type) or raises UploadRefused."""
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    if not size:
        raise UploadRefused("empty")
    if size > max_bytes:
        raise UploadRefused("too_large", str(max_bytes))
    head = _head(data)
    content_type = sniff(head)
    if content_type is None:
        raise UploadRefused("svg" if _looks_like_svg(head) else "type")
    if content_type.startswith("image/") and size > max_image_bytes:
        raise UploadRefused("too_large", str(max_image_bytes))
    extensions = FILE_TYPES[content_type]
    name = safe_name(filename)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if not stem:
        raise UploadRefused("name")
    if ext and ext not in extensions:
        raise UploadRefused("disguised", ext)
    if content_type.startswith("image/"):
        _check_image(data)
    return f"{stem}.{ext or extensions[0]}", content_type


_HEAD_BYTES = 2048  # enough for every signature sniffed and the SVG check


def _head(data: bytes | Path) -> bytes:
    if isinstance(data, Path):
        with data.open("rb") as handle:
            return handle.read(_HEAD_BYTES)
    return data[:_HEAD_BYTES]


def _check_image(data: bytes | Path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(data if isinstance(data, Path) else io.BytesIO(data)) as image:
                image.verify()
    except Exception as exc:  # Pillow raises many kinds; any of them means "not an image"
        raise UploadRefused("damaged") from exc
