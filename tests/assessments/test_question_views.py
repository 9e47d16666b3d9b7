"""Question types as shown: the learner's view leaks no key, shuffling is deterministic,
review shows the key, and authored text (markdown or HTML) comes out inert."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

import pytest

from app.assessments.questions import registry, sanitize_markdown
from app.assessments.questions.markdown import ALLOWED_TAGS
from tests.assessments.question_payloads import (
    PAYLOADS,
    make,
)

SECRET_KEYS = ("correct", "accepted", "tolerance", "feedback", "weight", "answer", "value",
               "match", "grader", "case_sensitive")  # fmt: skip


def walk(node: Any) -> tuple[list[str], list[Any]]:
    """Every dict key, and every leaf value, anywhere in a nested structure."""
    keys: list[str] = []
    leaves: list[Any] = []
    if isinstance(node, dict):
        for key, value in node.items():
            keys.append(str(key))
            inner_keys, inner_leaves = walk(value)
            keys.extend(inner_keys)
            leaves.extend(inner_leaves)
    elif isinstance(node, list | tuple):
        for value in node:
            inner_keys, inner_leaves = walk(value)
            keys.extend(inner_keys)
            leaves.extend(inner_leaves)
    else:
        leaves.append(node)
    return keys, leaves


@pytest.mark.parametrize("key", sorted(PAYLOADS))
@pytest.mark.parametrize("seed", [None, 7])
def test_learner_view_leaks_no_key(key: str, seed: int | None) -> None:
    defn = make(key)
    view = registry.get(key).learner_view(defn, shuffle_seed=seed)
    keys, leaves = walk(view)
    assert not [k for k in keys if any(secret in k.lower() for secret in SECRET_KEYS)]
    text = " ".join(str(leaf) for leaf in leaves).lower()
    secrets = ["betul sekali", "hampir", "bahaya", "jawabannya", "omega", "1.5", "1,5",
               "sebut minimal", "obeng dipakai", "sandal bukan"]  # fmt: skip
    assert not [secret for secret in secrets if secret in text]
    if key == "short_answer":
        assert "ohm" not in text


@pytest.mark.parametrize(
    ("key", "variant"),
    [
        ("single_choice", {"choices": [{"id": "a", "text": "Obeng"},
                                       {"id": "b", "text": "Kunci pas"},
                                       {"id": "c", "text": "Palu", "correct": True}]}),
        ("multiple_response", {"choices": [{"id": i, "text": t, "correct": i in "de"}
                                           for i, t in zip("abcde", ["Helm", "Sarung tangan",
                                           "Sepatu safety", "Sandal", "Kaos"], strict=True)]}),
        ("true_false", {"correct": True}),
        ("short_answer", {"accepted": ["volt"]}),
        ("numeric", {"value": 9, "tolerance": 0}),
        ("matching", {"pairs": [{"id": "p1", "prompt": "Indonesia", "match": "Paris"},
                                {"id": "p2", "prompt": "Jepang", "match": "Jakarta"},
                                {"id": "p3", "prompt": "Prancis", "match": "Tokyo"}]}),
    ],
)  # fmt: skip
def test_learner_view_does_not_depend_on_the_key(key: str, variant: dict[str, Any]) -> None:
    """Two questions that differ only in their key look the same to the learner."""
    qtype = registry.get(key)
    for seed in (None, 1, 2):
        assert qtype.learner_view(make(key), shuffle_seed=seed) == qtype.learner_view(
            make(key, **variant), shuffle_seed=seed
        )


def test_shuffle_is_deterministic_per_seed() -> None:
    qtype, defn = registry.get("multiple_response"), make("multiple_response")

    def order(seed: int | None, d: dict[str, Any] = defn) -> list[str]:
        return [choice["id"] for choice in qtype.learner_view(d, shuffle_seed=seed)["choices"]]

    assert order(None) == ["a", "b", "c", "d", "e"]
    assert order(42) == order(42)
    assert len({tuple(order(seed)) for seed in range(20)}) > 1
    assert order(42, make("multiple_response", shuffle=False)) == ["a", "b", "c", "d", "e"]


def test_review_view_shows_key_and_feedback() -> None:
    qtype, defn = registry.get("single_choice"), make("single_choice")
    review = qtype.review_view(defn, "b", qtype.grade(defn, "b"))
    assert review["correct_ids"] == ["a"]
    assert review["score"] == 1.0
    assert review["feedback_html"] == "<p>Hampir</p>\n"
    assert "Obeng dipakai" in review["general_feedback_html"]
    assert [c["selected"] for c in review["choices"]] == [False, True, False]
    numeric = registry.get("numeric")
    assert numeric.review_view(make("numeric"), "1,5", numeric.grade(make("numeric"), "1,5"))[
        "accepted"
    ] == [{"value": 1.5, "tolerance": 0.1, "weight": 1.0}]
    essay = registry.get("essay")
    assert "grader_info" not in str(
        essay.review_view(make("essay"), "x", essay.grade(make("essay"), "x"))
    )


XSS = [
    "<script>alert(1)</script>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    '<a href="javascript&colon;alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)><use href=\"data:image/svg+xml,<svg id='x'/>#x\"/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    '<object data="javascript:alert(1)"></object><embed src=x>',
    "![pixel](data:image/png;base64,iVBORw0KGgo=)",
    '<a href="vbscript:msgbox(1)">x</a> <form action="javascript:x"><button>go</button></form>',
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_inert(fragment: str) -> None:
    parser = _Tags()
    parser.feed(fragment)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, fragment
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", fragment
            if name in {"href", "src"} and value and ":" in value.split("/")[0]:
                scheme = html.unescape(value).split(":")[0].strip().lower()
                assert scheme in {"http", "https", "mailto"}, fragment


@pytest.mark.parametrize("payload", XSS)
@pytest.mark.parametrize("text_format", ["markdown", "html", "plain"])
def test_xss_in_authored_text_comes_out_inert(payload: str, text_format: str) -> None:
    defn = make(
        "single_choice",
        stem=f"Soal {payload}",
        text_format=text_format,
        general_feedback=payload,
        choices=[{"text": f"A {payload}", "correct": True, "feedback": payload}, {"text": "B"}],
    )
    qtype = registry.get("single_choice")
    for view in (qtype.learner_view(defn), qtype.review_view(defn, None, qtype.grade(defn, None))):
        for leaf in walk(view)[1]:
            if isinstance(leaf, str):
                assert_inert(leaf)


def test_links_are_kept_safe_and_marked() -> None:
    rendered = sanitize_markdown("[SKKNI](https://skkni.kemnaker.go.id) dan **tebal**")
    assert 'href="https://skkni.kemnaker.go.id"' in rendered
    assert 'rel="noopener noreferrer nofollow"' in rendered
    assert "<strong>tebal</strong>" in rendered
    assert "<script" not in sanitize_markdown("<script>alert(1)</script>")
