from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sikim.audit.models import AuditEvent
from sikim.kim.models import DocumentKind, Formation, FormationPhoto, KimDocument, KimStatus, KimStatusChange
from sikim.kim.services.lifecycle import kim_record_formation
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    big_pdf,
    english,
    formation_kwargs,
    jpeg,
    not_a_pdf,
    pdf,
    propose,
    tmp_media,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


@pytest.fixture
def proposed(regions, pembina_office_banjarbaru):
    return propose(None)


def _nothing_saved(kim) -> None:
    kim.refresh_from_db()
    assert kim.status == KimStatus.DIUSULKAN
    assert not Formation.objects.filter(kim=kim).exists()
    assert not KimDocument.objects.filter(kim=kim).exists()
    assert not KimStatusChange.objects.filter(kim=kim, to_status=KimStatus.DIBENTUK).exists()
    assert not AuditEvent.objects.filter(action="kim.record_formation").exists()


def test_pembina_records_the_formation(proposed, pembina_banjarbaru):
    formation = kim_record_formation(
        actor=pembina_banjarbaru,
        kim=proposed,
        **formation_kwargs(
            facilitators=[pembina_banjarbaru],
            statutes_pdf=pdf("adart.pdf"),
            photos=[jpeg("rapat1.jpg"), jpeg("rapat2.png")],
        ),
    )
    proposed.refresh_from_db()
    assert proposed.status == KimStatus.DIBENTUK
    assert formation.held_on == date(2024, 7, 27)
    assert list(formation.facilitators.all()) == [pembina_banjarbaru]
    sk = KimDocument.objects.get(kim=proposed, kind=DocumentKind.SK)
    assert sk.is_public is True
    assert sk.title == "SK 188.45/012/SB/2024"
    assert sk.uploaded_by == pembina_banjarbaru
    assert sk.file.read().startswith(b"%PDF-")
    assert "sk.pdf" not in sk.file.name  # stored under a random name
    assert KimDocument.objects.filter(kim=proposed, kind=DocumentKind.AD_ART).count() == 1
    photos = FormationPhoto.objects.filter(formation=formation)
    assert photos.count() == 2
    assert all(photo.image.name.endswith(".jpg") for photo in photos)  # re-encoded as JPEG
    change = KimStatusChange.objects.get(kim=proposed, to_status=KimStatus.DIBENTUK)
    assert change.from_status == KimStatus.DIUSULKAN
    assert change.actor == pembina_banjarbaru
    event = AuditEvent.objects.get(action="kim.record_formation")
    assert event.actor == pembina_banjarbaru
    assert event.after["decree_number"] == "188.45/012/SB/2024"


def test_the_outsider_pembina_cannot_record_it(proposed, outsider):
    with pytest.raises(PermissionDenied):
        kim_record_formation(actor=outsider, kim=proposed, **formation_kwargs())
    _nothing_saved(proposed)


@pytest.mark.parametrize("who", ["ketua_guntung_paikat", "warga_guntung_paikat", "stranger"])
def test_others_cannot_record_it(proposed, who, request):
    with pytest.raises(PermissionDenied):
        kim_record_formation(actor=request.getfixturevalue(who), kim=proposed, **formation_kwargs())
    _nothing_saved(proposed)


def test_anonymous_cannot_record_it(proposed):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        kim_record_formation(actor=AnonymousUser(), kim=proposed, **formation_kwargs())


def test_an_sk_that_is_not_a_pdf_is_refused_and_nothing_is_saved(proposed, pembina_banjarbaru, settings):
    media_root = settings.MEDIA_ROOT
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs(decree_pdf=not_a_pdf()))
    assert caught.value.message_dict["decree_pdf"] == ["This file is not a PDF document."]
    _nothing_saved(proposed)
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_a_50_mb_sk_is_refused_and_nothing_is_saved(proposed, pembina_banjarbaru, settings):
    media_root = settings.MEDIA_ROOT
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs(decree_pdf=big_pdf(50)))
    message = caught.value.message_dict["decree_pdf"][0]
    assert "too large" in message
    assert "50.0" in message and "10.0" in message
    _nothing_saved(proposed)
    assert not media_root.exists() or not any(media_root.rglob("*"))


def test_a_missing_sk_is_refused(proposed, pembina_banjarbaru):
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs(decree_pdf=None))
    assert "decree_pdf" in caught.value.message_dict
    _nothing_saved(proposed)


def test_a_bad_photo_refuses_everything(proposed, pembina_banjarbaru):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs(photos=[jpeg(), fake]))
    assert "foto.jpg" in caught.value.message_dict["photos"][0]
    _nothing_saved(proposed)


def test_several_mistakes_are_reported_together(proposed, pembina_banjarbaru):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(
            actor=pembina_banjarbaru,
            kim=proposed,
            **formation_kwargs(held_on=tomorrow, place="", attendees_count=0, decree_number=""),
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"held_on", "place", "attendees_count", "decree_number"}
    assert errors["held_on"] == ["This date is in the future."]
    _nothing_saved(proposed)


def test_the_sk_cannot_predate_the_meeting(proposed, pembina_banjarbaru):
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs(decree_date=date(2024, 7, 1)))
    assert "before the formation meeting" in caught.value.message_dict["decree_date"][0]


def test_facilitators_must_be_pembina_of_the_region(proposed, pembina_banjarbaru, outsider):
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs(facilitators=[outsider]))
    assert "facilitators" in caught.value.message_dict
    _nothing_saved(proposed)


def test_formation_is_recorded_only_once(proposed, pembina_banjarbaru):
    kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs())
    with pytest.raises(ValidationError) as caught:
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs())
    assert "already formed" in caught.value.messages[0]
    assert KimDocument.objects.filter(kim=proposed).count() == 1


def test_formation_emails_the_proposer_pengurus_and_pembina(
    proposed, pembina_banjarbaru, mailoutbox, django_capture_on_commit_callbacks
):
    pembina_office = proposed.pembina_office
    pembina_office.email = "kominfo@banjarbarukota.go.id"
    pembina_office.save()
    with django_capture_on_commit_callbacks(execute=True):
        kim_record_formation(actor=pembina_banjarbaru, kim=proposed, **formation_kwargs())
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == ["kominfo@banjarbarukota.go.id", "pembina.banjarbaru@sikim.test", "siti.usul@example.id"]
    assert all("KIM Sungai Besar has been formed" in message.subject for message in mailoutbox)


def test_files_written_before_a_failure_are_removed(proposed, pembina_banjarbaru, settings):
    from unittest import mock

    from sikim.kim.services import lifecycle

    with (
        mock.patch.object(lifecycle, "_record_move", side_effect=RuntimeError("database went away")),
        pytest.raises(RuntimeError),
    ):
        kim_record_formation(
            actor=pembina_banjarbaru,
            kim=proposed,
            **formation_kwargs(statutes_pdf=pdf("adart.pdf"), photos=[jpeg()]),
        )
    root = settings.MEDIA_ROOT
    assert not root.exists() or not [path for path in root.rglob("*") if path.is_file()]
