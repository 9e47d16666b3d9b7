"""Reading and checking a course package (see packaging.py) before anything is imported:
ZIP limits, the manifest against a strict schema, and the services' rules over the whole
package (fields, units, keys, version states, every file's type, size and SHA-256)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO, Any

import marshmallow as ma
from flask_babel import gettext as _

from app.courses.models import CERTIFICATE_KINDS
from app.courses.services import attachments
from app.courses.services.content import UploadRefused, check_upload, safe_name
from app.courses.services.package_zip import MANIFEST, Limits, Package, refused
from app.courses.services.storage import Staged
from app.courses.services.units import code_problem, elements_problem
from app.courses.services.validation import VERSION_FIELDS, clean_version_fields
from app.errors import ValidationFailed
from app.schemas_common import Int32

FORMAT = "kompeten-course"
FORMAT_VERSION = 1
# The deepest a valid course.json nests is 6 (units, elements, criteria).
MAX_JSON_DEPTH = 10
KEY = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
STATES = ("draft", "published", "archived")


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class _LessonSchema(_Strict):
    key = ma.fields.String(required=True, validate=ma.validate.Regexp(KEY))
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    duration_minutes = Int32(required=True, strict=True)
    required = ma.fields.Boolean(required=True)


class _ModuleSchema(_Strict):
    key = ma.fields.String(required=True, validate=ma.validate.Regexp(KEY))
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    lessons = ma.fields.List(ma.fields.Nested(_LessonSchema), required=True)


class _VersionSchema(_Strict):
    number = Int32(required=True, strict=True, validate=ma.validate.Range(min=1))
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATES))
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    sector = ma.fields.String(required=True)
    level = Int32(required=True, strict=True)
    hours = Int32(required=True, strict=True)
    language = ma.fields.String(required=True)
    validity_months = Int32(required=True, strict=True)
    cover = ma.fields.String(required=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    published_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    archived_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    units = ma.fields.List(ma.fields.String(), required=True)
    modules = ma.fields.List(ma.fields.Nested(_ModuleSchema), required=True)


class _UnitSchema(_Strict):
    code = ma.fields.String(required=True)
    title_id = ma.fields.String(required=True)
    title_en = ma.fields.String(required=True)
    elements = ma.fields.List(ma.fields.Dict(), required=True)


class _AttachmentSchema(_Strict):
    name = ma.fields.String(required=True)
    content_type = ma.fields.String(required=True)
    size = Int32(required=True, strict=True)
    sha256 = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9a-f]{64}$"))


class _CourseSchema(_Strict):
    code = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATES))
    self_paced = ma.fields.Boolean(required=True)
    self_enrolment = ma.fields.Boolean(required=True)
    # Packages exported before courses had a kind lead to a training certificate.
    certificate_kind = ma.fields.String(
        load_default="training", validate=ma.validate.OneOf(CERTIFICATE_KINDS)
    )
    archived_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class _PackageSchema(_Strict):
    format = ma.fields.String(required=True, validate=ma.validate.Equal(FORMAT))
    format_version = Int32(required=True, validate=ma.validate.Equal(FORMAT_VERSION))
    exported_at = ma.fields.AwareDateTime(required=True)
    source = ma.fields.Dict(required=True)
    course = ma.fields.Nested(_CourseSchema, required=True)
    units = ma.fields.List(ma.fields.Nested(_UnitSchema), required=True)
    attachments = ma.fields.List(ma.fields.Nested(_AttachmentSchema), required=True)
    versions = ma.fields.List(
        ma.fields.Nested(_VersionSchema), required=True, validate=ma.validate.Length(min=1)
    )


def read_package(upload: IO[bytes], staging: Path) -> tuple[dict[str, Any], dict[str, Staged]]:
    """The manifest, and each attachment it lists unpacked into `staging`; ValidationFailed
    if the ZIP breaks a limit (see package_zip) or the manifest is not valid."""
    with Package(upload, Limits.from_config()) as package:
        if MANIFEST not in package.members:
            raise refused(_("This is not a course package (a ZIP file)."))
        manifest = _load_manifest(package.read(package.members[MANIFEST]))
        files: dict[str, Staged] = {}
        for item in manifest["attachments"]:
            info = package.members.get(f"attachments/{item['name']}")
            if info is None:
                raise refused(_("A file of the course package is missing."), file=item["name"])
            if item["name"] not in files:  # a name listed twice is refused by check_package
                files[item["name"]] = package.unpack(info, staging)
    return manifest, files


def _load_manifest(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError as exc:
        raise _too_deep() from exc
    except ValueError as exc:  # not UTF-8, not JSON
        raise refused(_("The course package is not valid.")) from exc
    if _nested_deeper(data, MAX_JSON_DEPTH):
        raise _too_deep()
    try:
        return _PackageSchema().load(data)
    except ma.ValidationError as exc:
        raise ValidationFailed(
            _("The course package is not valid."), details={"package": exc.messages}
        ) from exc


def _too_deep() -> ValidationFailed:
    return refused(
        _("The package's course.json nests more than %(n)s levels deep.", n=MAX_JSON_DEPTH),
        problem="too_deep",
        limit=MAX_JSON_DEPTH,
    )


def _nested_deeper(value: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep (walked without recursion)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def check_package(package: dict[str, Any], files: dict[str, Staged]) -> None:
    """The rules the services apply, over the whole package; ValidationFailed if broken."""
    errors: dict[str, Any] = {}
    max_bytes, max_image_bytes = attachments.limits()
    names = set()
    for item in package["attachments"]:
        staged = files[item["name"]]
        try:
            name, content_type = check_upload(
                item["name"], staged.path, max_bytes=max_bytes, max_image_bytes=max_image_bytes
            )
        except UploadRefused as problem:
            errors[f"attachment {item['name']}"] = [problem.reason]
            continue
        if (
            name != item["name"]
            or safe_name(name) != name
            or content_type != item["content_type"]
            or staged.sha256 != item["sha256"]
            or staged.size != item["size"]
            or name in names
        ):
            errors[f"attachment {item['name']}"] = ["mismatch"]
        names.add(item["name"])
    images = {a["name"] for a in package["attachments"] if a["content_type"].startswith("image/")}
    unit_codes = set()
    for unit in package["units"]:
        if code_problem(unit["code"]) or unit["code"] != unit["code"].strip().upper():
            errors[f"unit {unit['code']}"] = ["code"]
        elif not unit["title_id"].strip() or elements_problem(unit["elements"]):
            errors[f"unit {unit['code']}"] = ["invalid"]
        unit_codes.add(unit["code"])
    numbers, statuses = set(), []
    for version in package["versions"]:
        label = f"version {version['number']}"
        if version["number"] in numbers:
            errors[label] = ["duplicate"]
        numbers.add(version["number"])
        statuses.append(version["status"])
        try:
            clean_version_fields({name: version[name] for name in VERSION_FIELDS})
        except ValidationFailed as failed:
            errors[label] = failed.details
        if set(version["units"]) - unit_codes or len(set(version["units"])) != len(
            version["units"]
        ):
            errors[f"{label} units"] = ["unknown"]
        if version["cover"] is not None and version["cover"] not in images:
            errors[f"{label} cover"] = ["unknown"]
        if (version["status"] == "draft") != (version["published_at"] is None):
            errors[f"{label} published_at"] = ["inconsistent"]
        keys: set[str] = set()
        for module in version["modules"]:
            lessons = module["lessons"]
            if module["key"] in keys or not module["title"].strip() or len(module["title"]) > 200:
                errors[f"{label} module {module['key']}"] = ["invalid"]
            keys.add(module["key"])
            for lesson in lessons:
                if (
                    lesson["key"] in keys
                    or not lesson["title"].strip()
                    or len(lesson["title"]) > 200
                    or not 0 <= lesson["duration_minutes"] <= 6000
                ):
                    errors[f"{label} lesson {lesson['key']}"] = ["invalid"]
                keys.add(lesson["key"])
        if version["status"] != "draft" and (
            not version["modules"] or any(not m["lessons"] for m in version["modules"])
        ):
            errors[f"{label} modules"] = ["empty"]
    if statuses.count("draft") > 1 or statuses.count("published") > 1:
        errors["versions"] = ["states"]
    course_status = package["course"]["status"]
    if (course_status == "draft") == ("published" in statuses):
        errors["course status"] = ["inconsistent"]
    if errors:
        raise ValidationFailed(_("The course package is not valid."), details={"package": errors})
