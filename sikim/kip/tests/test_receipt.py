"""The receipt (tanda bukti permohonan) as a PDF, rendered offline."""

import pytest
from django.core.exceptions import ValidationError

from sikim.kip.receipt import receipt_html, receipt_pdf
from sikim.kip.services.requests import request_submit
from sikim.kip.tests.conftest import BEFORE_LEBARAN, REQUEST_FIELDS

pytestmark = [pytest.mark.django_db]  # the receipt is checked in Indonesian, the default


def test_receipt_carries_the_number_dates_body_and_requester(file):
    request = file()
    html = receipt_html(request)
    for text in (request.registration_number, request.tracking_code, "Pemerintah Desa Ekasari", "I Made Artana"):
        assert text in html
    assert "17 Maret 2026" in html and "8 April 2026" in html  # received, due (Indonesian by default)
    assert "5101041203850001" not in html  # the identity number stays off the receipt
    pdf = receipt_pdf(request)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 2000


def test_receipt_is_refused_before_registration(desa_ekasari, citizen):
    request = request_submit(actor=citizen, body=desa_ekasari, now=BEFORE_LEBARAN, **REQUEST_FIELDS)
    with pytest.raises(ValidationError):
        receipt_pdf(request)


def test_receipt_fetches_nothing_from_outside(file):
    """Whatever the text says, the offline fetcher refuses every scheme but data:."""
    from sikim.kip.receipt import offline_url_fetcher

    fetcher = offline_url_fetcher()
    with pytest.raises(Exception):  # noqa: B017,PT011 - WeasyPrint raises its own error types
        fetcher("http://127.0.0.1:1/x.png")
    with pytest.raises(Exception):  # noqa: B017,PT011
        fetcher("file:///etc/passwd")
    request = file(information='<img src="http://127.0.0.1:1/x.png"> <link href="file:///etc/passwd">')
    assert receipt_pdf(request).startswith(b"%PDF-")
