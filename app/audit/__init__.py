"""The audit trail: append-only events, the pages and API that read them, the CSV export."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import nav

bp = Blueprint("audit", __name__, template_folder="templates")

nav.add("audit.index", _l("Audit log"), roles=("institution_admin", "admin"), order=90)
