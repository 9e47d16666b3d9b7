"""The maintained lists courses choose from: priority sectors, KKNI levels, languages.

Sectors are the priority vocational sectors of the BLK transformation programme. They live
here, in code, rather than in a table: a new sector needs a translation anyway, so it ships
with a release. Stored values are the stable keys; labels are translated on display.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

SECTORS: dict[str, LazyString] = {
    "tik": _l("Information and communication technology"),
    "manufaktur": _l("Manufacturing"),
    "otomotif": _l("Automotive"),
    "las": _l("Welding"),
    "listrik": _l("Electrical installation"),
    "elektronika": _l("Electronics"),
    "refrigerasi": _l("Refrigeration and air conditioning"),
    "konstruksi": _l("Construction"),
    "pariwisata": _l("Tourism and hospitality"),
    "garmen": _l("Garment and fashion"),
    "bisnis": _l("Business and management"),
    "pertanian": _l("Agriculture and food processing"),
    "perikanan": _l("Fisheries and maritime"),
    "kecantikan": _l("Beauty and wellness"),
    "bahasa": _l("Languages"),
}

# KKNI (Kerangka Kualifikasi Nasional Indonesia) levels 1 to 9.
LEVELS: tuple[int, ...] = tuple(range(1, 10))

LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}

DEFAULT_VALIDITY_MONTHS = 36  # BNSP practice: certificates are valid for three years


def sector_label(key: str) -> str:
    label = SECTORS.get(key)
    return str(label) if label is not None else key


def level_label(level: int) -> str:
    return str(_l("KKNI level %(level)s", level=level))


def sectors_matching(text: str) -> list[str]:
    """The sector keys whose key or translated label contains `text` (case-insensitive)."""
    needle = text.strip().lower()
    if not needle:
        return []
    return [key for key, label in SECTORS.items() if needle in key or needle in str(label).lower()]
