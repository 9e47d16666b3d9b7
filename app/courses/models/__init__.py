"""Courses models: competency units, courses and their frozen versions, modules, lessons and
files (course.py); cohorts, enrolments and lesson progress (learning.py). Importing this
package registers every table of the feature."""

from app.courses.models.course import (
    CERTIFICATE_KINDS,
    Attachment,
    CompetencyUnit,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Lesson,
    Module,
    course_instructors,
)
from app.courses.models.learning import Cohort, Enrollment, LessonProgress

__all__ = [
    "CERTIFICATE_KINDS",
    "Attachment",
    "Cohort",
    "CompetencyUnit",
    "Course",
    "CourseVersion",
    "CourseVersionUnit",
    "Enrollment",
    "Lesson",
    "LessonProgress",
    "Module",
    "course_instructors",
]
