"""JSON API: the catalogue and authoring of courses (details, drafts, modules, lessons,
files, publication, export and import). Enrolment and progress are in learning.py,
competency units in units.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import send_file
from flask.views import MethodView
from flask_babel import gettext as _
from marshmallow import Schema

from app.api import BEARER, current_api_user, token_required
from app.auth.models import User
from app.courses import courses_api as blp
from app.courses import permissions
from app.courses.api.common import NOT_FOUND, editable, visible
from app.courses.models import Course, CourseVersion
from app.courses.permissions import AUTHOR_ROLES
from app.courses.schemas import (
    CatalogueArgsSchema,
    CataloguePageSchema,
    CourseCreateSchema,
    CourseDetailSchema,
    CourseImportFormSchema,
    CourseInstructorsSchema,
    CourseUpdateSchema,
    CourseUploadSchema,
    CourseVersionSchema,
)
from app.courses.services import authoring, packaging
from app.courses.services.catalogue import (
    CatalogueQuery,
    load_course,
    load_version,
    search,
    version_by_number,
)
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution

SETTINGS = ("self_paced", "self_enrolment", "certificate_kind")


def _version_out(version_id: int) -> CourseVersion:
    version = load_version(version_id)
    assert version is not None  # noqa: S101 - an id just read from the course
    return version


def course_out(course: Course, version: CourseVersion | None = None) -> dict[str, Any]:
    if version is None:
        shown = course.published_version or course.versions[-1]
        version = _version_out(shown.id)
    return {
        "id": course.id,
        "code": course.code,
        "status": course.status,
        "self_paced": course.self_paced,
        "self_enrolment": course.self_enrolment,
        "certificate_kind": course.certificate_kind,
        "institution": course.institution,
        "instructors": course.instructors,
        "version": version,
        "versions": course.versions,
    }


@blp.route("")
class Courses(MethodView):
    @blp.arguments(CatalogueArgsSchema, location="query")
    @blp.response(200, CataloguePageSchema)
    @blp.alt_response(422, description="Invalid query parameters")
    def get(self, args: dict):
        """Search the catalogue of published courses."""
        page = search(CatalogueQuery(**args))
        return {
            "items": [
                {
                    "id": item.course.id,
                    "code": item.course.code,
                    "title": item.version.title,
                    "summary": item.version.summary,
                    "sector": item.version.sector,
                    "level": item.version.level,
                    "hours": item.version.hours,
                    "language": item.version.language,
                    "version": item.version.number,
                    "self_paced": item.course.self_paced,
                    "institution": item.institution,
                }
                for item in page.items
            ],
            "total": page.total,
            "page": page.page,
            "pages": max(page.pages, 1),  # an empty result is one empty page
        }

    @blp.doc(security=BEARER)
    @token_required(*AUTHOR_ROLES)
    @blp.arguments(CourseCreateSchema)
    @blp.response(201, CourseDetailSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author, or not of that institution")
    @blp.alt_response(409, description="The institution already has a course with this code")
    @blp.alt_response(422, description="Invalid body (e.g. a malformed or unknown unit code)")
    def post(self, body: dict):
        """Create a course (version 1, a draft) in your institution."""
        user = current_api_user()
        institution_id = body.pop("institution_id", None) or user.institution_id
        institution = db.session.get(Institution, institution_id) if institution_id else None
        if institution is None:
            raise ValidationFailed(
                _("Choose an institution."), details={"institution_id": ["required"]}
            )
        permissions.ensure_can_author_for(user, institution.id)
        course = authoring.create_course(user, institution, **body)
        return course_out(load_course(course.id))  # type: ignore[arg-type]


@blp.route("/<int:course_id>")
class CourseItem(MethodView):
    @blp.doc(security=[*BEARER, {}])
    @blp.response(200, CourseDetailSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: int):
        """A course with the outline of its published version (a bearer token is optional;
        editors also see drafts)."""
        return course_out(visible(course_id))

    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(CourseUpdateSchema, required=False)
    @blp.response(200, CourseDetailSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(409, description="The course is archived")
    @blp.alt_response(422, description="Invalid body")
    def patch(self, body: dict, course_id: int):
        """Change details (in the draft version, created if needed) and settings."""
        course = editable(course_id)
        user = current_api_user()
        settings = {k: body.pop(k) for k in SETTINGS if k in body}
        if settings:
            authoring.update_settings(user, course, **settings)
        unit_codes = body.pop("unit_codes", None)
        cover = body.pop("cover_attachment_id", False)
        version = None
        if body or unit_codes is not None or cover is not False:
            draft = authoring.update_draft(user, course, body, unit_codes, cover)
            version = _version_out(draft.id)
        return course_out(course, version)


def _course_action(
    name: str,
    change: Callable[[User, Course], Any],
    out: Callable[[Course, Any], Any],
    schema: type[Schema],
    conflicts: list[tuple[int, str]],
    summary: str,
) -> None:
    """One editor's action on a course (POST /<id>/<name>), and its documentation: load
    the course for its editors (404, 403), run the service, show the result."""

    def post(self: MethodView, course_id: int) -> Any:
        course = editable(course_id)
        return out(course, change(current_api_user(), course))

    post.__doc__ = summary
    responses = [
        (401, "No valid token"),
        (403, "Not an editor of this course"),
        (404, NOT_FOUND),
        *conflicts,
    ]
    for status, description in reversed(responses):
        post = blp.alt_response(status, description=description)(post)
    post = blp.doc(security=BEARER)(token_required()(blp.response(200, schema)(post)))
    view = type(name.capitalize(), (MethodView,), {"post": post, "__module__": __name__})
    blp.route(f"/<int:course_id>/{name}")(view)


def _version_of(_course: Course, version: CourseVersion) -> CourseVersion:
    return _version_out(version.id)


def _course_of(course: Course, _result: Any) -> dict[str, Any]:
    return course_out(course)


_course_action(
    "draft",
    authoring.editable_version,
    _version_of,
    CourseVersionSchema,
    [(409, "The course is archived, or another draft was just made")],
    "The course's draft version, started by copying the latest version if needed.",
)


@blp.route("/<int:course_id>/versions/<int:number>")
class VersionItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseVersionSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or version")
    def get(self, course_id: int, number: int):
        """One version with its outline, for the course's editors."""
        course = editable(course_id)
        version = version_by_number(course.id, number)
        if version is None:
            raise NotFound(_("Version not found."))
        return _version_out(version.id)


_course_action(
    "publish",
    authoring.publish,
    _version_of,
    CourseVersionSchema,
    [
        (409, "No draft to publish"),
        (
            422,
            "The draft is empty, has a module without lessons, or leads to a competency "
            "certificate with units no assessment covers (details.uncovered_units)",
        ),
    ],
    """Publish the draft: it is frozen, and the previous published version archived.
        An archived course without a draft returns to the catalogue on its published version.""",
)
_course_action(
    "archive",
    authoring.archive,
    _course_of,
    CourseDetailSchema,
    [(409, "The course is not published")],
    "Take the course out of the catalogue; enrolled trainees keep studying.",
)


@blp.route("/<int:course_id>/instructors")
class Instructors(MethodView):
    @blp.doc(security=BEARER)
    @token_required("institution_admin", "admin")
    @blp.arguments(CourseInstructorsSchema)
    @blp.response(200, CourseDetailSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an admin of the course's institution")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(422, description="Someone who is not an instructor of the institution")
    def put(self, body: dict, course_id: int):
        """Set the course's instructors."""
        course = visible(course_id)
        permissions.ensure_can_manage_instructors(current_api_user(), course)
        authoring.set_instructors(current_api_user(), course, body["user_ids"])
        return course_out(course)


@blp.route("/<int:course_id>/export")
class Export(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, content_type="application/zip", description="The course package")
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: int):
        """Export every version, unit, lesson and file of the course as one ZIP package."""
        course = editable(course_id)
        buffer, filename = packaging.export_course(current_api_user(), course)
        return send_file(
            buffer, mimetype="application/zip", as_attachment=True, download_name=filename
        )


@blp.route("/import")
class Import(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*AUTHOR_ROLES)
    @blp.arguments(CourseImportFormSchema, location="form")
    @blp.arguments(CourseUploadSchema, location="files")
    @blp.response(201, CourseDetailSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of that institution")
    @blp.alt_response(409, description="The institution already has a course with this code")
    @blp.alt_response(422, description="Not a valid course package")
    def post(self, form: dict, files: dict):
        """Import a course package into your institution (optionally under a new code)."""
        user = current_api_user()
        institution_id = form.get("institution_id") or user.institution_id
        institution = db.session.get(Institution, institution_id) if institution_id else None
        if institution is None:
            raise ValidationFailed(
                _("Choose an institution."), details={"institution_id": ["required"]}
            )
        permissions.ensure_can_author_for(user, institution.id)
        course = packaging.import_course(
            user, institution, files["file"].stream, code=form.get("code")
        )
        return course_out(load_course(course.id))  # type: ignore[arg-type]
