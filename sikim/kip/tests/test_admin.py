"""The admin: requests scoped and identity masked; the register, the atasan and the calendar kept
by the right people only."""

import pytest
from django.urls import reverse

from conftest import login
from sikim.kip.models import AtasanPpid, CalendarOverride, RegisterEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _staff(user):
    user.is_staff = True
    user.save()
    return user


def test_ppid_sees_the_identity_pembina_sees_it_masked(client, file, ppid_ekasari, outsider, ppid_dinkes):
    request = file()
    change = reverse("admin:kip_informationrequest_change", args=[request.pk])
    login(client, _staff(ppid_ekasari))
    body = client.get(change).content.decode()
    assert "5101041203850001" in body and "I Made Artana" in body
    listing = client.get(reverse("admin:kip_informationrequest_changelist")).content.decode()
    assert request.registration_number in listing and "I Made Artana" in listing
    login(client, _staff(outsider))
    response = client.get(change)
    assert response.status_code == 200
    body = response.content.decode()
    assert "5101041203850001" not in body and "I Made Artana" not in body and "I M*** A*****" in body
    assert "+6281338000123" not in body
    login(client, _staff(ppid_dinkes))
    assert client.get(change).status_code == 302  # not in their queryset: back to the admin index
    assert (
        request.registration_number
        not in client.get(reverse("admin:kip_informationrequest_changelist")).content.decode()
    )


def test_register_entry_in_the_admin(client, desa_ekasari, dinkes_jembrana, ppid_ekasari):
    login(client, _staff(ppid_ekasari))
    add = reverse("admin:kip_registerentry_add")
    refused = client.post(add, {"body": dinkes_jembrana.pk, "category": "berkala", "title": "X", "year": 2026})
    assert refused.status_code == 200 and "your own public body" in refused.content.decode()
    created = client.post(
        add,
        {
            "body": desa_ekasari.pk,
            "category": "berkala",
            "title": "APBDes 2026",
            "summary": "Email: a.b@c.id",
            "year": 2026,
            "is_published": "on",
        },
    )
    assert created.status_code == 302
    entry = RegisterEntry.objects.get()
    assert entry.summary == "Email: a***@***" and entry.published_at is not None


def test_calendar_is_for_national_admins(client, national_admin, outsider):
    login(client, _staff(outsider))
    assert client.get(reverse("admin:kip_calendaroverride_changelist")).status_code == 403
    login(client, _staff(national_admin))
    created = client.post(
        reverse("admin:kip_calendaroverride_add"), {"date": "2026-11-27", "kind": "day_off", "reason": "Pilkada"}
    )
    assert created.status_code == 302 and CalendarOverride.objects.get().reason == "Pilkada"


def test_pembina_appoints_the_atasan_of_bodies_in_their_region(
    client, desa_ekasari, dinkes_banjarbaru, outsider, citizen
):
    login(client, _staff(outsider))
    add = reverse("admin:kip_atasanppid_add")
    refused = client.post(add, {"body": dinkes_banjarbaru.pk, "user": citizen.pk, "position": "Kepala"})
    assert refused.status_code == 200 and not AtasanPpid.objects.exists()
    created = client.post(add, {"body": desa_ekasari.pk, "user": citizen.pk, "position": "Perbekel"})
    assert created.status_code == 302
    assert AtasanPpid.objects.get().user == citizen
