"""Assessments: question banks, timed online exams graded on the server, and practical
competency judgements by assessors.

The web blueprint lives here; the JSON API in `api.py`. Importing the package registers the
"assessments" completion requirement with the courses feature (see hooks.py).
"""

from flask import Blueprint

bp = Blueprint(
    "assessments",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assessments/static",
    cli_group=None,
)

from app.assessments import cli, hooks, index_routes, routes, staff_routes  # noqa: E402,F401
