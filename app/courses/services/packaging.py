"""Sharing curricula: a course exported as one package, imported into another institution.

A package is a ZIP file holding `course.json` (every version's details, modules and
lessons, the competency units, the list of attachments with their SHA-256) and
`attachments/<name>` for each file. Lessons refer to files by name, modules and lessons keep
their keys, versions keep their numbers, states and dates: importing a package and
exporting it again gives the same `course.json` (apart from `exported_at` and `source`) and
the same files. Who authored what is not exported; the importer becomes an instructor.

An import is checked completely (ZIP limits, the JSON against a strict schema, the rules
the services apply, every file's hash and type) before anything is written, and writes
nothing if any check fails.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import UTC, datetime
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import record
from app.auth.models import User
from app.courses.models import (
    CompetencyUnit,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Lesson,
    Module,
)
from app.courses.services import attachments, storage
from app.courses.services.catalogue import load_version
from app.courses.services.package_checks import FORMAT, FORMAT_VERSION, check_package, read_package
from app.courses.services.package_zip import MANIFEST
from app.courses.services.units import unit_by_code
from app.courses.services.validation import clean_code
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.institutions.models import Institution

log = logging.getLogger(__name__)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same course gives the same bytes


# Export ----------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def manifest(course: Course) -> dict[str, Any]:
    versions = [load_version(v.id) for v in course.versions]
    unit_codes: dict[str, CompetencyUnit] = {}
    for version in versions:
        for link in version.unit_links:  # type: ignore[union-attr]
            unit_codes.setdefault(link.unit.code, link.unit)
    files = attachments.for_course(course.id)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(utcnow()),
        "source": {
            "institution": course.institution.slug,
            "base_url": current_app.config["BASE_URL"],
        },
        "course": {
            "code": course.code,
            "status": course.status,
            "self_paced": course.self_paced,
            "self_enrolment": course.self_enrolment,
            "certificate_kind": course.certificate_kind,
            "archived_at": _iso(course.archived_at),
        },
        "units": [
            {"code": u.code, "title_id": u.title_id, "title_en": u.title_en, "elements": u.elements}
            for u in sorted(unit_codes.values(), key=lambda u: u.code)
        ],
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in files
        ],
        "versions": [_version_dict(v) for v in versions if v is not None],
    }


def _version_dict(version: CourseVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "title": version.title,
        "summary": version.summary,
        "sector": version.sector,
        "level": version.level,
        "hours": version.hours,
        "language": version.language,
        "validity_months": version.validity_months,
        "cover": version.cover.name if version.cover else None,
        "created_at": _iso(version.created_at),
        "published_at": _iso(version.published_at),
        "archived_at": _iso(version.archived_at),
        "units": [link.unit.code for link in version.unit_links],
        "modules": [
            {
                "key": module.key,
                "title": module.title,
                "summary": module.summary,
                "lessons": [
                    {
                        "key": lesson.key,
                        "title": lesson.title,
                        "body": lesson.body,
                        "duration_minutes": lesson.duration_minutes,
                        "required": lesson.required,
                    }
                    for lesson in module.lessons
                ],
            }
            for module in version.modules
        ],
    }


def export_course(user: User, course: Course) -> tuple[io.BytesIO, str]:
    data = manifest(course)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        archive.writestr(zipfile.ZipInfo(MANIFEST, _ZIP_TIME), text.encode())
        for item in attachments.for_course(course.id):
            info = zipfile.ZipInfo(f"attachments/{item.name}", _ZIP_TIME)
            archive.writestr(info, storage.read(item.token), zipfile.ZIP_DEFLATED)
    buffer.seek(0)
    record("course.export", actor=user, target=course, institution_id=course.institution_id)
    log.info("user %s exported course %s", user.id, course.id)
    return buffer, f"{course.code}-{utcnow():%Y%m%d}.kompeten.zip"


# Import ----------------------------------------------------------------------------------


def import_course(
    user: User, institution: Institution, upload: IO[bytes], code: str | None = None
) -> Course:
    """Create a course in `institution` from a package (a seekable file); all or nothing."""
    with storage.staging() as staging:
        package, files = read_package(upload, staging)
        check_package(package, files)
        return _create(user, institution, package, files, code)


def _create(
    user: User,
    institution: Institution,
    package: dict[str, Any],
    files: dict[str, storage.Staged],
    code: str | None,
) -> Course:
    course_data = package["course"]
    code = clean_code(code or course_data["code"])
    if db.session.scalar(
        select(Course.id).where(Course.institution_id == institution.id, Course.code == code)
    ):
        raise Conflict(
            _("This institution already has a course with the code %(code)s.", code=code),
            details={"code": ["taken"]},
        )
    units = {}
    for unit in package["units"]:
        units[unit["code"]] = unit_by_code(unit["code"]) or CompetencyUnit(
            code=unit["code"],
            title_id=unit["title_id"].strip(),
            title_en=unit["title_en"].strip(),
            elements=unit["elements"],
            institution_id=institution.id,
            created_by_id=user.id,
        )
    course = Course(
        institution_id=institution.id,
        code=code,
        status=course_data["status"],
        self_paced=course_data["self_paced"],
        self_enrolment=course_data["self_enrolment"],
        certificate_kind=course_data["certificate_kind"],
        archived_at=course_data["archived_at"],
        created_by_id=user.id,
    )
    if user.has_role("instructor") and user.institution_id == institution.id:
        course.instructors.append(user)
    db.session.add(course)
    db.session.flush()
    written: list[str] = []
    try:
        stored = {}
        for item in package["attachments"]:
            attachment = attachments.store_staged(
                course.id, item["name"], item["content_type"], files[item["name"]], user.id
            )
            written.append(attachment.token)
            stored[item["name"]] = attachment
        for version_data in sorted(package["versions"], key=lambda v: v["number"]):
            course.versions.append(_build_version(version_data, units, stored))
            db.session.flush()
    except BaseException:
        for token in written:
            storage.delete(token)
        raise
    record(
        "course.import",
        actor=user,
        target=course,
        institution_id=institution.id,
        after={"code": code, "source": str(package["source"].get("institution", ""))[:80]},
    )
    log.info("user %s imported course %s (%s) into %s", user.id, course.id, code, institution.slug)
    return course


def _build_version(
    data: dict[str, Any], units: dict[str, CompetencyUnit], stored: dict[str, Any]
) -> CourseVersion:
    version = CourseVersion(
        number=data["number"],
        status=data["status"],
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        sector=data["sector"],
        level=data["level"],
        hours=data["hours"],
        language=data["language"],
        validity_months=data["validity_months"],
        cover_attachment_id=stored[data["cover"]].id if data["cover"] else None,
        created_at=data["created_at"],
        published_at=data["published_at"],
        archived_at=data["archived_at"],
    )
    version.unit_links = [
        CourseVersionUnit(unit=units[code], position=i) for i, code in enumerate(data["units"])
    ]
    for m_index, module_data in enumerate(data["modules"], start=1):
        module = Module(
            key=module_data["key"],
            position=m_index,
            title=module_data["title"],
            summary=module_data["summary"],
        )
        module.lessons = [
            Lesson(
                version=version,
                key=lesson["key"],
                position=l_index,
                title=lesson["title"],
                body=lesson["body"],
                duration_minutes=lesson["duration_minutes"],
                required=lesson["required"],
            )
            for l_index, lesson in enumerate(module_data["lessons"], start=1)
        ]
        version.modules.append(module)
    return version
