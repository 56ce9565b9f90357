import pytest
from django.urls import reverse

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.audit.services import audit_record
from sikim.core.request_context import RequestOrigin, reset_origin, set_origin

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(regions, national_admin):
    """One event in Guntung Paikat (Banjarbaru), one in Ekasari (Jembrana), one national."""
    token = set_origin(RequestOrigin(ip_address="10.1.2.3", user_agent="test", channel="web"))
    try:
        inside = audit_record(actor=national_admin, action="test.inside", region_code="63.72.05.1004")
        outside = audit_record(actor=national_admin, action="test.outside", region_code="51.01.04.2004")
        national = audit_record(actor=national_admin, action="test.national")
    finally:
        reset_origin(token)
    return inside, outside, national


def test_audit_record_keeps_who_what_where_and_from_where(events, national_admin):
    inside, _, _ = events
    assert inside.actor == national_admin
    assert inside.actor_label == str(national_admin)
    assert inside.ip_address == "10.1.2.3"
    assert inside.channel == "web"
    assert inside.region_id == "63.72.05.1004"


def test_pembina_sees_only_their_region(client, events, pembina_banjarbaru):
    response = login(client, pembina_banjarbaru).get(reverse("audit:event_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "test.inside" in body
    assert "test.outside" not in body
    assert "test.national" not in body


def test_national_admin_sees_everything(client, events, national_admin):
    body = login(client, national_admin).get(reverse("audit:event_list")).content.decode()
    assert "test.inside" in body and "test.outside" in body and "test.national" in body


def test_it_rejects_outsiders_and_citizens(client, events, warga_guntung_paikat, stranger):
    for user in (warga_guntung_paikat, stranger):
        client.logout()
        assert login(client, user).get(reverse("audit:event_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, events):
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_filters_and_bad_filter_values(client, events, national_admin):
    login(client, national_admin)
    body = client.get(reverse("audit:event_list"), {"region": "51.01"}).content.decode()
    assert "test.outside" in body and "test.inside" not in body
    response = client.get(reverse("audit:event_list"), {"date_from": "not-a-date", "page": "x" * 500})
    assert response.status_code == 200


def test_api_lists_events_in_scope(client, events, pembina_banjarbaru, outsider):
    login(client, pembina_banjarbaru)
    data = client.get("/api/v1/audit/events").json()
    assert [item["action"] for item in data["items"]] == ["test.inside"]
    client.logout()
    login(client, outsider)
    data = client.get("/api/v1/audit/events").json()
    assert [item["action"] for item in data["items"]] == ["test.outside"]


def test_api_rejects_citizens_and_anonymous(client, events, warga_guntung_paikat):
    response = client.get("/api/v1/audit/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    login(client, warga_guntung_paikat)
    response = client.get("/api/v1/audit/events")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_api_wrong_types_are_422(client, events, national_admin):
    login(client, national_admin)
    response = client.get("/api/v1/audit/events", {"date_from": "yesterday", "page": "abc"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_audit_events_are_read_only_in_admin(client, events, national_admin):
    national_admin.is_staff = True
    national_admin.save()
    login(client, national_admin)
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    response = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_api_refuses_absurd_page_numbers_cleanly(client, events, national_admin):
    login(client, national_admin)
    response = client.get("/api/v1/audit/events", {"page": "219780345361495031878564970496"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
