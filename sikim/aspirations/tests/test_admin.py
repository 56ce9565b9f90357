"""The admin: scoped querysets, a read-only text and timeline, identity as author_display allows."""

import pytest
from django.urls import reverse

from conftest import login
from sikim.aspirations.models import Category, RoutingRule, Visibility
from sikim.aspirations.services.workflow import aspiration_verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def cases(submit, rules, ketua_guntung_paikat):
    confidential = submit(visibility=Visibility.CONFIDENTIAL, title="Pungutan liar di kelurahan")
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=confidential)
    environment = submit(category=Category.LINGKUNGAN, title="Sampah menumpuk di TPS")
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=environment)
    return confidential, environment


def test_pembina_sees_the_region_but_not_a_confidential_identity(client, pembina_banjarbaru, cases):
    confidential, _environment = cases
    login(client, staff(pembina_banjarbaru))
    listing = client.get(reverse("admin:aspirations_aspiration_changelist")).content.decode()
    assert "Pungutan liar" in listing and "Sampah menumpuk" in listing
    page = client.get(reverse("admin:aspirations_aspiration_change", args=[confidential.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Confidential citizen" in body
    assert "Siti Aminah" not in body and "6281351000002" not in body and "siti@sikim.test" not in body
    assert 'name="text"' not in body and 'name="title"' not in body  # the text is read-only
    assert 'name="is_hidden"' in body  # a moderator may hide it


def test_the_kim_pengurus_sees_the_identity(client, ketua_guntung_paikat, cases):
    confidential, _environment = cases
    login(client, staff(ketua_guntung_paikat))
    body = client.get(reverse("admin:aspirations_aspiration_change", args=[confidential.pk])).content.decode()
    assert "Siti Aminah" in body and "+6281351000002" in body
    assert 'name="is_hidden"' not in body  # pengurus do not moderate here


def test_an_office_sees_only_its_cases(client, petugas_dlh, cases):
    confidential, environment = cases
    login(client, staff(petugas_dlh))
    listing = client.get(reverse("admin:aspirations_aspiration_changelist")).content.decode()
    assert "Sampah menumpuk" in listing and "Pungutan liar" not in listing
    assert client.get(reverse("admin:aspirations_aspiration_change", args=[confidential.pk])).status_code == 302


def test_outsiders_see_nothing(client, outsider, cases):
    confidential, _environment = cases
    login(client, staff(outsider))
    listing = client.get(reverse("admin:aspirations_aspiration_changelist")).content.decode()
    assert "Pungutan liar" not in listing and "Sampah menumpuk" not in listing
    assert client.get(reverse("admin:aspirations_aspiration_change", args=[confidential.pk])).status_code == 302


def test_hiding_from_the_admin_goes_through_the_service(client, pembina_banjarbaru, cases):
    confidential, environment = cases
    login(client, staff(pembina_banjarbaru))
    url = reverse("admin:aspirations_aspiration_change", args=[environment.pk])
    refused = client.post(url, {"is_hidden": "on", "hidden_reason": ""} | _empty_inlines())
    assert refused.status_code == 200 and "Give a reason." in refused.content.decode()
    done = client.post(url, {"is_hidden": "on", "hidden_reason": "Kata kasar"} | _empty_inlines())
    assert done.status_code == 302
    environment.refresh_from_db()
    assert environment.is_hidden and environment.events.filter(kind="hidden", is_public=False).exists()


def _empty_inlines():
    data = {}
    for prefix in ("events", "corrections", "photos"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_routing_rules_are_scoped(client, pembina_banjarbaru, outsider, rules, pupr_banjarbaru):
    login(client, staff(outsider))
    assert (
        "Dinas PUPR Kota Banjarbaru"
        not in client.get(reverse("admin:aspirations_routingrule_changelist")).content.decode()
    )
    refused = client.post(
        reverse("admin:aspirations_routingrule_add"),
        {"category": "kesehatan", "region": "63.72", "office": pupr_banjarbaru.pk, "priority": "0", "is_active": "on"},
    )
    assert refused.status_code == 200 and "your own region" in refused.content.decode()
    login(client, staff(pembina_banjarbaru))
    created = client.post(
        reverse("admin:aspirations_routingrule_add"),
        {"category": "kesehatan", "region": "63.72", "office": pupr_banjarbaru.pk, "priority": "0", "is_active": "on"},
    )
    assert created.status_code == 302
    assert RoutingRule.objects.filter(category="kesehatan", region_id="63.72").exists()
