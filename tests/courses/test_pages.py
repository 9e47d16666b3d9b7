"""Pages stay cheap: the number of SQL queries does not grow with the size of a course or
the catalogue, and a lesson page (HTML and CSS, media excluded) keeps to its weight budget."""

from __future__ import annotations

import pytest

from tests.courses.conftest import count_queries

PAGE_BUDGET_BYTES = 60 * 1024
MAX_QUERIES = 15


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: templates compiled, session user cached by nothing
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.mark.parametrize("who", ["trainee", "editor", "visitor"])
def test_course_and_lesson_pages_cost_the_same_with_5_or_500_lessons(
    app, client, client_as, make_course, enrol, who
):
    small = make_course(modules=1, lessons=5)
    large = make_course(modules=20, lessons=25)
    counts = {}
    for name, built in (("small", small), ("large", large)):
        if who == "trainee":
            browser = client_as("trainee")
            enrol(browser.user, built)
            browser.post(f"/courses/{built.id}/lessons/{built.lesson_ids[0]}/complete")
        elif who == "editor":
            browser = client_as(user=built.instructor)
        else:
            browser = client
        pages = [f"/courses/{built.id}"]
        if who != "visitor":
            pages.append(f"/courses/{built.id}/lessons/{built.lesson_ids[2]}")
        if who == "editor":
            pages += [f"/courses/{built.id}/author", f"/courses/{built.id}/progress"]
        counts[name] = [_queries(browser, url) for url in pages]
    assert counts["small"] == counts["large"], counts
    assert max(counts["large"]) <= MAX_QUERIES, counts


def test_catalogue_costs_the_same_with_few_or_many_courses(
    app, client, make_course, make_institution
):
    institution = make_institution()
    make_course(institution=institution, modules=1, lessons=5)
    few = _queries(client, "/courses?q=kursus")
    for _ in range(30):
        make_course(institution=institution, modules=1, lessons=1)
    make_course(institution=institution, modules=10, lessons=50)
    many = _queries(client, "/courses?q=kursus")
    assert few == many <= 6
    assert _queries(client, "/api/v1/courses?q=kursus&sector=tik") <= 4


def test_my_courses_costs_the_same_with_more_enrolments(app, client_as, make_course, enrol):
    trainee = client_as("trainee")
    enrol(trainee.user, make_course(modules=1, lessons=5))
    few = _queries(trainee, "/my/courses")
    for _ in range(5):
        enrol(trainee.user, make_course(modules=3, lessons=20))
    assert _queries(trainee, "/my/courses") == few


def test_lesson_page_keeps_to_its_weight_budget(app, client_as, make_course, enrol):
    body = "\n\n".join(
        f"## Bagian {n}\n\nPenjelasan yang cukup panjang tentang langkah kerja {n}, "
        "dengan **istilah penting** dan [tautan](https://kemnaker.go.id)."
        for n in range(40)
    )
    built = make_course(modules=20, lessons=25, body=body + "\n\nhttps://youtu.be/dQw4w9WgXcQ")
    trainee = client_as("trainee")
    enrol(trainee.user, built)
    page = trainee.get(f"/courses/{built.id}/lessons/{built.lesson_ids[30]}")
    html = page.get_data()
    assert b"<iframe" in html and b"<script" not in html
    css_urls = [part.split(b'"')[0] for part in html.split(b'rel="stylesheet" href="')[1:]]
    assert css_urls
    css = 0
    for url in css_urls:
        with trainee.get(url.decode()) as response:
            css += len(response.get_data())
    assert len(html) + css < PAGE_BUDGET_BYTES, (len(html), css)


def test_pages_work_without_javascript(app, client_as, make_course, enrol):
    """Every action is a link or a form; no page of the feature ships a script."""
    built = make_course()
    trainee = client_as("trainee")
    enrol(trainee.user, built)
    editor = client_as(user=built.instructor)
    urls = [
        (trainee, f"/courses/{built.id}"),
        (trainee, f"/courses/{built.id}/lessons/{built.lesson_ids[0]}"),
        (trainee, "/courses"),
        (trainee, "/my/courses"),
        (editor, f"/courses/{built.id}/author"),
        (editor, f"/courses/{built.id}/cohorts"),
        (editor, f"/courses/{built.id}/modules/{built.module_ids[0]}/lessons/new"),
    ]
    for browser, url in urls:
        html = browser.get(url).get_data(as_text=True)
        assert "<script" not in html and " onclick=" not in html and "style=" not in html, url
