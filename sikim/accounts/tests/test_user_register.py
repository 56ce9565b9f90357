import pytest
from django.core.exceptions import ValidationError

from conftest import BANJARBARU, GUNTUNG_PAIKAT
from sikim.accounts.models import User
from sikim.accounts.services import user_register
from sikim.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sikim.audit.models import AuditEvent


def test_it_registers_with_email_lowercased(db):
    user = user_register(full_name="  Siti   Aminah ", email="Siti@Contoh.ID", password=TEST_PASSWORD)

    user.refresh_from_db()
    assert user.email == "siti@contoh.id"
    assert user.phone is None
    assert user.full_name == "Siti Aminah"
    assert user.check_password(TEST_PASSWORD)
    assert TEST_PASSWORD not in user.password


def test_it_normalizes_the_phone_number(db):
    user = user_register(full_name="Budi", phone="0812-3456-7890", password=TEST_PASSWORD)

    assert User.objects.get(pk=user.pk).phone == "+6281234567890"
    assert user.email is None


def test_it_records_an_audit_event_without_the_password(regions):
    user = user_register(
        full_name="Budi", email="budi@contoh.id", password=TEST_PASSWORD, home_region=regions.get(code=GUNTUNG_PAIKAT)
    )

    event = AuditEvent.objects.get(action="accounts.user_register")
    assert event.actor == user
    assert event.region_id == GUNTUNG_PAIKAT
    assert event.after["email"] == "budi@contoh.id"
    assert "password" not in event.after
    assert TEST_PASSWORD not in str(event.after)


def test_it_rejects_a_duplicate_email_in_another_case(db):
    UserFactory(email="ada@contoh.id")

    with pytest.raises(ValidationError) as excinfo:
        user_register(full_name="Ada Lagi", email="ADA@contoh.id", password=TEST_PASSWORD)

    assert "already exists" in str(excinfo.value.message_dict["email"])


def test_it_rejects_a_duplicate_phone_in_another_spelling(db):
    UserFactory(email=None, phone="+6281234567890")

    with pytest.raises(ValidationError) as excinfo:
        user_register(full_name="Budi", phone="62 812 3456 7890", password=TEST_PASSWORD)

    assert "phone" in excinfo.value.message_dict


@pytest.mark.parametrize("phone", ["12ab", "0812", "+1 202 555 0100", "x" * 5000])
def test_it_rejects_a_malformed_phone(db, phone):
    with pytest.raises(ValidationError) as excinfo:
        user_register(full_name="Budi", phone=phone, password=TEST_PASSWORD)

    assert "phone" in excinfo.value.message_dict
    assert not User.objects.exists()


def test_it_needs_an_email_or_a_phone(db):
    with pytest.raises(ValidationError) as excinfo:
        user_register(full_name="Budi", password=TEST_PASSWORD)

    assert "email" in excinfo.value.message_dict


def test_it_rejects_a_very_long_name(db):
    with pytest.raises(ValidationError) as excinfo:
        user_register(full_name="a" * 10_000, email="long@contoh.id", password=TEST_PASSWORD)

    assert "full_name" in excinfo.value.message_dict


def test_it_rejects_a_weak_password(db):
    with pytest.raises(ValidationError) as excinfo:
        user_register(full_name="Budi", email="budi@contoh.id", password="12345678")

    assert "password" in excinfo.value.message_dict
    assert not User.objects.exists()


def test_it_rejects_a_home_region_that_is_not_a_village(regions):
    with pytest.raises(ValidationError) as excinfo:
        user_register(
            full_name="Budi", email="budi@contoh.id", password=TEST_PASSWORD, home_region=regions.get(code=BANJARBARU)
        )

    assert "home_region" in excinfo.value.message_dict
