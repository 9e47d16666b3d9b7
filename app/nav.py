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


def visible_items() -> list[dict[str, str]]:
    items = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.roles:
            if not current_user.is_authenticated:
                continue
            if "*" not in item.roles and not current_user.has_any_role(*item.roles):
                continue
        items.append({"url": url_for(item.endpoint), "label": str(item.label)})
    return items
