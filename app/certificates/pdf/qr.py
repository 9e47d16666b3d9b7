"""QR codes for the short verification URL printed on certificates.

The QR holds only a short URL, never the credential: a dense code fails on cheap phone
cameras. Error correction M survives a fold or a stain on paper without growing the code
much.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

BOX_SIZE = 10  # pixels per module: a 3 cm printed code is then about 300 dpi
BORDER = 4  # the quiet zone the QR standard requires, in modules


def _qr(url: str) -> qrcode.QRCode:
    if not url:
        raise ValueError("a QR code needs a URL")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=BOX_SIZE, border=BORDER)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    """A black-on-white PNG of the QR code for ``url``."""
    image = _qr(url).make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    """A vector (single path) SVG of the QR code for ``url``: sharp at any print size."""
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    return image.to_string(encoding="utf-8")


def qr_data_uri(url: str, image_format: str = "png") -> str:
    """A ``data:`` URI of the QR code (``png`` or ``svg``) to place in HTML."""
    if image_format == "png":
        return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")
    if image_format == "svg":
        return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url)).decode("ascii")
    raise ValueError(f"unknown QR image format {image_format!r}")
