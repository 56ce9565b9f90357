import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.dissemination.models import Delivery, DeliveryStatus, KimInboxItem
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.offline import offline_report_record
from sikim.dissemination.tests.bulletin_fixtures import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reached_bulletin(pembina_banjarbaru, pembina_office_banjarbaru, ketua_guntung_paikat, kim_guntung_paikat):
    import datetime

    bulletin = bulletin_create(
        actor=pembina_banjarbaru,
        publisher=pembina_office_banjarbaru,
        title="Vaksinasi",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    KimInboxItem.objects.create(bulletin=bulletin, kim=kim_guntung_paikat)
    someone = member(kim_guntung_paikat)
    Delivery.objects.create(bulletin=bulletin, member=someone, channel="email", status=DeliveryStatus.READ)
    offline_report_record(
        actor=ketua_guntung_paikat,
        bulletin=bulletin,
        kim=kim_guntung_paikat,
        place_type="mosque",
        place_name="=HYPERLINK(evil)",
        held_on=datetime.date(2026, 11, 20),
        people_reached=120,
    )
    return bulletin


def url(name, bulletin):
    return reverse(f"dissemination:{name}", kwargs={"pk": bulletin.pk})


def test_csv_export(pembina_banjarbaru, reached_bulletin):
    response = login(Client(), pembina_banjarbaru).get(url("reach_csv", reached_bulletin))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    email = next(r for r in rows if r and r[0] == "email")
    assert email[header.index("read")] == "1"
    assert ["offline_reports", "1", "people_reached", "120"] in rows
    assert ["total_reached", "121"] in rows
    assert any(len(r) > 2 and r[2] == "'=HYPERLINK(evil)" for r in rows)  # no formula injection
    assert AuditEvent.objects.filter(action="dissemination.reach_export").count() == 1


def test_xlsx_export(national_admin, reached_bulletin):
    response = login(Client(), national_admin).get(url("reach_xlsx", reached_bulletin))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [v for v in values if v and v[0] == "total_reached"][0][:2] == ["total_reached", 121]


@pytest.mark.parametrize(
    "actor_name", ["outsider", "ketua_ekasari", "ketua_guntung_paikat", "anggota_guntung_paikat", "stranger"]
)
def test_others_get_404(request, actor_name, reached_bulletin):
    client = login(Client(), request.getfixturevalue(actor_name))
    for name in ("reach_csv", "reach_xlsx"):
        assert client.get(url(name, reached_bulletin)).status_code == 404
    assert not AuditEvent.objects.filter(action="dissemination.reach_export").exists()


def test_anonymous_is_sent_to_login(reached_bulletin):
    response = Client().get(url("reach_csv", reached_bulletin))
    assert response.status_code == 302


def test_reach_page(pembina_banjarbaru, ketua_ekasari, reached_bulletin):
    response = login(Client(), pembina_banjarbaru).get(url("reach", reached_bulletin))
    assert response.status_code == 200
    assert response.context["reach"]["total_reached"] == 121
    body = response.content.decode()
    assert "=HYPERLINK(evil)" in body and url("reach_xlsx", reached_bulletin) in body
    assert login(Client(), ketua_ekasari).get(url("reach", reached_bulletin)).status_code == 404
    assert Client().get(url("reach", reached_bulletin)).status_code == 302
