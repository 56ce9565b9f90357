import pytest
from django.core.exceptions import PermissionDenied

from sikim.accounts.services import user_set_password
from sikim.audit.models import AuditEvent

NEW_PASSWORD = "kata-sandi-baru-456"


def test_it_sets_the_password_and_audits_without_it(warga_guntung_paikat):
    user_set_password(actor=warga_guntung_paikat, user=warga_guntung_paikat, password=NEW_PASSWORD)

    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="accounts.user_set_password")
    assert event.before is None and event.after is None


def test_a_national_admin_may_switch_password_login_off(warga_guntung_paikat, national_admin):
    user_set_password(actor=national_admin, user=warga_guntung_paikat, password=None)

    warga_guntung_paikat.refresh_from_db()
    assert not warga_guntung_paikat.has_usable_password()
    assert AuditEvent.objects.filter(action="accounts.user_disable_password", actor=national_admin).exists()


def test_it_rejects_a_pembina_setting_a_citizens_password(warga_guntung_paikat, pembina_banjarbaru):
    with pytest.raises(PermissionDenied):
        user_set_password(actor=pembina_banjarbaru, user=warga_guntung_paikat, password=NEW_PASSWORD)
