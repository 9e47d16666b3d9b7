from flask import Blueprint

bp = Blueprint("institutions", __name__, template_folder="templates")
