"""Safe rendering of authored text (question stems, choices, feedback) to HTML.

Markdown goes through markdown-it-py's ``js-default`` preset, which leaves raw HTML escaped,
and the result through an nh3 allow-list anyway, so a bug or preset change in one layer is
caught by the other. HTML stems (imported from GIFT ``[html]`` or Moodle XML) skip markdown
and go straight through the same allow-list.
"""

from __future__ import annotations

import html
from typing import Literal

import nh3
from markdown_it import MarkdownIt

TextFormat = Literal["markdown", "html", "plain"]
TEXT_FORMATS: frozenset[str] = frozenset({"markdown", "html", "plain"})

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

_md = MarkdownIt("js-default")
_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style", "template", "noscript", "iframe", "object"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_html(text: str) -> str:
    """Clean an HTML fragment down to the allow-list (tags, attributes, URL schemes)."""
    return _cleaner.clean(text)


def sanitize_markdown(text: str) -> str:
    """Render markdown as block HTML (raw HTML escaped) and clean it."""
    return sanitize_html(_md.render(text))


def sanitize_markdown_inline(text: str) -> str:
    """Render one line of markdown (a choice, a matching prompt) without a ``<p>`` wrapper."""
    return sanitize_html(_md.renderInline(text))


def render_text(text: str | None, fmt: str = "markdown", *, inline: bool = False) -> str:
    """Render authored text in its declared format to safe HTML; ``None`` gives ``""``."""
    if not text:
        return ""
    if fmt == "html":
        return sanitize_html(text)
    if fmt == "plain":
        escaped = html.escape(text)
        return escaped if inline else "<p>" + escaped.replace("\n", "<br>") + "</p>"
    return sanitize_markdown_inline(text) if inline else sanitize_markdown(text)
