import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import GUNTUNG_PAIKAT
from sikim.accounts.services import user_update_profile
from sikim.accounts.tests.factories import UserFactory
from sikim.audit.models import AuditEvent


def test_it_saves_and_audits_only_what_changed(warga_guntung_paikat):
    user = warga_guntung_paikat

    user_update_profile(actor=user, user=user, full_name="Siti Aminah Rahman", phone="0813 5100 0009")

    user.refresh_from_db()
    assert user.full_name == "Siti Aminah Rahman"
    assert user.phone == "+6281351000009"
    event = AuditEvent.objects.get(action="accounts.user_update_profile")
    assert event.actor == user
    assert event.region_id == GUNTUNG_PAIKAT
    assert event.before == {"full_name": "Siti Aminah", "phone": "+6281351000002"}
    assert event.after == {"full_name": "Siti Aminah Rahman", "phone": "+6281351000009"}
    assert "password" not in str(event.before) + str(event.after)


def test_nothing_changed_leaves_no_event(warga_guntung_paikat):
    user_update_profile(actor=warga_guntung_paikat, user=warga_guntung_paikat, full_name="Siti Aminah")

    assert not AuditEvent.objects.filter(action="accounts.user_update_profile").exists()


def test_it_rejects_another_person(warga_guntung_paikat, pembina_banjarbaru):
    with pytest.raises(PermissionDenied):
        user_update_profile(actor=pembina_banjarbaru, user=warga_guntung_paikat, full_name="Dirubah")

    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.full_name == "Siti Aminah"


def test_a_national_admin_may_correct_someone(warga_guntung_paikat, national_admin):
    user_update_profile(actor=national_admin, user=warga_guntung_paikat, full_name="Siti Aminah Binti Ahmad")

    assert AuditEvent.objects.get(action="accounts.user_update_profile").actor == national_admin


def test_it_keeps_a_way_to_log_in(warga_guntung_paikat):
    with pytest.raises(ValidationError):
        user_update_profile(actor=warga_guntung_paikat, user=warga_guntung_paikat, email=None, phone=None)


def test_it_rejects_someone_elses_phone(warga_guntung_paikat, pembina_banjarbaru):
    with pytest.raises(ValidationError) as excinfo:
        user_update_profile(actor=warga_guntung_paikat, user=warga_guntung_paikat, phone="081351000001")

    assert "phone" in excinfo.value.message_dict


def test_it_rejects_a_language_that_is_not_offered(db):
    user = UserFactory()
    with pytest.raises(ValidationError):
        user_update_profile(actor=user, user=user, preferred_language="xx")
