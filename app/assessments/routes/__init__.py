"""HTML pages of the assessments feature. Importing this package attaches every page to the
feature's blueprint, `bp`."""

from app.assessments import bp
from app.assessments.routes import index, staff, trainee

__all__ = ["bp", "index", "staff", "trainee"]
