from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from conftest import EKASARI, GUNTUNG_PAIKAT
from sikim.audit.models import AuditEvent
from sikim.kim.models import Kim, KimStatus, KimStatusChange
from sikim.kim.services import lifecycle
from sikim.kim.services.lifecycle import kim_register
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    english,
    formed,
    propose,
    registered_kim,
    tmp_media,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


@pytest.fixture
def formed_kim(regions, pembina_banjarbaru, pembina_office_banjarbaru):
    return formed(pembina_banjarbaru)


def test_pembina_registers_a_formed_kim(formed_kim, pembina_banjarbaru):
    kim_register(actor=pembina_banjarbaru, kim=formed_kim)
    formed_kim.refresh_from_db()
    assert formed_kim.status == KimStatus.TERDAFTAR
    assert formed_kim.registration_number == "KIM-63.72-0001"
    assert formed_kim.registered_at is not None
    change = KimStatusChange.objects.get(kim=formed_kim, to_status=KimStatus.TERDAFTAR)
    assert change.from_status == KimStatus.DIBENTUK
    assert change.note == "KIM-63.72-0001"
    event = AuditEvent.objects.get(action="kim.register")
    assert event.after == {"status": "terdaftar", "registration_number": "KIM-63.72-0001"}


def test_numbers_are_sequential_per_kabupaten_kota(regions, pembina_banjarbaru, national_admin):
    registered_kim("KIM-63.72-0006", name="KIM Lama")
    registered_kim("KIM-51.01-0041", name="KIM Bali", village=EKASARI)
    first = formed(pembina_banjarbaru, propose(None, name="KIM Satu"))
    second = formed(pembina_banjarbaru, propose(None, name="KIM Dua", village=GUNTUNG_PAIKAT))
    bali = formed(national_admin, propose(None, name="KIM Bali Baru", village=EKASARI))
    assert kim_register(actor=pembina_banjarbaru, kim=first).registration_number == "KIM-63.72-0007"
    assert kim_register(actor=pembina_banjarbaru, kim=second).registration_number == "KIM-63.72-0008"
    assert kim_register(actor=national_admin, kim=bali).registration_number == "KIM-51.01-0042"
    numbers = list(Kim.objects.exclude(registration_number=None).values_list("registration_number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_numbers_keep_counting_past_9999(regions, pembina_banjarbaru):
    registered_kim("KIM-63.72-9999", name="KIM Sembilan")
    registered_kim("KIM-63.72-10000", name="KIM Sepuluh Ribu")
    kim = formed(pembina_banjarbaru, propose(None, name="KIM Berikut"))
    assert kim_register(actor=pembina_banjarbaru, kim=kim).registration_number == "KIM-63.72-10001"


def test_a_number_taken_at_the_same_moment_is_skipped(formed_kim, pembina_banjarbaru):
    """Two pembina register at once: the loser of the race takes the next number."""
    real_next = lifecycle._next_registration_number
    calls = []

    def racing_next(area):
        number = real_next(area)
        if not calls:
            # Another registration commits this very number between our read and our write.
            registered_kim(number, name="KIM Saingan")
        calls.append(number)
        return number if len(calls) == 1 else real_next(area)

    with mock.patch.object(lifecycle, "_next_registration_number", side_effect=racing_next):
        kim_register(actor=pembina_banjarbaru, kim=formed_kim)
    formed_kim.refresh_from_db()
    assert formed_kim.registration_number == "KIM-63.72-0002"
    assert formed_kim.status == KimStatus.TERDAFTAR


def test_other_integrity_errors_are_not_swallowed(formed_kim, pembina_banjarbaru):
    with (
        mock.patch.object(Kim, "save", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        kim_register(actor=pembina_banjarbaru, kim=formed_kim)


def test_the_pembina_of_banjarbaru_cannot_register_a_kim_in_jembrana(regions, pembina_banjarbaru, outsider):
    kim = formed(outsider, propose(None, name="KIM Ekasari Baru", village=EKASARI))
    with pytest.raises(PermissionDenied):
        kim_register(actor=pembina_banjarbaru, kim=kim)
    kim.refresh_from_db()
    assert kim.status == KimStatus.DIBENTUK
    assert kim.registration_number is None


@pytest.mark.parametrize("who", ["outsider", "ketua_guntung_paikat", "anggota_guntung_paikat", "stranger"])
def test_only_the_pembina_registers(formed_kim, who, request):
    with pytest.raises(PermissionDenied):
        kim_register(actor=request.getfixturevalue(who), kim=formed_kim)
    formed_kim.refresh_from_db()
    assert formed_kim.status == KimStatus.DIBENTUK


def test_a_proposed_kim_cannot_be_registered(regions, pembina_banjarbaru):
    kim = propose(None)
    with pytest.raises(ValidationError) as caught:
        kim_register(actor=pembina_banjarbaru, kim=kim)
    assert "Record the formation meeting and its SK" in caught.value.messages[0]
    kim.refresh_from_db()
    assert kim.status == KimStatus.DIUSULKAN and kim.registration_number is None


def test_a_kim_is_registered_once(formed_kim, pembina_banjarbaru):
    kim_register(actor=pembina_banjarbaru, kim=formed_kim)
    with pytest.raises(ValidationError) as caught:
        kim_register(actor=pembina_banjarbaru, kim=formed_kim)
    assert "Only a formed KIM can be registered" in caught.value.messages[0]
    assert Kim.objects.get(pk=formed_kim.pk).registration_number == "KIM-63.72-0001"


def test_registration_emails_everyone_concerned(
    formed_kim, pembina_banjarbaru, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kim_register(actor=pembina_banjarbaru, kim=formed_kim)
    assert sorted(address for message in mailoutbox for address in message.to) == [
        "pembina.banjarbaru@sikim.test",
        "siti.usul@example.id",
    ]
    assert all("KIM-63.72-0001" in message.subject for message in mailoutbox)
    assert all("KIM-63.72-0001" in message.body for message in mailoutbox)
