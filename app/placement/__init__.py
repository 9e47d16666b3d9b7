"""Training joined to work: job seeker profiles, career counselling, vacancies matched to
verified competencies, overseas apprenticeships, the employment survey and outcome
dashboards. Certificates are read only through `app.placement.verified`."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import nav

bp = Blueprint(
    "placement", __name__, url_prefix="/placement", template_folder="templates", cli_group=None
)
survey_bp = Blueprint("survey", __name__, url_prefix="/survey", template_folder="templates")

nav.add("placement.home", _l("Jobs"), roles=("trainee",), order=60)
nav.add("placement.caseload", _l("Caseload"), roles=("placement_officer",), order=60)
nav.add("placement.employer_home", _l("Vacancies"), roles=("employer",), order=60)
nav.add("placement.dashboard", _l("Outcomes"), roles=("institution_admin", "admin"), order=70)
nav.add("placement.companies", _l("Companies"), roles=("admin",), order=71)
