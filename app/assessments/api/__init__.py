"""JSON API of the assessments feature (flask-smorest). Importing this package attaches every
endpoint to the feature's two API blueprints."""

from app.assessments import assessments_api, attempts_api
from app.assessments.api import assessments, attempts

__all__ = ["assessments", "assessments_api", "attempts", "attempts_api"]
