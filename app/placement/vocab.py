"""Translated labels for the stored keys of placement."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

ROUTE_LABELS: dict[str, LazyString] = {
    "work_now": _l("Work now"),
    "business_now": _l("Start a business now"),
    "training_first": _l("Training first"),
    "certification_first": _l("Certification first"),
    "entrepreneurship_capital": _l("Entrepreneurship training with capital"),
}
READINESS_LABELS: dict[str, LazyString] = {
    "ready": _l("Ready to work"),
    "partly_ready": _l("Partly ready"),
    "not_ready": _l("Not ready yet"),
}
APPLICATION_LABELS: dict[str, LazyString] = {
    "applied": _l("Applied"),
    "shortlisted": _l("Shortlisted"),
    "interviewed": _l("Interviewed"),
    "hired": _l("Hired"),
    "rejected": _l("Rejected"),
}
CERTIFICATE_LABELS: dict[str, LazyString] = {
    "valid": _l("Valid"),
    "revoked": _l("Revoked"),
    "suspended": _l("Suspended"),
    "superseded": _l("Replaced by a reissue"),
    "expired": _l("Expired"),
}
STAGE_LABELS: dict[str, LazyString] = {
    "documents": _l("Documents"),
    "test": _l("Test"),
    "interview": _l("Interview"),
    "medical": _l("Medical check"),
    "language_training": _l("Language training"),
}
STAGE_RESULT_LABELS: dict[str, LazyString] = {
    "pending": _l("Pending"),
    "passed": _l("Passed"),
    "failed": _l("Failed"),
}
CANDIDATE_LABELS: dict[str, LazyString] = {
    "in_selection": _l("In selection"),
    "selected": _l("Selected"),
    "not_selected": _l("Not selected"),
    "withdrawn": _l("Withdrawn"),
}
EMPLOYMENT_LABELS: dict[str, LazyString] = {
    "employed_formal": _l("Employed (formal)"),
    "employed_informal": _l("Employed (informal)"),
    "self_employed": _l("Self-employed / own business"),
    "unemployed": _l("Not working"),
    "studying": _l("Studying"),
}
WAGE_LABELS: dict[str, LazyString] = {
    "lt_2m": _l("Under Rp 2 million a month"),
    "2m_4m": _l("Rp 2–4 million a month"),
    "4m_6m": _l("Rp 4–6 million a month"),
    "6m_10m": _l("Rp 6–10 million a month"),
    "gt_10m": _l("Over Rp 10 million a month"),
}
RELEVANCE_LABELS: dict[str, LazyString] = {
    "1": _l("Not relevant"),
    "2": _l("Slightly relevant"),
    "3": _l("Somewhat relevant"),
    "4": _l("Relevant"),
    "5": _l("Very relevant"),
}
ITEM_LABELS: dict[str, LazyString] = {
    "name": _l("My name"),
    "education": _l("Education"),
    "experience": _l("Experience"),
    "skills": _l("Skills"),
    "location": _l("Location"),
    "sectors": _l("Desired sectors"),
    "abroad": _l("Willingness to work abroad"),
    "languages": _l("Languages"),
}
COUNTRY_LABELS: dict[str, str] = {
    "JP": "Jepang / Japan",
    "KR": "Korea Selatan / South Korea",
    "TW": "Taiwan",
    "HK": "Hong Kong",
    "SG": "Singapura / Singapore",
    "MY": "Malaysia",
    "BN": "Brunei",
    "SA": "Arab Saudi / Saudi Arabia",
    "AE": "Uni Emirat Arab / UAE",
    "QA": "Qatar",
    "KW": "Kuwait",
    "DE": "Jerman / Germany",
    "NL": "Belanda / Netherlands",
    "AU": "Australia",
    "NZ": "Selandia Baru / New Zealand",
    "US": "Amerika Serikat / USA",
    "CA": "Kanada / Canada",
    "GB": "Inggris / United Kingdom",
    "PL": "Polandia / Poland",
    "HU": "Hongaria / Hungary",
    "TR": "Turki / Türkiye",
}


def label(table: dict, key: str | None) -> str:
    found = table.get(key or "")
    return str(found) if found is not None else (key or "")
