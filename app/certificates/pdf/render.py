"""Certificate HTML templating and PDF/A-3b rendering with WeasyPrint.

The renderer is built once per process: it keeps one FontConfiguration and the parsed
certificate stylesheet, so each render only lays out the page. WeasyPrint may fetch
nothing but ``data:`` URIs and files under the certificates ``templates`` and ``static``
folders; anything else (network, other paths) stops the render with ResourceRefused.
The credential JSON travels inside the PDF as the embedded file ``credential.json``.
"""

import ctypes
import ctypes.util
import datetime as dt
import logging
import mimetypes
import threading
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
from weasyprint import CSS, HTML, Attachment
from weasyprint.css import ColorProfile
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

CERTIFICATES_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = CERTIFICATES_DIR / "templates"
STATIC_DIR = CERTIFICATES_DIR / "static"
CERTIFICATE_TEMPLATE = "certificates/certificate_pdf.html"
CERTIFICATE_CSS = "certificate.css"
CREDENTIAL_FILENAME = "credential.json"
# PDF/A-3 AFRelationship: the credential is the source the printed certificate renders.
CREDENTIAL_RELATIONSHIP = "Source"
PDF_VARIANT = "pdf/a-3b"
OUTPUT_INTENT = "--srgb"

_HARFBUZZ_SUBSET_NAMES = (
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib",
    "libharfbuzz-subset-0.dll",
)

_TEMPLATE_DEFAULTS: dict[str, Any] = {
    "institution_logo": None,
    "institution_address": None,
    "qualification_title_en": None,
    "valid_until": None,
    "signing_place": None,
    "max_units_front": 14,
}

_jinja = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(("html",)),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


class ResourceRefused(ValueError):
    """The document asked for a resource the restrictive URL fetcher does not serve."""


def harfbuzz_subset_available() -> bool:
    """Whether libharfbuzz-subset loads: WeasyPrint needs it to subset embedded fonts."""
    names = [*_HARFBUZZ_SUBSET_NAMES, ctypes.util.find_library("harfbuzz-subset")]
    for name in filter(None, names):
        try:
            ctypes.CDLL(name)
        except OSError:
            continue
        return True
    return False


def render_certificate_html(context: dict[str, Any]) -> str:
    """Render the certificate template.

    Required keys: institution_name, certificate_number, holder_name, qualification_title,
    jp_hours, units (list of {code, title_id, title_en}), issued_on, signatory_name,
    signatory_title, qr_data_uri, verify_url. Optional: institution_logo (data: URI),
    institution_address, qualification_title_en, valid_until, signing_place,
    max_units_front (default 14; longer unit lists move to an annex page). Dates are
    passed already formatted for print.
    """
    return _jinja.get_template(CERTIFICATE_TEMPLATE).render({**_TEMPLATE_DEFAULTS, **context})


class RestrictedURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and regular files inside ``roots``; refuses everything else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(fail_on_errors=True)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._fetch_file(url)
        raise ResourceRefused(f"refusing to fetch {url[:200]!r}: only local assets are served")

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"refusing remote file URL {url[:200]!r}")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ResourceRefused(f"refusing file outside the certificate assets: {path}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


class CertificateRenderer:
    """Renders certificate HTML to PDF/A-3b; create once and reuse (thread-safe)."""

    def __init__(self, root: Path = CERTIFICATES_DIR, stylesheet: str = CERTIFICATE_CSS) -> None:
        self.static_dir = (root / "static").resolve()
        self.url_fetcher = RestrictedURLFetcher((root / "templates", self.static_dir))
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            filename=str(self.static_dir / stylesheet),
            font_config=self.font_config,
            url_fetcher=self.url_fetcher,
        )
        # The sRGB output intent PDF/A needs, loaded once. Asking WeasyPrint for
        # output_intent="srgb" instead reopens (and leaks, a ResourceWarning) the same
        # bundled ICC file on every render.
        with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
            srgb = ColorProfile(icc, "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))
        self.color_profiles = {OUTPUT_INTENT: srgb}
        # FontConfiguration wraps Fontconfig/Pango state that is not safe to share
        # between threads rendering at the same time.
        self._lock = threading.Lock()

    def render_pdf(
        self,
        html: str,
        credential_json: bytes,
        created: dt.datetime | None = None,
    ) -> bytes:
        """A PDF/A-3b of ``html`` with ``credential_json`` embedded as credential.json."""
        created = created or dt.datetime.now(dt.UTC)
        attachment = Attachment(
            string=credential_json,
            name=CREDENTIAL_FILENAME,
            description="Verifiable Credential (W3C VC 2.0, Data Integrity eddsa-jcs-2022)",
            created=created,
            modified=created,
            relationship=CREDENTIAL_RELATIONSHIP,
        )
        document = HTML(
            string=html, base_url=self.static_dir.as_uri() + "/", url_fetcher=self.url_fetcher
        )
        try:
            with self._lock:
                pdf = document.write_pdf(
                    stylesheets=[self.stylesheet],
                    font_config=self.font_config,
                    color_profiles=self.color_profiles,
                    pdf_variant=PDF_VARIANT,
                    output_intent=OUTPUT_INTENT,
                    attachments=[attachment],
                )
        except FatalURLFetchingError as exc:
            # WeasyPrint raises this BaseException subclass; make it an ordinary error.
            raise ResourceRefused(str(exc.__cause__ or exc)) from exc
        logger.info("rendered certificate PDF (%d bytes)", len(pdf))
        return pdf
