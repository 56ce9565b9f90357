"""Dashboards per office and per region: the figures of a known scene, who may see them, exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import login
from sikim.aspirations.models import Category, Visibility
from sikim.aspirations.selectors.dashboards import office_dashboard, region_dashboard
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_reject, aspiration_verify
from sikim.wilayah.models import Region

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
PAGE = "/aspirasi/dasbor/"
API = "/api/v1/aspirations/dashboard"


@pytest.fixture
def scene(submit, rules, ketua_guntung_paikat, petugas_pupr, pupr_banjarbaru):
    """Four cases from Guntung Paikat, submitted Monday 2 Feb 2026 09:00 WIB:
    answered by PUPR 25 hours later (on time); with PUPR, never answered (overdue); never
    verified (overdue); rejected as spam."""
    answered = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(), now=MONDAY)
    aspiration_answer(actor=petugas_pupr, aspiration=answered, answer="Diperbaiki.", now=MONDAY + timedelta(hours=25))
    waiting = aspiration_verify(
        actor=ketua_guntung_paikat,
        aspiration=submit(visibility=Visibility.CONFIDENTIAL, title='=HYPERLINK("http://x") Jalan'),
        now=MONDAY,
    )
    unverified = submit(category=Category.KESEHATAN)
    aspiration_reject(actor=ketua_guntung_paikat, aspiration=submit(), reason="spam", now=MONDAY)
    return {"answered": answered, "waiting": waiting, "unverified": unverified}


def test_the_region_figures(scene):
    board = region_dashboard(Region.objects.get(code="63.72"))
    counts = {s.state: s.count for s in board.by_state}
    assert counts == {
        "diajukan": 1,
        "diverifikasi": 0,
        "ditolak": 1,
        "diteruskan": 1,
        "ditindaklanjuti": 0,
        "dijawab": 1,
        "selesai": 0,
    }
    assert (board.total, board.answered_count, board.overdue_count) == (4, 1, 2)
    assert board.on_time_rate == 1.0
    assert board.median_hours_to_answer == 25.0
    assert {o.code for o in board.overdue} == {scene["waiting"].code, scene["unverified"].code}
    [kecamatan] = [r for r in board.regions if r.total]
    assert (kecamatan.code, kecamatan.total, kecamatan.overdue, kecamatan.answered) == ("63.72.05", 4, 2, 1)


def test_the_office_figures(scene, pupr_banjarbaru):
    board = office_dashboard(pupr_banjarbaru)
    assert (board.total, board.answered_count, board.overdue_count) == (2, 1, 1)
    assert [o.code for o in board.overdue] == [scene["waiting"].code]
    assert board.regions == []


def test_the_dashboard_takes_a_bounded_number_of_queries(scene, submit):
    region = Region.objects.get(code="63.72")
    with CaptureQueriesContext(connection) as few:
        region_dashboard(region)
    for _ in range(10):
        submit()
    with CaptureQueriesContext(connection) as more:
        region_dashboard(region)
    assert len(more) == len(few) <= 8


def test_the_pembina_sees_their_region_page(client, scene, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-states"' in html and 'id="chart-regions"' in html and "<svg" in html
    assert scene["waiting"].code in html and "Siti" not in html
    assert client.get(f"{PAGE}?region=63.72.05").status_code == 200
    assert client.get(f"{PAGE}?region=51.01").status_code == 403
    assert client.get(f"{PAGE}?region=bogus").status_code == 404
    assert client.get(f"{PAGE}?office=dinas-pupr-kota-banjarbaru").status_code == 200


def test_the_officer_sees_their_office(client, scene, petugas_pupr):
    login(client, petugas_pupr)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert scene["waiting"].code in response.content.decode()
    assert scene["unverified"].code not in response.content.decode()
    assert client.get(f"{PAGE}?region=63.72").status_code == 403
    assert client.get(f"{PAGE}?office=dlh-kota-banjarbaru").status_code == 403


def test_the_outsider_sees_only_their_own_region(client, scene, outsider):
    login(client, outsider)
    response = client.get(PAGE)
    assert response.status_code == 200 and scene["waiting"].code not in response.content.decode()
    assert client.get(f"{PAGE}?region=63.72").status_code == 403
    assert client.get(f"{API}/regions/63.72").status_code == 403
    assert client.get(f"{API}/offices/dinas-pupr-kota-banjarbaru").status_code == 403


@pytest.mark.parametrize("actor", ["ketua_guntung_paikat", "warga_guntung_paikat", "petugas_instansi", "stranger"])
def test_others_get_no_dashboard(client, request, scene, actor):
    login(client, request.getfixturevalue(actor))
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}?region=63.72").status_code == 403
    assert client.get(f"{API}/regions/63.72").status_code == 403
    assert client.get(f"{API}/offices/dinas-pupr-kota-banjarbaru").status_code == 403


def test_anonymous_is_sent_to_log_in(client, regions):
    assert client.get(PAGE).status_code == 302
    assert client.get(f"{API}/regions/63.72").status_code == 401


def test_the_api_gives_the_same_figures(client, scene, pembina_banjarbaru, petugas_pupr):
    login(client, pembina_banjarbaru)
    body = client.get(f"{API}/regions/63.72").json()
    assert (body["total"], body["overdue_count"], body["median_hours_to_answer"], body["on_time_rate"]) == (
        4,
        2,
        25.0,
        1.0,
    )
    assert client.get(f"{API}/regions/99").status_code == 404
    login(client, petugas_pupr)
    body = client.get(f"{API}/offices/dinas-pupr-kota-banjarbaru").json()
    assert body["total"] == 2 and "Siti" not in str(body)
    assert client.get(f"{API}/offices/no-such-office").status_code == 404


def test_csv_export_is_formula_safe_and_names_nobody(client, scene, pembina_banjarbaru):
    login(client, pembina_banjarbaru)
    response = client.get("/aspirasi/dasbor.csv?region=63.72")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [row[1] for row in rows if row and row[0] == scene["waiting"].code]
    assert titles and titles[0].startswith("'=")
    assert ["total", "4"] in rows
    assert "siti@sikim.test" not in response.content.decode() and "Siti Aminah" not in response.content.decode()


def test_xlsx_export(client, scene, petugas_pupr):
    login(client, petugas_pupr)
    response = client.get("/aspirasi/dasbor.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert ["total", 2] in [row[:2] for row in values]
    assert all(not (isinstance(c, str) and c.startswith("=")) for row in values for c in row)


def test_exports_are_denied_to_outsiders(client, scene, outsider):
    login(client, outsider)
    assert client.get("/aspirasi/dasbor.csv?region=63.72").status_code == 403
    assert client.get("/aspirasi/dasbor.xlsx?office=dinas-pupr-kota-banjarbaru").status_code == 403
