"""Authoring use cases: courses, their draft versions, modules, lessons, attachments and
publication. They check permissions, query, mutate, flush and raise AppError subclasses;
the caller commits. Published versions are never changed: every content change goes to the
course's one draft, created on demand by copying the latest version.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User
from app.courses.models import (
    CERTIFICATE_KINDS,
    Attachment,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Lesson,
    Module,
)
from app.courses.services import content
from app.courses.services.coverage import competency_problems, require_covered, uncovered_units
from app.courses.services.validation import (
    VERSION_FIELDS,
    clean_code,
    clean_version_fields,
    units_for_codes,
)
from app.courses.vocab import DEFAULT_VALIDITY_MONTHS
from app.db import utcnow
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution

log = logging.getLogger(__name__)


def new_key() -> str:
    return secrets.token_hex(8)


# Courses ---------------------------------------------------------------------------------


def _check_kind(certificate_kind: str) -> None:
    if certificate_kind not in CERTIFICATE_KINDS:
        raise ValidationFailed(
            _("Choose a training or a competency certificate."),
            details={"certificate_kind": ["unknown"]},
        )


def create_course(
    user: User,
    institution: Institution,
    *,
    code: str,
    title: str,
    sector: str,
    summary: str = "",
    level: int = 2,
    hours: int = 0,
    language: str = "id",
    validity_months: int = DEFAULT_VALIDITY_MONTHS,
    unit_codes: Sequence[str] = (),
    self_paced: bool = True,
    self_enrolment: bool = True,
    certificate_kind: str = "training",
) -> Course:
    code = clean_code(code)
    _check_kind(certificate_kind)
    fields = clean_version_fields(
        {
            "title": title,
            "summary": summary,
            "sector": sector,
            "level": level,
            "hours": hours,
            "language": language,
            "validity_months": validity_months,
        }
    )
    units = units_for_codes(unit_codes)
    if db.session.scalar(
        select(Course.id).where(Course.institution_id == institution.id, Course.code == code)
    ):
        raise Conflict(
            _("This institution already has a course with the code %(code)s.", code=code),
            details={"code": ["taken"]},
        )
    course = Course(
        institution_id=institution.id,
        code=code,
        self_paced=self_paced,
        self_enrolment=self_enrolment,
        certificate_kind=certificate_kind,
        created_by_id=user.id,
    )
    if user.has_role("instructor") and user.institution_id == institution.id:
        course.instructors.append(user)
    version = CourseVersion(number=1, status="draft", **fields)
    version.unit_links = [CourseVersionUnit(unit=u, position=i) for i, u in enumerate(units)]
    course.versions.append(version)
    db.session.add(course)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            _("This institution already has a course with the code %(code)s.", code=code),
            details={"code": ["taken"]},
        ) from exc
    record(
        "course.create",
        actor=user,
        target=course,
        institution_id=institution.id,
        after={"code": code, "certificate_kind": certificate_kind},
    )
    log.info("user %s created course %s (%s)", user.id, course.id, code)
    return course


def update_settings(
    user: User,
    course: Course,
    *,
    self_paced: bool | None = None,
    self_enrolment: bool | None = None,
    certificate_kind: str | None = None,
) -> Course:
    """Enrolment settings and the document the course leads to belong to the course, not
    to a version: no draft is needed. A published course may switch to the competency
    certificate only when its published version has every unit covered by an assessment."""
    if certificate_kind is not None and certificate_kind != course.certificate_kind:
        _check_kind(certificate_kind)
        published = course.published_version
        if certificate_kind == "competency" and published is not None:
            require_covered(published)
        record(
            "course.certificate_kind",
            actor=user,
            target=course,
            institution_id=course.institution_id,
            before={"certificate_kind": course.certificate_kind},
            after={"certificate_kind": certificate_kind},
        )
        course.certificate_kind = certificate_kind
    if self_paced is not None:
        course.self_paced = self_paced
    if self_enrolment is not None:
        course.self_enrolment = self_enrolment
    db.session.flush()
    return course


def set_instructors(user: User, course: Course, user_ids: Iterable[int]) -> Course:
    ids = sorted(set(user_ids))
    people = list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
    wrong = [
        person.id
        for person in people
        if not person.has_role("instructor") or person.institution_id != course.institution_id
    ]
    missing = sorted(set(ids) - {person.id for person in people})
    if wrong or missing:
        raise ValidationFailed(
            _("Instructors must be instructors of the course's institution."),
            details={"instructor_ids": sorted(wrong + missing)},
        )
    course.instructors = people
    db.session.flush()
    record(
        "course.instructors",
        actor=user,
        target=course,
        institution_id=course.institution_id,
        after={"instructor_ids": ids},
    )
    return course


# Versions --------------------------------------------------------------------------------


def latest_version(course: Course) -> CourseVersion:
    return course.versions[-1]


def _copy_version(source: CourseVersion, number: int) -> CourseVersion:
    copy = CourseVersion(
        number=number,
        status="draft",
        cover_attachment_id=source.cover_attachment_id,
        **{name: getattr(source, name) for name in VERSION_FIELDS},
    )
    copy.unit_links = [
        CourseVersionUnit(unit_id=link.unit_id, position=link.position)
        for link in source.unit_links
    ]
    for module in source.modules:
        new_module = Module(
            key=module.key, position=module.position, title=module.title, summary=module.summary
        )
        new_module.lessons = [
            Lesson(
                version=copy,
                key=lesson.key,
                position=lesson.position,
                title=lesson.title,
                body=lesson.body,
                duration_minutes=lesson.duration_minutes,
                required=lesson.required,
            )
            for lesson in module.lessons
        ]
        copy.modules.append(new_module)
    return copy


def editable_version(user: User, course: Course) -> CourseVersion:
    """The course's draft, created by copying its latest version if there is none."""
    draft = next((v for v in course.versions if v.status == "draft"), None)
    if draft is not None:
        return draft
    source = latest_version(course)
    draft = _copy_version(source, source.number + 1)
    course.versions.append(draft)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict(_("Someone else has just started a new draft. Reload the page.")) from exc
    log.info("user %s started draft v%s of course %s", user.id, draft.number, course.id)
    return draft


def require_draft(version: CourseVersion) -> None:
    if version.status != "draft":
        raise Conflict(
            _(
                "Version %(number)s is published and cannot change. Edit the draft instead.",
                number=version.number,
            ),
            details={"version": ["frozen"]},
        )


def update_draft(
    user: User,
    course: Course,
    fields: dict[str, Any],
    unit_codes: Sequence[str] | None = None,
    cover_attachment_id: int | bool | None = False,
) -> CourseVersion:
    """Change the draft's details; `cover_attachment_id=False` leaves the cover alone."""
    clean = clean_version_fields(fields)
    units = units_for_codes(unit_codes) if unit_codes is not None else None
    cover = None
    if cover_attachment_id not in (False, None):
        cover = db.session.get(Attachment, cover_attachment_id)
        if cover is None or cover.course_id != course.id or not cover.is_image:
            raise ValidationFailed(
                _("Choose one of this course's images as the cover."),
                details={"cover_attachment_id": ["invalid"]},
            )
    version = editable_version(user, course)
    for name, value in clean.items():
        setattr(version, name, value)
    if units is not None:
        version.unit_links = []
        db.session.flush()
        version.unit_links = [CourseVersionUnit(unit=u, position=i) for i, u in enumerate(units)]
    if cover_attachment_id is not False:
        version.cover_attachment_id = cover.id if cover else None
    db.session.flush()
    return version


def publish(user: User, course: Course) -> CourseVersion:
    draft = next((v for v in course.versions if v.status == "draft"), None)
    if draft is None and course.status == "archived" and course.published_version is not None:
        return _republish(user, course)
    if draft is None:
        raise Conflict(_("There is no draft to publish."), details={"version": ["none"]})
    problems = [] if draft.modules else [_("Add at least one module with a lesson.")]
    problems += [
        _("Module “%(title)s” has no lessons.", title=module.title)
        for module in draft.modules
        if not module.lessons
    ]
    problems += _missing_files(course, draft)
    uncovered: list[str] = []
    if course.leads_to_competency:
        problems += competency_problems(draft)
        uncovered = [unit.code for unit in uncovered_units(draft)]
    if problems:
        details: dict[str, list[str]] = {"publish": [str(p) for p in problems]}
        if uncovered:
            details["uncovered_units"] = uncovered
        raise ValidationFailed(_("This course cannot be published yet."), details=details)
    now = utcnow()
    previous = course.published_version
    if previous is not None:
        previous.status, previous.archived_at = "archived", now
        db.session.flush()
    done = db.session.execute(
        update(CourseVersion)
        .where(CourseVersion.id == draft.id, CourseVersion.status == "draft")
        .values(status="published", published_at=now, published_by_id=user.id)
        .execution_options(synchronize_session="fetch")
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Someone else has just published this course. Reload the page."))
    course.status, course.archived_at = "published", None
    db.session.flush()
    db.session.expire(course, ["published_version", "draft_version"])
    record(
        "course.publish",
        actor=user,
        target=course,
        institution_id=course.institution_id,
        after={"version": draft.number},
    )
    log.info("user %s published course %s v%s", user.id, course.id, draft.number)
    return draft


def _republish(user: User, course: Course) -> CourseVersion:
    """Publishing an archived course without a draft puts it back in the catalogue."""
    if course.leads_to_competency:
        require_covered(course.published_version)
    course.status, course.archived_at = "published", None
    db.session.flush()
    record("course.republish", actor=user, target=course, institution_id=course.institution_id)
    version = course.published_version
    assert version is not None  # noqa: S101 - checked by the caller
    return version


def _missing_files(course: Course, version: CourseVersion) -> list[str]:
    """Lessons that name a file (`attachment:<name>`) the course does not have."""
    names = set(
        db.session.scalars(select(Attachment.name).where(Attachment.course_id == course.id))
    )
    return [
        _(
            "Lesson “%(title)s” refers to a file that is not uploaded: %(name)s",
            title=lesson.title,
            name=name,
        )
        for module in version.modules
        for lesson in module.lessons
        for name in sorted(content.attachment_names(lesson.body) - names)
    ]


def archive(user: User, course: Course) -> Course:
    """Take a course out of the catalogue. Current trainees keep studying."""
    if course.status != "published":
        raise Conflict(_("Only a published course can be archived."))
    course.status, course.archived_at = "archived", utcnow()
    db.session.flush()
    record("course.archive", actor=user, target=course, institution_id=course.institution_id)
    return course
