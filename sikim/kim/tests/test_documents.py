import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikim.audit.models import AuditEvent
from sikim.kim.models import DocumentKind, KimDocument, KimStatus
from sikim.kim.services.documents import kim_document_delete, kim_document_set_public, kim_document_upload
from sikim.kim.tests.factories_registry import (  # noqa: F401 (fixtures)
    big_pdf,
    english,
    not_a_pdf,
    pdf,
    tmp_media,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


def _upload(actor, kim, **overrides):
    values = {"kind": DocumentKind.AD_ART, "title": "AD/ART 2024", "file": pdf("adart.pdf"), "is_public": True}
    values.update(overrides)
    return kim_document_upload(actor=actor, kim=kim, **values)


def test_ketua_uploads_toggles_and_deletes_a_document(kim_guntung_paikat, ketua_guntung_paikat, settings):
    media_root = settings.MEDIA_ROOT
    document = _upload(ketua_guntung_paikat, kim_guntung_paikat)
    assert document.uploaded_by == ketua_guntung_paikat
    assert document.file.name.startswith("kim/documents/kim-guntung-paikat-ad_art-")
    stored = media_root / document.file.name
    assert stored.exists()
    kim_document_set_public(actor=ketua_guntung_paikat, document=document, is_public=False)
    document.refresh_from_db()
    assert document.is_public is False
    kim_document_delete(actor=ketua_guntung_paikat, document=document)
    assert not KimDocument.objects.exists()
    actions = list(AuditEvent.objects.filter(action__startswith="kim.").order_by("id").values_list("action", flat=True))
    assert actions == ["kim.document.upload", "kim.document.set_public", "kim.document.delete"]


def test_the_file_is_removed_once_the_deletion_commits(
    kim_guntung_paikat, ketua_guntung_paikat, settings, django_capture_on_commit_callbacks
):
    media_root = settings.MEDIA_ROOT
    document = _upload(ketua_guntung_paikat, kim_guntung_paikat)
    stored = media_root / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        kim_document_delete(actor=ketua_guntung_paikat, document=document)
    assert not stored.exists()


@pytest.mark.parametrize("who", ["ketua_ekasari", "outsider", "anggota_guntung_paikat", "stranger"])
def test_outsiders_cannot_touch_documents(kim_guntung_paikat, ketua_guntung_paikat, who, request):
    document = _upload(ketua_guntung_paikat, kim_guntung_paikat)
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _upload(actor, kim_guntung_paikat)
    with pytest.raises(PermissionDenied):
        kim_document_set_public(actor=actor, document=document, is_public=False)
    with pytest.raises(PermissionDenied):
        kim_document_delete(actor=actor, document=document)
    assert KimDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (not_a_pdf, "This file is not a PDF document."),
        (big_pdf, "The file is too large"),
        (lambda: None, "Choose a PDF file to upload."),
    ],
)
def test_bad_files_are_refused(kim_guntung_paikat, ketua_guntung_paikat, settings, upload, message):
    media_root = settings.MEDIA_ROOT
    with pytest.raises(ValidationError) as caught:
        _upload(ketua_guntung_paikat, kim_guntung_paikat, file=upload())
    assert message in caught.value.message_dict["file"][0]
    assert not KimDocument.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_title_and_kind_are_checked(kim_guntung_paikat, ketua_guntung_paikat):
    with pytest.raises(ValidationError) as caught:
        _upload(ketua_guntung_paikat, kim_guntung_paikat, kind="rahasia", title=" ")
    assert set(caught.value.message_dict) == {"kind", "title"}


def test_only_the_pembina_removes_the_sk(kim_guntung_paikat, ketua_guntung_paikat, pembina_banjarbaru):
    sk = _upload(pembina_banjarbaru, kim_guntung_paikat, kind=DocumentKind.SK, title="SK 12/2018")
    with pytest.raises(PermissionDenied):
        kim_document_delete(actor=ketua_guntung_paikat, document=sk)
    kim_document_delete(actor=pembina_banjarbaru, document=sk)
    assert not KimDocument.objects.exists()


def test_pengurus_of_a_dissolved_kim_can_no_longer_change_documents(kim_guntung_paikat, ketua_guntung_paikat):
    kim_guntung_paikat.status = KimStatus.DIBUBARKAN
    kim_guntung_paikat.save()
    with pytest.raises(PermissionDenied):
        _upload(ketua_guntung_paikat, kim_guntung_paikat)
