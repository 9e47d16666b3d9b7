"""GIFT import: every question kind, escapes, formats, and per-question syntax errors."""

from __future__ import annotations

from typing import Any

import pytest

from app.assessments.importers import ImportFormatError, parse_gift
from app.assessments.questions import registry


def only(text: str) -> tuple[str, dict[str, Any]]:
    """Parse a file that must hold exactly one good question."""
    questions, errors = parse_gift(text)
    assert errors == []
    assert len(questions) == 1
    return questions[0].type_key, questions[0].definition


def choices(defn: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(choice["text"], choice["correct"]) for choice in defn["choices"]]


def test_single_choice_with_feedback_weights_and_general_feedback() -> None:
    key, defn = only(
        "::Obeng::Alat untuk sekrup? {\n"
        "  =Obeng#Betul\n"
        "  ~Palu#Salah\n"
        "  ~%50%Kunci pas\n"
        "  ####Obeng untuk sekrup.\n"
        "}\n"
    )
    assert key == "single_choice"
    assert defn["stem"] == "Alat untuk sekrup?"
    assert choices(defn) == [("Obeng", True), ("Palu", False), ("Kunci pas", False)]
    assert [c["weight"] for c in defn["choices"]] == [1.0, 0.0, 0.5]
    assert [c["feedback"] for c in defn["choices"]] == ["Betul", "Salah", None]
    assert defn["general_feedback"] == "Obeng untuk sekrup."


def test_multiple_response_when_no_answer_is_marked_equal() -> None:
    key, defn = only("Pilih APD {~%50%Helm ~%50%Sepatu ~%-100%Sandal}")
    assert key == "multiple_response"
    assert choices(defn) == [("Helm", True), ("Sepatu", True), ("Sandal", False)]
    assert defn["scoring"] == "partial"


@pytest.mark.parametrize(
    ("block", "correct"),
    [("{T}", True), ("{F}", False), ("{TRUE}", True), ("{FALSE}", False), ("{ true }", True)],
)
def test_true_false(block: str, correct: bool) -> None:
    key, defn = only(f"Listrik berbahaya. {block}")
    assert key == "true_false"
    assert defn["correct"] is correct


def test_true_false_feedback_is_wrong_then_right() -> None:
    _, defn = only("Api butuh oksigen. {T#Salah, api butuh oksigen#Benar}")
    assert defn["feedback_true"] == "Benar"
    assert defn["feedback_false"] == "Salah, api butuh oksigen"


def test_short_answer_with_partial_weight() -> None:
    key, defn = only("Satuan hambatan? {=ohm =Ω =%50%omega#hampir =%0%volt#bukan}")
    assert key == "short_answer"
    assert [(a["text"], a["weight"], a["feedback"]) for a in defn["accepted"]] == [
        ("ohm", 1.0, None),
        ("Ω", 1.0, None),
        ("omega", 0.5, "hampir"),
    ]


@pytest.mark.parametrize(
    ("block", "accepted"),
    [
        ("{#3.5:0.1}", [(3.5, 0.1, 1.0)]),
        ("{#3.5}", [(3.5, 0.0, 1.0)]),
        ("{#1..5}", [(3.0, 2.0, 1.0)]),
        ("{#-5..-1}", [(-3.0, 2.0, 1.0)]),
        ("{#1822:5#Tepat}", [(1822.0, 5.0, 1.0)]),
        ("{#=3.14:0.01 =%50%3:0.5 ~%0%0#bukan}", [(3.14, 0.01, 1.0), (3.0, 0.5, 0.5)]),
    ],
)
def test_numeric(block: str, accepted: list[tuple[float, float, float]]) -> None:
    key, defn = only(f"Berapa? {block}")
    assert key == "numeric"
    got = [(a["value"], a["tolerance"], a["weight"]) for a in defn["accepted"]]
    assert [n for row in got for n in row] == pytest.approx([n for row in accepted for n in row])


def test_matching_with_a_distractor() -> None:
    key, defn = only(
        "Pasangkan ibu kota. {\n =Indonesia -> Jakarta\n =Jepang -> Tokyo\n = -> Paris\n}"
    )
    assert key == "matching"
    assert [(p["prompt"], p["match"]) for p in defn["pairs"]] == [
        ("Indonesia", "Jakarta"),
        ("Jepang", "Tokyo"),
    ]
    assert defn["distractors"] == ["Paris"]


def test_essay_and_missing_word() -> None:
    key, defn = only("Jelaskan prinsip K3. {}")
    assert (key, defn["stem"]) == ("essay", "Jelaskan prinsip K3.")
    key, defn = only("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert (key, defn["stem"]) == ("single_choice", "Grant is _____ in Grant's tomb.")


def test_escapes_comments_and_categories() -> None:
    text = (
        "// komentar di awal\n"
        "$CATEGORY: $course$/K3/Listrik\n"
        "\n"
        "::Rumus\\: Ohm:: Nilai \\{V\\} \\= I \\~ R \\# 1? {\n"
        "// komentar di dalam soal\n"
        "=V \\= I×R ~V \\= I/R#bukan \\#1\n"
        "}\n"
    )
    _, defn = only(text)
    questions, _ = parse_gift(text)
    assert questions[0].name == "Rumus: Ohm"
    assert questions[0].line_or_index == 4
    assert defn["stem"] == "Nilai {V} = I ~ R # 1?"
    assert choices(defn) == [("V = I×R", True), ("V = I/R", False)]
    assert defn["choices"][1]["feedback"] == "bukan #1"


def test_newline_escape_and_backslash() -> None:
    _, defn = only("Baris satu\\nbaris dua C:\\\\temp {T}")
    assert defn["stem"] == "Baris satu\nbaris dua C:\\temp"


@pytest.mark.parametrize(
    ("marker", "text_format"),
    [("", "markdown"), ("[markdown]", "markdown"), ("[html]", "html"), ("[plain]", "plain"),
     ("[moodle]", "html")],
)  # fmt: skip
def test_format_markers(marker: str, text_format: str) -> None:
    _, defn = only(f"::Q::{marker}<b>Tebal</b> soal {{T}}")
    assert defn["text_format"] == text_format
    assert defn["stem"] == "<b>Tebal</b> soal"


def test_html_stems_are_sanitised_when_shown() -> None:
    _, defn = only('[html]<p onclick="x()">Soal <script>alert(1)</script><b>ini</b></p> {T}')
    view = registry.get("true_false").learner_view(defn)
    assert view["stem_html"] == "<p>Soal <b>ini</b></p>"


def test_question_without_title_is_named_from_its_stem() -> None:
    questions, _ = parse_gift("Siapa yang menerbitkan sertifikat kompetensi di Indonesia? {=BNSP}")
    assert questions[0].name == "Siapa yang menerbitkan sertifikat kompetensi di Indonesia?"


BROKEN = """\
// Satu file, soal baik dan buruk bercampur.
::Baik1:: 2+2? {=4 ~5}

::Kurung:: Tidak ditutup {=a ~b
~c

::Baik2:: Air mendidih pada 100 C. {T}

::Kosong:: Jawaban kosong {=}

::Jodoh:: Terlalu sedikit {=a -> b}

::Numerik:: Bukan angka {#abc}

::Rentang:: Terbalik {#5..1}

::Dua:: Dua blok {T} dan {F}

::Judul tanpa penutup {T}

Tanpa blok jawaban sama sekali

::Aneh:: Blok tak dikenal {maybe}

::Campur:: Jodoh dan pilihan {=a -> b =c -> d ~e}

::Bobot:: Tanpa jawaban benar {~a ~b}

::Baik3:: Ibu kota? {=Jakarta}
"""


def test_syntax_errors_are_reported_by_line_and_good_questions_still_import() -> None:
    questions, errors = parse_gift(BROKEN)
    assert [(q.name, q.line_or_index) for q in questions] == [
        ("Baik1", 2),
        ("Baik2", 7),
        ("Baik3", 29),
    ]
    by_line = {error.line_or_index: error.message for error in errors}
    assert sorted(by_line) == [4, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27]
    assert "never closed" in by_line[4]
    assert "empty" in by_line[9]
    assert "at least 2 pairs" in by_line[11]
    assert "not a number" in by_line[13]
    assert "ends below its start" in by_line[15]
    assert "Only one answer block" in by_line[17]
    assert "title" in by_line[19]
    assert "no answer block" in by_line[21]
    assert "not a known kind" in by_line[23]
    assert "=item -> match" in by_line[25]
    assert "correct" in by_line[27]


def test_error_line_points_inside_a_long_question() -> None:
    text = "// x\n\n::Q::\nBaris soal\nlagi {\n=a\n~b\n"
    questions, errors = parse_gift(text)
    assert questions == []
    assert [(e.line_or_index, e.message) for e in errors] == [
        (5, "The answer block '{' is never closed")
    ]


def test_crlf_bom_and_bytes() -> None:
    questions, errors = parse_gift("\ufeff::A:: x {T}\r\n\r\n::B:: y {F}\r\n".encode())
    assert [q.name for q in questions] == ["A", "B"] and errors == []


@pytest.mark.parametrize("data", [b"\xff\xfe\x00bad", "teks\x00biner {T}"])
def test_unreadable_files_raise(data: str | bytes) -> None:
    with pytest.raises(ImportFormatError):
        parse_gift(data)


def test_empty_file_is_empty() -> None:
    assert tuple(parse_gift("// hanya komentar\n\n$CATEGORY: x\n")) == ([], [])
