"""Online learning: competency units, courses with frozen versions, modules and lessons,
the catalogue, cohorts, enrolment, progress and completion.

The feature's blueprints live here; `app.courses.routes` and `app.courses.api` attach their
views to them, and the app factory imports those two packages to register them."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import nav
from app.api import ApiBlueprint

bp = Blueprint("courses", __name__, template_folder="templates")

courses_api = ApiBlueprint(
    "courses_api",
    __name__,
    url_prefix="/api/v1/courses",
    description="Courses: the catalogue, and authoring by a course's instructors and its "
    "institution's admins.",
)
learning_api = ApiBlueprint(
    "learning_api",
    __name__,
    url_prefix="/api/v1",
    description="Cohorts, enrolment and progress.",
)
units_api = ApiBlueprint(
    "units_api",
    __name__,
    url_prefix="/api/v1/units",
    description="Competency units (SKKNI): codes like TIK.OP02.001.01 or J.620100.004.01, "
    "titles in Indonesian and English, elements and performance criteria (KUK).",
)

nav.add("courses.catalogue", _l("Courses"), order=20)
nav.add("courses.my_courses", _l("My courses"), roles=("trainee",), order=21)
nav.add(
    "courses.manage", _l("Authoring"), roles=("instructor", "institution_admin", "admin"), order=22
)
