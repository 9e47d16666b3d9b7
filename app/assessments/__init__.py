"""Assessments: question banks, timed online exams graded on the server, and practical
competency judgements by assessors.

The web blueprint lives here; `app.assessments.routes` attaches its pages and `api.py` is the
JSON API; the app factory imports both. Importing the package registers the "assessments"
completion requirement with the courses feature (services/hooks.py) and the CLI command.
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

from app.assessments import cli  # noqa: E402,F401
from app.assessments.services import hooks  # noqa: E402,F401
