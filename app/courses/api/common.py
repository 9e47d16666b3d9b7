"""Loaders shared by the JSON API modules: the course a caller may see, or may edit."""

from __future__ import annotations

from flask_babel import gettext as _

from app.api import current_api_user
from app.courses.models import Course
from app.courses.permissions import can_edit_course, can_view_course
from app.courses.services.catalogue import load_course
from app.errors import Forbidden, NotFound

NOT_FOUND = "No such course (or not one you may see)"


def visible(course_id: int) -> Course:
    course = load_course(course_id)
    if course is None or not can_view_course(current_api_user(), course):
        raise NotFound(_("Course not found."))
    return course


def editable(course_id: int) -> Course:
    course = visible(course_id)
    if not can_edit_course(current_api_user(), course):
        raise Forbidden(_("You may not edit this course."))
    return course
