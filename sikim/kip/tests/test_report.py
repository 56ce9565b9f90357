"""The annual PPID report of a body: /informasi/laporan/<slug>/<year>/ as HTML, PDF and XLSX."""

import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from sikim.kip.reports import annual_report
from sikim.kip.tests.conftest import wib
from sikim.kip.tests.test_stats import dataset  # noqa: F401 (fixture)
from sikim.kip.tests.test_stats_views import assert_anonymous

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/informasi/laporan/pemerintah-desa-ekasari/2026/"


def _pdf_streams(pdf: bytes) -> bytes:
    """The PDF's streams, inflated (WeasyPrint compresses pages and object streams)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return pdf + b"\n".join(out)


def test_the_report_figures(dataset, desa_ekasari):  # noqa: F811
    report = annual_report(desa_ekasari, 2026, now=wib(2026, 11, 24, 9))
    assert report.stats.received == 7 and report.stats.median_days == 7.5
    march = report.months[2]
    assert (march.month, march.stats.received, march.stats.decided, march.stats.on_time) == (3, 7, 4, 3)
    assert sum(m.stats.received for m in report.months) == 7
    assert {line.key: line.count for line in report.service_time} == {
        "within_decision_days": 2,  # 3 and 3 working days
        "within_extension": 2,  # 12 and 14
        "longer": 0,
    }
    grounds = {line.key: (line.count, line.extra) for line in report.refusal_grounds}
    assert grounds["a"] == (1, 0) and grounds["h"] == (1, 0) and sum(c for c, _ in grounds.values()) == 2
    assert {line.key: line.count for line in report.dispute_outcomes}["mediated"] == 1


def test_the_page_has_the_five_parts_and_no_one(client, dataset):  # noqa: F811
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for part in ("report-overview", "report-requests", "report-objections", "report-service-time", "report-refusals"):
        assert f'id="{part}"' in html
    assert "Pemerintah Desa Ekasari" in html
    assert '<tr data-ground="h"><td>h. reveal personal secrets</td><td class="n">1</td>' in html
    assert 'href="/informasi/laporan/pemerintah-desa-ekasari/2026.pdf"' in html
    assert_anonymous(html, dataset)


def test_the_pdf_is_an_a4_report_named_for_the_body(client, dataset):  # noqa: F811
    response = client.get("/informasi/laporan/pemerintah-desa-ekasari/2026.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="laporan-ppid-pemerintah-desa-ekasari-2026.pdf"'
    assert response.content.startswith(b"%PDF-")
    inflated = _pdf_streams(response.content)
    assert b"/MediaBox [0 0 595.275591 841.889764]" in inflated  # A4 in points
    assert b"/Title (Annual PPID report 2026 - Pemerintah Desa Ekasari)" in inflated
    assert_anonymous(inflated.decode("latin-1"), dataset)


def test_the_xlsx_has_a_sheet_per_table_with_the_numbers(client, dataset):  # noqa: F811
    response = client.get("/informasi/laporan/pemerintah-desa-ekasari/2026.xlsx")
    assert response.status_code == 200
    assert 'filename="laporan-ppid-pemerintah-desa-ekasari-2026.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Overview",
        "Requests",
        "Per month",
        "Objections and disputes",
        "Service time",
        "Reasons for refusal",
    ]
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    requests = dict(sheets["Requests"][1:])
    assert requests["Requests received"] == 7 and requests["Refused"] == 2 and requests["Not yet decided"] == 2
    service = dict(sheets["Service time"][1:])
    assert service["Decided on time"] == 3 and service["On-time rate"] == 0.75
    assert service["Median working days to decision"] == 7.5
    objections = dict(sheets["Objections and disputes"][1:])
    assert objections["Objections filed"] == 2 and objections["Disputes at the Information Commission"] == 1
    grounds = {row[0]: row[1:] for row in sheets["Reasons for refusal"][1:]}
    assert grounds["a. hinder law enforcement"] == (1, 0)
    assert sheets["Per month"][3] == ("March", 7, 4, 1, 2, 3)
    assert_anonymous(repr(sheets), dataset)


def test_a_body_without_requests_reports_zeros(client, dinkes_banjarbaru):
    response = client.get(f"/informasi/laporan/{dinkes_banjarbaru.slug}/2025.xlsx")
    assert response.status_code == 200
    assert client.get(f"/informasi/laporan/{dinkes_banjarbaru.slug}/2025/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/informasi/laporan/tidak-ada/2026/",
        "/informasi/laporan/tidak-ada/2026.pdf",
        "/informasi/laporan/tidak-ada/2026.xlsx",
        "/informasi/laporan/pemerintah-desa-ekasari/2009/",
        "/informasi/laporan/pemerintah-desa-ekasari/2999/",
        "/informasi/laporan/pemerintah-desa-ekasari/0.pdf",
        "/informasi/laporan/pemerintah-desa-ekasari/99999999999999999999999.xlsx",
        "/informasi/laporan/pemerintah-desa-ekasari/tahun/",
    ],
)
def test_an_unknown_body_or_year_is_a_404(client, desa_ekasari, path):
    assert client.get(path).status_code == 404
