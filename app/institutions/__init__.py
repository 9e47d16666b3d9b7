from flask import Blueprint

bp = Blueprint("institutions", __name__, template_folder="templates")

from app.institutions import routes  # noqa: E402,F401
