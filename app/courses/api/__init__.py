"""JSON API of the courses feature (flask-smorest). Importing this package attaches every
endpoint to the feature's three API blueprints."""

from app.courses import courses_api, learning_api, units_api
from app.courses.api import courses, learning, outline, units

__all__ = ["courses", "courses_api", "learning", "learning_api", "outline", "units", "units_api"]
