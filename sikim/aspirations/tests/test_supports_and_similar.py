"""Supports ("dukung"), one per person; similar aspirations suggested before submitting."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sikim.accounts.tests.factories import UserFactory
from sikim.aspirations.models import AspirationSupport, Category, Visibility
from sikim.aspirations.selectors.similar import similar_aspirations
from sikim.aspirations.services.moderation import aspiration_support
from sikim.aspirations.services.workflow import aspiration_verify
from sikim.aspirations.tests.conftest import MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def public_case(submit, ketua_guntung_paikat):
    aspiration = submit()
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    return aspiration


def test_one_support_per_person(public_case, stranger, warga_guntung_paikat):
    assert aspiration_support(actor=stranger, aspiration=public_case) is True
    assert aspiration_support(actor=stranger, aspiration=public_case) is False
    assert aspiration_support(actor=None, aspiration=public_case, supporter_key="device-abc") is True
    assert aspiration_support(actor=None, aspiration=public_case, supporter_key="device-abc") is False
    assert aspiration_support(actor=UserFactory(), aspiration=public_case) is True
    public_case.refresh_from_db()
    assert public_case.support_count == 3 == AspirationSupport.objects.count()
    assert not AspirationSupport.objects.filter(supporter_key="device-abc").exists()  # only the hash is kept
    with pytest.raises(ValidationError, match="your own"):
        aspiration_support(actor=warga_guntung_paikat, aspiration=public_case)
    with pytest.raises(PermissionDenied):
        aspiration_support(actor=None, aspiration=public_case, supporter_key=" ")


def test_the_database_refuses_a_second_support(public_case, stranger):
    AspirationSupport.objects.create(aspiration=public_case, user=stranger)
    with pytest.raises(IntegrityError), transaction.atomic():
        AspirationSupport.objects.create(aspiration=public_case, user=stranger)
    with pytest.raises(IntegrityError), transaction.atomic():
        AspirationSupport.objects.create(aspiration=public_case)  # nobody


def test_only_public_cases_can_be_supported(submit, stranger):
    with pytest.raises(ValidationError):
        aspiration_support(actor=stranger, aspiration=submit())  # not verified yet
    with pytest.raises(ValidationError):
        aspiration_support(actor=stranger, aspiration=submit(visibility=Visibility.CONFIDENTIAL))


def test_similar_aspirations_in_the_same_village_and_category(submit):
    road = submit(
        title="Jalan berlubang depan SDN", text="Lubang besar di jalan depan sekolah dasar, motor sering jatuh."
    )
    submit(title="Drainase tersumbat", text="Selokan tersumbat sampah, air meluap ke jalan saat hujan.")
    submit(category=Category.LINGKUNGAN, text="Lubang besar depan sekolah penuh sampah.")
    submit(visibility=Visibility.CONFIDENTIAL, text="Lubang besar di depan sekolah dasar.")
    submit(region="63.72.05.1001", text="Lubang besar di jalan depan sekolah dasar.")
    old = submit(text="Lubang besar depan sekolah dasar.", now=MONDAY - timedelta(days=120))
    found = similar_aspirations(
        region_code="63.72.05.1004",
        category=Category.INFRASTRUKTUR,
        text="Ada lubang besar di depan sekolah, bahaya untuk motor",
        now=MONDAY,
    )
    assert [s.aspiration for s in found] == [road]
    assert found[0].shared_words >= 3
    assert old not in [s.aspiration for s in found]
    assert (
        similar_aspirations(region_code="63.72.05.1004", category=Category.INFRASTRUKTUR, text="dan yang", now=MONDAY)
        == []
    )
