"""Placement web pages, one module per audience."""

from app.placement import bp, survey_bp
from app.placement.routes import (  # noqa: F401
    counselling,
    dashboard,
    employer,
    overseas,
    seeker,
    survey,
)
from app.placement.routes.common import template_labels

bp.context_processor(template_labels)
survey_bp.context_processor(template_labels)
