"""Online learning: competency units, courses with frozen versions, modules and lessons,
the catalogue, cohorts, enrolment, progress and completion."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import nav

bp = Blueprint("courses", __name__, template_folder="templates")

nav.add("courses.catalogue", _l("Courses"), order=20)
nav.add("courses.my_courses", _l("My courses"), roles=("trainee",), order=21)
nav.add(
    "courses.manage", _l("Authoring"), roles=("instructor", "institution_admin", "admin"), order=22
)

from app.courses.routes import (  # noqa: E402,F401
    authoring,
    cohorts,
    learning,
    outline,
    units,
)
