import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from conftest import GUNTUNG_PAIKAT
from sikim.audit.models import AuditEvent
from sikim.kim.models import Kim, KimSector, KimStatus, KimStatusChange
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    BANJARBARU_SELATAN,
    SUNGAI_BESAR,
    english,
    propose,
    tmp_media,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_anonymous_citizen_proposes_a_kim(regions, pembina_office_banjarbaru, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kim = propose(AnonymousUser(), sectors=["pertanian", "umkm", "pertanian"], about="Desa butuh informasi.")
    assert kim.status == KimStatus.DIUSULKAN
    assert kim.slug == "kim-sungai-besar"
    assert kim.region_id == SUNGAI_BESAR
    assert kim.pembina_office == pembina_office_banjarbaru
    assert kim.proposed_by is None
    assert kim.proposer_name == "Siti Aminah"
    assert kim.proposer_contact == "siti.usul@example.id"
    assert sorted(KimSector.objects.filter(kim=kim).values_list("sector", flat=True)) == ["pertanian", "umkm"]
    change = KimStatusChange.objects.get(kim=kim)
    assert (change.from_status, change.to_status) == ("", KimStatus.DIUSULKAN)


def test_signed_in_proposer_defaults_to_their_account(warga_guntung_paikat, regions):
    kim = propose(warga_guntung_paikat, proposer_name="", proposer_contact="")
    assert kim.proposed_by == warga_guntung_paikat
    assert kim.proposer_name == "Siti Aminah"
    assert kim.proposer_contact == "siti@sikim.test"


def test_phone_contact_is_normalised(regions):
    kim = propose(None, proposer_contact="0812-3456-7890")
    assert kim.proposer_contact == "+6281234567890"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("proposer_name", "", "Tell us your name"),
        ("proposer_contact", "", "phone number or email address"),
        ("proposer_contact", "not-a-contact", "Enter a valid email address or an Indonesian phone number"),
        ("name", "   ", "Name the KIM."),
    ],
)
def test_anonymous_proposal_needs_a_name_and_a_contact(regions, field, value, message):
    with pytest.raises(ValidationError) as caught:
        propose(AnonymousUser(), **{field: value})
    assert any(message in text for text in caught.value.message_dict[field])
    assert not Kim.objects.exists()


def test_a_kecamatan_is_refused_with_a_clear_message(regions):
    with pytest.raises(ValidationError) as caught:
        propose(None, village=BANJARBARU_SELATAN)
    message = caught.value.message_dict["region"][0]
    assert "A KIM belongs to a desa or kelurahan" in message
    assert "Banjarbaru Selatan" in message
    assert not Kim.objects.exists()


@pytest.mark.parametrize("code", ["63.72", "63", "99.99.99.9999", "", "bukan kode"])
def test_anything_but_a_village_is_refused(regions, code):
    with pytest.raises(ValidationError) as caught:
        propose(None, village=code)
    assert "region" in caught.value.message_dict
    assert not Kim.objects.exists()


def test_unknown_sector_is_refused(regions):
    with pytest.raises(ValidationError) as caught:
        propose(None, sectors=["astrologi"])
    assert "sectors" in caught.value.message_dict


def test_slugs_stay_unique_and_avoid_page_words(regions):
    first = propose(None, name="KIM Maju", village=SUNGAI_BESAR)
    second = propose(None, name="KIM Maju", village=GUNTUNG_PAIKAT)
    reserved = propose(None, name="Kelola", village=SUNGAI_BESAR)
    assert first.slug == "kim-maju"
    assert second.slug == "kim-maju-2"
    assert reserved.slug == "kelola-2"


def test_the_same_name_twice_in_one_village_is_refused(regions):
    propose(None)
    with pytest.raises(ValidationError) as caught:
        propose(None, name="kim sungai besar")
    assert "already proposed" in caught.value.message_dict["name"][0]
    assert Kim.objects.count() == 1


def test_without_an_office_the_kim_waits_for_one(regions):
    kim = propose(None)
    assert kim.pembina_office is None


def test_a_province_office_fosters_when_the_kota_has_none(regions):
    from sikim.kim.models import PembinaOffice

    province = PembinaOffice.objects.create(name="Diskominfo Kalsel", slug="diskominfo-kalsel", region_id="63")
    assert propose(None).pembina_office == province


def test_a_second_kim_in_a_village_warns_the_pembina(
    kim_guntung_paikat, pembina_banjarbaru, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kim = propose(None, name="KIM Guntung Paikat Dua", village=GUNTUNG_PAIKAT)
    assert kim.has_village_sibling is True
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.has_village_sibling is True
    to_pembina = [m for m in mailoutbox if m.to == ["pembina.banjarbaru@sikim.test"]]
    assert len(to_pembina) == 1
    assert "KIM Guntung Paikat Dua" in to_pembina[0].subject
    assert "already has another KIM" in to_pembina[0].body
    assert "KIM Guntung Paikat" in to_pembina[0].body
    # The pembina of Jembrana hears nothing about Banjarbaru.
    assert not [m for m in mailoutbox if "pembina.jembrana@sikim.test" in m.to]


def test_proposal_emails_the_proposer_and_the_pembina(
    pembina_banjarbaru, regions, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kim = propose(None)
    assert kim.has_village_sibling is False
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == ["pembina.banjarbaru@sikim.test", "siti.usul@example.id"]
    to_proposer = next(m for m in mailoutbox if m.to == ["siti.usul@example.id"])
    assert "We received your KIM proposal" in to_proposer.subject
    assert "/kim/kelola/" not in to_proposer.body  # a citizen gets no management link
    assert to_proposer.alternatives[0].mimetype == "text/html"
    to_pembina = next(m for m in mailoutbox if m.to == ["pembina.banjarbaru@sikim.test"])
    assert f"/kim/kelola/{kim.slug}/" in to_pembina.body


def test_no_email_is_sent_when_the_proposal_is_refused(regions, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        propose(None, village=BANJARBARU_SELATAN)
    assert mailoutbox == []


def test_proposal_is_audited_without_the_proposers_contact(regions):
    kim = propose(None)
    event = AuditEvent.objects.get(action="kim.propose")
    assert event.object_id == str(kim.pk)
    assert event.region_id == SUNGAI_BESAR
    assert event.actor is None
    assert "siti.usul@example.id" not in str(event.after)


def test_reserved_slugs_cover_the_public_pages_words():
    from sikim.kim import urls_public
    from sikim.kim.services.lifecycle import RESERVED_SLUGS

    assert set(urls_public.RESERVED_SLUGS) <= RESERVED_SLUGS
