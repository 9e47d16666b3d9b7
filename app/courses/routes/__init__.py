"""HTML pages of the courses feature. Importing this package attaches every page to the
feature's blueprint, `bp`."""

from app.courses import bp
from app.courses.routes import authoring, cohorts, learning, outline, units

__all__ = ["authoring", "bp", "cohorts", "learning", "outline", "units"]
