"""The public statistics page /informasi/statistik/ and its CSV/XLSX files."""

import csv
import io

import pytest
from openpyxl import load_workbook

from sikim.kip.tests.conftest import REQUEST_FIELDS
from sikim.kip.tests.test_stats import dataset  # noqa: F401 (fixture)
from sikim.offices.tests.conftest import make_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/informasi/statistik/"


def identities(dataset) -> list[str]:  # noqa: F811
    """Everything that could tell who asked or what: none of it may be in any output."""
    texts = [v for k, v in REQUEST_FIELDS.items() if k not in {"access_form", "copy_format", "delivery"}]
    texts += [r.tracking_code for r in dataset.values()]
    texts += [r.registration_number for r in dataset.values() if r.registration_number]
    texts += ["Keberatan.", "Tetap ditolak.", "001/KI-BALI/2026", "Rahasia pribadi.", "Arsip dipilah."]
    return texts


def assert_anonymous(text: str, dataset) -> None:  # noqa: F811
    for secret in identities(dataset):
        assert secret not in text, secret


def test_anyone_sees_a_region_with_its_regions_bodies_and_years(client, dataset):  # noqa: F811
    response = client.get(URL, {"region": "51.01", "year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-received">Requests received <strong>8</strong>' in html
    assert "<strong>60%</strong>" in html  # 3 of 5 decisions on time
    assert "12 working days" in html  # the median
    assert 'id="chart-outcomes"' in html and 'id="chart-grounds"' in html and 'id="chart-regions"' in html
    assert 'data-key="51.01.04"' in html and 'id="body-pemerintah-desa-ekasari"' in html
    assert 'id="chart-years"' in html
    assert "/informasi/laporan/pemerintah-desa-ekasari/2026/" in html
    assert_anonymous(html, dataset)


def test_indonesia_this_year_without_a_query(client, dataset):  # noqa: F811
    response = client.get(URL)
    assert response.status_code == 200
    assert "Indonesia" in response.content.decode()


def test_one_body_with_its_report_link(client, dataset, desa_ekasari):  # noqa: F811
    response = client.get(URL, {"body": desa_ekasari.slug, "year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-received">Requests received <strong>7</strong>' in html
    assert "7.5 working days" in html
    assert 'id="annual-report"' in html
    assert_anonymous(html, dataset)


def test_logged_in_users_see_the_same_public_figures(client, dataset, stranger, ppid_ekasari):  # noqa: F811
    from conftest import login

    for user in (stranger, ppid_ekasari):
        login(client, user)
        html = client.get(URL, {"region": "51.01", "year": "2026"}).content.decode()
        assert 'id="figure-received">Requests received <strong>8</strong>' in html
        assert_anonymous(html, dataset)


@pytest.mark.parametrize(
    "query",
    [
        {"region": "51.x"},
        {"region": "5101"},
        {"year": "abc"},
        {"year": "2009"},
        {"year": "2999"},
        {"year": "-1"},
        {"body": "bukan slug!"},
        {"body": "x" * 300},
        {"region": "51.01", "body": "pemerintah-desa-ekasari"},
    ],
)
def test_a_malformed_query_is_a_400_with_its_message(client, regions, query):
    for url in (URL, "/informasi/statistik.csv", "/informasi/statistik.xlsx"):
        response = client.get(url, query)
        assert response.status_code == 400, (url, query)
    assert 'id="stats-invalid"' in response.content.decode()


@pytest.mark.parametrize("query", [{"region": "51.99"}, {"region": "51.01.04.9999"}, {"body": "tidak-ada"}])
def test_an_unknown_region_or_body_is_a_404(client, regions, query):
    for url in (URL, "/informasi/statistik.csv", "/informasi/statistik.xlsx"):
        assert client.get(url, query).status_code == 404


def test_csv_holds_the_figures_and_no_one(client, dataset):  # noqa: F811
    response = client.get("/informasi/statistik.csv", {"region": "51.01", "year": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistik-kip-51.01-2026.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[rows.index(next(r for r in rows if r[:1] == ["line"]))]
    total = dict(zip(header, next(r for r in rows if r[:1] == ["total"]), strict=True))
    assert (total["received"], total["registered"], total["decided_on_time"], total["decided_late"]) == (
        "8",
        "7",
        "3",
        "2",
    )
    assert total["on_time_rate"] == "0.6" and total["median_working_days"] == "12"
    body = dict(zip(header, next(r for r in rows if r[:2] == ["body", "pemerintah-desa-ekasari"]), strict=True))
    assert body["received"] == "7" and body["median_working_days"] == "7.5"
    assert ["h", "1", "1"] in rows  # ground h: one refusal, one partial grant
    assert_anonymous(text, dataset)


def test_xlsx_holds_every_body_and_quotes_formulas(client, dataset, regions):  # noqa: F811
    from sikim.kip.services.requests import request_file

    hostile = make_office("dinas-formula", '=HYPERLINK("http://x")', "51.01")
    request_file(actor=None, body=hostile, **REQUEST_FIELDS)
    response = client.get("/informasi/statistik.xlsx", {"region": "51.01"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    names = [row[2] for row in values if row and row[0] == "body"]
    assert '\'=HYPERLINK("http://x")' in names and "Pemerintah Desa Ekasari" in names
    assert_anonymous(repr(values), dataset)


def test_the_page_costs_the_same_queries_however_many_bodies(client, dataset, regions):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sikim.kip.services.requests import request_file

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"region": "51.01", "year": "2026"}).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        body = make_office(f"dinas-{n}", f"Dinas Uji {n} Kabupaten Jembrana", "51.01")
        request_file(actor=None, body=body, **REQUEST_FIELDS)
    assert count() == before
