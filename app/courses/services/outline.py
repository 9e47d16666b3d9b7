"""Authoring the outline of a draft: modules and lessons, added, changed, removed and
reordered. Positions are unique per parent in the database; reordering renumbers in two
steps so that constraint never sees a clash. Only drafts change (see services.require_draft).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from app.auth.models import User
from app.courses.models import Course, Lesson, Module
from app.courses.services.authoring import editable_version, new_key, require_draft
from app.courses.services.validation import number_field, text_field
from app.errors import NotFound, ValidationFailed
from app.extensions import db


def _check_title(title: str, field: str = "title") -> str:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(
            _("Give a title of at most 200 characters."), details={field: ["invalid"]}
        )
    return title


def get_module(course: Course, module_id: int) -> Module:
    module = db.session.get(Module, module_id)
    if module is None or module.version.course_id != course.id:
        raise NotFound(_("Module not found."))
    return module


def get_lesson(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.module.version.course_id != course.id:
        raise NotFound(_("Lesson not found."))
    return lesson


def add_module(user: User, course: Course, title: str, summary: str = "") -> Module:
    title = _check_title(title)
    version = editable_version(user, course)
    position = max((m.position for m in version.modules), default=0) + 1
    module = Module(key=new_key(), position=position, title=title, summary=(summary or "").strip())
    version.modules.append(module)
    db.session.flush()
    return module


def update_module(user: User, module: Module, title: str, summary: str | None = None) -> Module:
    require_draft(module.version)
    module.title = _check_title(title)
    if summary is not None:
        module.summary = summary.strip()
    db.session.flush()
    return module


def delete_module(user: User, module: Module) -> None:
    require_draft(module.version)
    module.version.modules.remove(module)
    db.session.flush()


def _check_order(current: Sequence[Any], ids: Sequence[int], what: str) -> list[Any]:
    """`ids` must name every current item exactly once: no repeats (a loop), no strangers."""
    by_id = {item.id: item for item in current}
    if len(ids) != len(set(ids)):
        raise ValidationFailed(
            _("The new order names an item more than once."), details={"ids": ["repeated"]}
        )
    if set(ids) != set(by_id):
        raise ValidationFailed(
            _("The new order must list every %(what)s exactly once.", what=what),
            details={"ids": ["mismatch"]},
        )
    return [by_id[item_id] for item_id in ids]


def _apply_order(items: Sequence[Any]) -> None:
    """Renumber in two steps so the unique (parent, position) constraint never sees a clash."""
    for index, item in enumerate(items):
        item.position = -(index + 1)
    db.session.flush()
    for index, item in enumerate(items):
        item.position = index + 1
    db.session.flush()


def reorder_modules(user: User, course: Course, ids: Sequence[int]) -> list[Module]:
    version = editable_version(user, course)
    ordered = _check_order(version.modules, ids, str(_("module")))
    _apply_order(ordered)
    db.session.expire(version, ["modules"])
    return ordered


def move_module(user: User, module: Module, offset: int) -> None:
    require_draft(module.version)
    _move(module.version.modules, module, offset)
    db.session.expire(module.version, ["modules"])


def _move(items: list[Any], item: Any, offset: int) -> None:
    order = list(items)
    index = order.index(item)
    target = min(max(index + offset, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    _apply_order(order)


def _clean_lesson(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if "title" in fields:
        clean["title"] = text_field(fields["title"], "title", 200, errors, required=True)
    if "body" in fields:
        clean["body"] = text_field(fields["body"], "body", 200_000, errors)
    if "duration_minutes" in fields:
        clean["duration_minutes"] = number_field(
            fields["duration_minutes"], "duration_minutes", 0, 6000, errors
        )
    if "required" in fields:
        if not isinstance(fields["required"], bool):
            errors["required"] = ["invalid"]
        clean["required"] = fields["required"]
    if errors:
        raise ValidationFailed(_("Some lesson details are not valid."), details=errors)
    return clean


def add_lesson(user: User, module: Module, **fields: Any) -> Lesson:
    require_draft(module.version)
    clean = _clean_lesson({"duration_minutes": 10, "required": True, "body": "", **fields})
    if "title" not in clean:
        raise ValidationFailed(_("Give the lesson a title."), details={"title": ["required"]})
    position = max((lesson.position for lesson in module.lessons), default=0) + 1
    lesson = Lesson(version_id=module.version_id, key=new_key(), position=position, **clean)
    module.lessons.append(lesson)
    db.session.flush()
    return lesson


def update_lesson(user: User, lesson: Lesson, **fields: Any) -> Lesson:
    require_draft(lesson.module.version)
    for name, value in _clean_lesson(fields).items():
        setattr(lesson, name, value)
    db.session.flush()
    return lesson


def delete_lesson(user: User, lesson: Lesson) -> None:
    require_draft(lesson.module.version)
    lesson.module.lessons.remove(lesson)
    db.session.flush()


def reorder_lessons(user: User, module: Module, ids: Sequence[int]) -> list[Lesson]:
    require_draft(module.version)
    ordered = _check_order(module.lessons, ids, str(_("lesson")))
    _apply_order(ordered)
    db.session.expire(module, ["lessons"])
    return ordered


def move_lesson(user: User, lesson: Lesson, offset: int) -> None:
    require_draft(lesson.module.version)
    _move(lesson.module.lessons, lesson, offset)
    db.session.expire(lesson.module, ["lessons"])


def move_lesson_to(user: User, lesson: Lesson, module: Module) -> Lesson:
    """Move a lesson to the end of another module of the same draft."""
    require_draft(lesson.module.version)
    if module.version_id != lesson.version_id:
        raise ValidationFailed(
            _("A lesson can only move to a module of the same version."),
            details={"module_id": ["other_version"]},
        )
    if module.id == lesson.module_id:
        return lesson
    old = lesson.module
    position = max((item.position for item in module.lessons), default=0) + 1
    old.lessons.remove(lesson)
    lesson.module = module
    lesson.position = -position  # clear of both modules' positions until the flush settles
    db.session.flush()
    lesson.position = position
    db.session.flush()
    db.session.expire(old, ["lessons"])
    db.session.expire(module, ["lessons"])
    return lesson
