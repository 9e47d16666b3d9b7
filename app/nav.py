"""The main menu: each feature registers its entries with `add()` when its blueprint loads."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import LazyString
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString | str
    roles: tuple[str, ...] = ()  # empty: everyone; "*": any logged-in user
    order: int = 50


_ITEMS: list[NavItem] = []


def add(
    endpoint: str, label: LazyString | str, roles: tuple[str, ...] = (), order: int = 50
) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, roles, order))
        _ITEMS.sort(key=lambda i: i.order)


def visible_items() -> list[dict[str, str]]:
    """The entries the current user may see, in menu order (rendered on every page)."""
    user = current_user._get_current_object()
    signed_in = user.is_authenticated
    return [
        {"url": url_for(item.endpoint), "label": str(item.label)}
        for item in _ITEMS
        if not item.roles or (signed_in and ("*" in item.roles or user.has_any_role(*item.roles)))
    ]
