"""Moodle XML import: each supported type, skipped and refused entries, and hostile XML."""

from __future__ import annotations

from typing import Any

import pytest

from app.assessments.importers import ImportFormatError, parse_moodle_xml
from app.assessments.questions import registry


def question(qtype: str, body: str, name: str = "Soal", text: str = "Teks soal") -> str:
    return (
        f'<question type="{qtype}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[<p>{text}</p>]]></text></questiontext>'
        f"{body}</question>"
    )


def answer(fraction: float, text: str, feedback: str = "", extra: str = "") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text>{text}</text>'
        f"<feedback><text>{feedback}</text></feedback>{extra}</answer>"
    )


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"


def only(*questions: str) -> tuple[str, dict[str, Any]]:
    imported, errors = parse_moodle_xml(quiz(*questions))
    assert errors == []
    assert len(imported) == 1
    return imported[0].type_key, imported[0].definition


def test_multichoice_single_becomes_single_choice() -> None:
    key, defn = only(
        question(
            "multichoice",
            "<single>true</single><shuffleanswers>0</shuffleanswers><defaultgrade>2</defaultgrade>"
            "<generalfeedback><text>Obeng untuk sekrup</text></generalfeedback>"
            + answer(100, "Obeng", "Betul")
            + answer(50, "Kunci pas")
            + answer(0, "Palu", "Salah"),
        )
    )
    assert key == "single_choice"
    assert defn["text_format"] == "html" and defn["stem"] == "<p>Teks soal</p>"
    assert defn["points"] == 2.0 and defn["shuffle"] is False
    assert defn["general_feedback"] == "Obeng untuk sekrup"
    assert [(c["text"], c["correct"], c["weight"], c["feedback"]) for c in defn["choices"]] == [
        ("Obeng", True, 1.0, "Betul"),
        ("Kunci pas", False, 0.5, None),
        ("Palu", False, 0.0, "Salah"),
    ]


def test_multichoice_multiple_becomes_multiple_response() -> None:
    key, defn = only(
        question(
            "multichoice",
            "<single>false</single>"
            + answer(50, "Helm")
            + answer(50, "Sepatu")
            + answer(-100, "Sandal"),
        )
    )
    assert key == "multiple_response"
    assert [(c["text"], c["correct"]) for c in defn["choices"]] == [
        ("Helm", True),
        ("Sepatu", True),
        ("Sandal", False),
    ]


def test_truefalse() -> None:
    key, defn = only(
        question("truefalse", answer(0, "true", "Bahaya!") + answer(100, "false", "Benar"))
    )
    assert key == "true_false"
    assert defn["correct"] is False
    assert (defn["feedback_true"], defn["feedback_false"]) == ("Bahaya!", "Benar")


def test_shortanswer_with_case_and_catch_all_feedback() -> None:
    key, defn = only(
        question(
            "shortanswer",
            "<usecase>1</usecase>"
            + answer(100, "Ohm")
            + answer(50, "omega")
            + answer(0, "*", "Jawabannya Ohm"),
        )
    )
    assert key == "short_answer"
    assert defn["case_sensitive"] is True
    assert [(a["text"], a["weight"]) for a in defn["accepted"]] == [("Ohm", 1.0), ("omega", 0.5)]
    assert defn["feedback_incorrect"] == "Jawabannya Ohm"


def test_numerical_with_tolerance() -> None:
    key, defn = only(
        question(
            "numerical",
            answer(100, "1.5", "Tepat", "<tolerance>0.1</tolerance>")
            + answer(50, "2", "", "<tolerance>0</tolerance>"),
        )
    )
    assert key == "numeric"
    assert [(a["value"], a["tolerance"], a["weight"]) for a in defn["accepted"]] == [
        (1.5, 0.1, 1.0),
        (2.0, 0.0, 0.5),
    ]
    assert registry.get("numeric").grade(defn, "1,55").correct is True


def test_matching_with_distractor() -> None:
    subs = "".join(
        f"<subquestion><text>{prompt}</text><answer><text>{match}</text></answer></subquestion>"
        for prompt, match in [("Indonesia", "Jakarta"), ("Jepang", "Tokyo"), ("", "Paris")]
    )
    key, defn = only(question("matching", subs))
    assert key == "matching"
    assert [(p["prompt"], p["match"]) for p in defn["pairs"]] == [
        ("Indonesia", "Jakarta"),
        ("Jepang", "Tokyo"),
    ]
    assert defn["distractors"] == ["Paris"]


def test_essay_keeps_grader_info_out_of_the_learner_view() -> None:
    key, defn = only(question("essay", "<graderinfo><text>Minimal 3 prinsip</text></graderinfo>"))
    assert key == "essay" and defn["grader_info"] == "Minimal 3 prinsip"
    assert "Minimal 3" not in str(registry.get("essay").learner_view(defn))


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("html", "html"), ("moodle_auto_format", "html"), ("markdown", "markdown"),
     ("plain_text", "plain")],
)  # fmt: skip
def test_text_formats(fmt: str, expected: str) -> None:
    xml = quiz(
        f'<question type="truefalse"><questiontext format="{fmt}"><text>Soal</text>'
        f"</questiontext>{answer(100, 'true')}{answer(0, 'false')}</question>"
    )
    assert parse_moodle_xml(xml).questions[0].definition["text_format"] == expected


def test_html_stem_is_sanitised_when_shown() -> None:
    _, defn = only(
        question("truefalse", answer(100, "true") + answer(0, "false"),
                 text='<img src=x onerror="alert(1)"><script>alert(1)</script>Aman')
    )  # fmt: skip
    assert registry.get("true_false").learner_view(defn)["stem_html"] == '<p><img src="x">Aman</p>'


def test_bad_and_unsupported_questions_are_reported_by_position() -> None:
    xml = quiz(
        '<question type="category"><category><text>$course$/K3</text></category></question>',
        question("multichoice", "<single>true</single>" + answer(100, "A") + answer(0, "B")),
        question("cloze", ""),
        question("multichoice", "<single>true</single>" + answer(0, "A") + answer(0, "B")),
        question("numerical", answer(100, "abc")),
        question("truefalse", answer(100, "ya") + answer(0, "tidak")),
        question("shortanswer", answer(100, "ko*pi")),
        question("matching", "<subquestion><text>a</text><answer><text>b</text></answer>"
                             "</subquestion>"),
        '<question type="essay"><questiontext><text> </text></questiontext></question>',
        question("multichoice", answer("lots", "A")),
        question("truefalse", answer(100, "true") + answer(0, "false"), name="Terakhir"),
    )  # fmt: skip
    imported, errors = parse_moodle_xml(xml)
    assert [(q.line_or_index, q.name) for q in imported] == [(2, "Soal"), (11, "Terakhir")]
    by_index = {error.line_or_index: error.message for error in errors}
    assert sorted(by_index) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "'cloze' cannot be imported" in by_index[3]
    assert "correct" in by_index[4]
    assert "value" in by_index[5]
    assert "'ya'" in by_index[6]
    assert "Wildcard" in by_index[7]
    assert "pairs" in by_index[8]
    assert "stem" in by_index[9]
    assert "fraction" in by_index[10]


def test_name_falls_back_to_the_stem() -> None:
    xml = quiz(
        '<question type="truefalse"><questiontext format="plain_text"><text>Api butuh oksigen'
        f"</text></questiontext>{answer(100, 'true')}{answer(0, 'false')}</question>"
    )
    assert parse_moodle_xml(xml.encode()).questions[0].name == "Api butuh oksigen"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><questiontext><text>&lol9;</text></questiontext></question></quiz>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><questiontext><text>&xxe;</text></questiontext></question></quiz>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, BILLION_LAUGHS.encode()])
def test_entity_attacks_are_refused(data: str | bytes) -> None:
    with pytest.raises(ImportFormatError, match="refused for safety"):
        parse_moodle_xml(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<quiz><question type='essay'>", "not well-formed"),
        ("not xml at all", "not well-formed"),
        (b"", "not well-formed"),
        ("<html><body/></html>", "not <quiz>"),
    ],
)
def test_unreadable_files_raise(data: str | bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        parse_moodle_xml(data)


def test_empty_quiz_imports_nothing() -> None:
    assert tuple(parse_moodle_xml("<quiz/>")) == ([], [])
