"""The printable bulletin: an A4 page for the village notice board, with a QR code to the web version.

The page is rendered by WeasyPrint from `dissemination/print.html`, entirely offline: the styles
are inline, the fonts are the system's (fontconfig), the QR code is inline SVG and the bulletin's
image is embedded as a data: URI. The URL fetcher refuses every other scheme, so rendering never
touches the network or the file system, whatever a bulletin's HTML says.
"""

import base64
import mimetypes

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from sikim.dissemination.models import Bulletin

# Large enough to print sharply, small enough to keep a PDF light (clean_image caps uploads anyway).
MAX_EMBEDDED_IMAGE_BYTES = 5 * 1024 * 1024


def public_url(bulletin: Bulletin) -> str:
    """The absolute address of the bulletin's public page (what the QR code points at)."""
    return f"{settings.SITE_URL}{reverse('dissemination:public_detail', args=[bulletin.pk])}"


def qr_svg(data: str) -> str:
    """A QR code for `data` as an inline SVG element (no XML declaration)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg.split("?>", 1)[-1].strip() if svg.startswith("<?xml") else svg


def image_data_uri(bulletin: Bulletin) -> str:
    """The bulletin's picture as a data: URI, or "" when it has none (or the file is gone)."""
    if not bulletin.image:
        return ""
    try:
        with bulletin.image.open("rb") as handle:
            content = handle.read(MAX_EMBEDDED_IMAGE_BYTES + 1)
    except OSError:
        return ""
    if len(content) > MAX_EMBEDDED_IMAGE_BYTES:
        return ""
    mime = mimetypes.guess_type(bulletin.image.name or "")[0] or "image/jpeg"
    if not mime.startswith("image/"):
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def bulletin_print_html(bulletin: Bulletin) -> str:
    """The HTML WeasyPrint turns into the A4 page."""
    url = public_url(bulletin)
    return render_to_string(
        "dissemination/print.html",
        {
            "bulletin": bulletin,
            "url": url,
            "qr_svg": qr_svg(url),
            "image_uri": image_data_uri(bulletin),
            "expired": bool(bulletin.valid_until and bulletin.valid_until <= timezone.now()),
            "printed_at": timezone.now(),
        },
    )


def offline_url_fetcher() -> URLFetcher:
    """Only data: URIs are fetched; http(s), file and every other scheme are refused."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=offline_url_fetcher()).write_pdf()
    return pdf
