"""JSON API, continued: the outline of a draft (modules and lessons) and the course's files.
The routes belong to the courses_api blueprint, as those of courses.py do."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _

from app.api import BEARER, current_api_user, token_required
from app.courses import courses_api as blp
from app.courses.api.common import NOT_FOUND, editable, visible
from app.courses.permissions import can_edit_course, can_study
from app.courses.routes.common import render_lesson_body
from app.courses.schemas import (
    CourseAttachmentSchema,
    CourseUploadSchema,
    LessonContentSchema,
    LessonInputSchema,
    LessonOutlineSchema,
    LessonUpdateSchema,
    ModuleInputSchema,
    ModuleOutlineSchema,
    ModuleUpdateSchema,
    OutlineOrderSchema,
)
from app.courses.services import attachments, enrolment, outline
from app.courses.services.catalogue import lesson_in_course
from app.errors import Forbidden, NotFound

LESSON_FIELDS = (
    "id",
    "key",
    "position",
    "title",
    "duration_minutes",
    "required",
    "module_id",
    "body",
)


@blp.route("/<int:course_id>/modules")
class Modules(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(ModuleInputSchema)
    @blp.response(201, ModuleOutlineSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(422, description="Invalid body")
    def post(self, body: dict, course_id: int):
        """Add a module at the end of the draft (started if needed)."""
        course = editable(course_id)
        module = outline.add_module(current_api_user(), course, body["title"], body["summary"])
        return module


@blp.route("/<int:course_id>/modules/order")
class ModuleOrder(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(OutlineOrderSchema)
    @blp.response(200, ModuleOutlineSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(422, description="Not every module exactly once (a repeat, a stranger)")
    def put(self, body: dict, course_id: int):
        """Reorder the draft's modules."""
        course = editable(course_id)
        ordered = outline.reorder_modules(current_api_user(), course, body["ids"])
        return ordered


@blp.route("/<int:course_id>/modules/<int:module_id>")
class ModuleItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(ModuleUpdateSchema, required=False)
    @blp.response(200, ModuleOutlineSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or module")
    @blp.alt_response(409, description="The module belongs to a published (frozen) version")
    @blp.alt_response(422, description="Invalid body")
    def patch(self, body: dict, course_id: int, module_id: int):
        """Rename a draft module."""
        course = editable(course_id)
        module = outline.get_module(course, module_id)
        title = body.get("title", module.title)
        outline.update_module(current_api_user(), module, title, body.get("summary"))
        return module

    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(204)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or module")
    @blp.alt_response(409, description="The module belongs to a published (frozen) version")
    def delete(self, course_id: int, module_id: int):
        """Delete a draft module and its lessons."""
        course = editable(course_id)
        outline.delete_module(current_api_user(), outline.get_module(course, module_id))


@blp.route("/<int:course_id>/modules/<int:module_id>/lessons")
class Lessons(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(LessonInputSchema)
    @blp.response(201, LessonOutlineSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or module")
    @blp.alt_response(409, description="The module belongs to a published (frozen) version")
    @blp.alt_response(422, description="Invalid body")
    def post(self, body: dict, course_id: int, module_id: int):
        """Add a lesson at the end of a draft module."""
        course = editable(course_id)
        module = outline.get_module(course, module_id)
        lesson = outline.add_lesson(current_api_user(), module, **body)
        return lesson


@blp.route("/<int:course_id>/modules/<int:module_id>/lessons/order")
class LessonOrder(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(OutlineOrderSchema)
    @blp.response(200, LessonOutlineSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or module")
    @blp.alt_response(409, description="The module belongs to a published (frozen) version")
    @blp.alt_response(422, description="Not every lesson exactly once (a repeat, a stranger)")
    def put(self, body: dict, course_id: int, module_id: int):
        """Reorder the lessons of a draft module."""
        course = editable(course_id)
        module = outline.get_module(course, module_id)
        ordered = outline.reorder_lessons(current_api_user(), module, body["ids"])
        return ordered


@blp.route("/<int:course_id>/lessons/<int:lesson_id>")
class LessonItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, LessonContentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not enrolled in this version, nor an editor")
    @blp.alt_response(404, description="No such course or lesson")
    def get(self, course_id: int, lesson_id: int):
        """A lesson's content (Markdown and sanitised HTML), for its trainees and editors."""
        course = visible(course_id)
        lesson = lesson_in_course(course.id, lesson_id)
        if lesson is None:
            raise NotFound(_("Lesson not found."))
        user = current_api_user()
        record = enrolment.current_enrollment(user.id, course.id)
        studying = can_study(user, record, lesson.version_id)
        if not studying and not can_edit_course(user, course):
            raise Forbidden(_("Enrol in the course to study its lessons."))
        return {
            **{name: getattr(lesson, name) for name in LESSON_FIELDS},
            "version": lesson.version.number,
            "html": str(render_lesson_body(course.id, lesson.body)),
        }

    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(LessonUpdateSchema, required=False)
    @blp.response(200, LessonOutlineSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course, lesson or module")
    @blp.alt_response(409, description="The lesson belongs to a published (frozen) version")
    @blp.alt_response(422, description="Invalid body")
    def patch(self, body: dict, course_id: int, lesson_id: int):
        """Change a draft lesson, or move it to another module of the draft."""
        course = editable(course_id)
        lesson = outline.get_lesson(course, lesson_id)
        user = current_api_user()
        module_id = body.pop("module_id", None)
        if body:
            outline.update_lesson(user, lesson, **body)
        if module_id is not None:
            outline.move_lesson_to(user, lesson, outline.get_module(course, module_id))
        return lesson

    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(204)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or lesson")
    @blp.alt_response(409, description="The lesson belongs to a published (frozen) version")
    def delete(self, course_id: int, lesson_id: int):
        """Delete a draft lesson."""
        course = editable(course_id)
        outline.delete_lesson(current_api_user(), outline.get_lesson(course, lesson_id))


@blp.route("/<int:course_id>/attachments")
class Attachments(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseAttachmentSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: int):
        """The course's images and files."""
        return attachments.for_course(editable(course_id).id)

    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(CourseUploadSchema, location="files")
    @blp.response(201, CourseAttachmentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(413, description="Too large (images 2 MB, files 8 MB)")
    @blp.alt_response(422, description="Not a PNG, JPEG, GIF, WebP or PDF (by content), or SVG")
    def post(self, files: dict, course_id: int):
        """Upload an image or a PDF; refer to it in lessons as `attachment:<name>`."""
        course = editable(course_id)
        upload = files["file"]
        item = attachments.add_attachment(
            current_api_user(), course, upload.filename or "", upload.read()
        )
        return item
