"""The receipt of a request (tanda bukti penerimaan permohonan informasi publik) as a PDF.

It goes to the requester, so it carries their name. Rendered by WeasyPrint entirely offline
(inline styles, system fonts; the URL fetcher refuses every scheme but data:), like the
printable bulletin (`sikim.dissemination.printing`).
"""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from sikim.kip.deadlines import DECISION_DAYS, EXTENSION_DAYS
from sikim.kip.models import InformationRequest


def offline_url_fetcher() -> URLFetcher:
    """Only data: URIs are fetched; http(s), file and every other scheme are refused."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def receipt_html(request: InformationRequest) -> str:
    if not request.is_registered:
        raise ValidationError(_("A receipt is issued when the request is registered."))
    return render_to_string(
        "kip/receipt.html",
        {"request": request, "body": request.body, "decision_days": DECISION_DAYS, "extension_days": EXTENSION_DAYS},
    )


def receipt_pdf(request: InformationRequest) -> bytes:
    """The receipt as PDF bytes (for the requester; the caller checks who may have it)."""
    pdf: bytes = HTML(string=receipt_html(request), base_url=None, url_fetcher=offline_url_fetcher()).write_pdf()
    return pdf
