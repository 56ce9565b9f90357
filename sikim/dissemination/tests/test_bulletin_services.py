import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from sikim.audit.models import AuditEvent
from sikim.dissemination.models import Bulletin, BulletinStatus, Delivery, KimInboxItem
from sikim.dissemination.services.bulletins import (
    bulletin_correct,
    bulletin_create,
    bulletin_publish,
    bulletin_update,
    bulletins_publish_due,
)
from sikim.dissemination.tests import bulletin_fixtures
from sikim.dissemination.tests.bulletin_fixtures import member

kim_landasan = bulletin_fixtures.kim_landasan  # a shared fixture

pytestmark = pytest.mark.django_db


def _draft(actor, office, **kwargs):
    defaults = {"title": "Jadwal posyandu", "body_markdown": "Posyandu **Sabtu** ini.", "regions": ["63.72"]}
    return bulletin_create(actor=actor, publisher=office, **(defaults | kwargs))


def test_create_sanitises_the_body_and_audits(pembina_banjarbaru, pembina_office_banjarbaru):
    bulletin = _draft(
        pembina_banjarbaru,
        pembina_office_banjarbaru,
        body_markdown="Halo <script>alert(1)</script> [x](javascript:alert(2)) <b onclick='x()'>tebal</b>",
    )
    assert "<script" not in bulletin.body_html
    assert "alert(1)" not in bulletin.body_html
    assert "javascript:" not in bulletin.body_html
    assert "onclick" not in bulletin.body_html
    assert "<b>tebal</b>" in bulletin.body_html
    assert bulletin.status == BulletinStatus.DRAFT
    assert bulletin.region_code == "63.72"
    assert AuditEvent.objects.filter(action="bulletin.create").count() == 1


def test_exactly_one_publisher_is_a_database_constraint(pembina_office_banjarbaru, kim_guntung_paikat):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.create(
            pembina_office=pembina_office_banjarbaru,
            kim=kim_guntung_paikat,
            title="x",
            body_markdown="x",
            region_code="63.72",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.create(title="x", body_markdown="x", region_code="63.72")


def test_target_outside_the_publishers_scope_is_refused(pembina_banjarbaru, pembina_office_banjarbaru, regions):
    with pytest.raises(PermissionDenied):
        _draft(pembina_banjarbaru, pembina_office_banjarbaru, regions=["51.01"])


def test_outsider_cannot_publish_for_another_office(outsider, pembina_office_banjarbaru):
    with pytest.raises(PermissionDenied):
        _draft(outsider, pembina_office_banjarbaru)


def test_kim_publishes_only_to_itself(ketua_guntung_paikat, kim_guntung_paikat, kim_landasan):
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="Kerja bakti", body_markdown="Minggu pagi.",
        kims=[kim_guntung_paikat],
    )  # fmt: skip
    assert bulletin.kim == kim_guntung_paikat
    with pytest.raises(PermissionDenied):
        bulletin_create(
            actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="x", body_markdown="x", kims=[kim_landasan]
        )
    with pytest.raises(PermissionDenied):
        bulletin_create(
            actor=ketua_guntung_paikat, publisher=kim_landasan, title="x", body_markdown="x", kims=[kim_landasan]
        )


def test_empty_audience_is_refused_and_nothing_is_sent(pembina_banjarbaru, pembina_office_banjarbaru):
    bulletin = _draft(pembina_banjarbaru, pembina_office_banjarbaru)
    with pytest.raises(ValidationError) as excinfo:
        bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    assert excinfo.value.code == "empty_audience"
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT
    assert not Delivery.objects.exists()


def test_bad_attachment_is_refused(pembina_banjarbaru, pembina_office_banjarbaru):
    fake_pdf = SimpleUploadedFile("surat.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        _draft(pembina_banjarbaru, pembina_office_banjarbaru, attachment=fake_pdf)
    assert not Bulletin.objects.exists()


def test_missing_title_and_bad_validity_are_refused(pembina_banjarbaru, pembina_office_banjarbaru):
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        _draft(pembina_banjarbaru, pembina_office_banjarbaru, title=" ", valid_from=now, valid_until=now)
    assert set(excinfo.value.message_dict) == {"title", "valid_until"}


def test_publish_cascades_into_every_kim_inbox(
    pembina_banjarbaru,
    pembina_office_banjarbaru,
    kim_guntung_paikat,
    kim_landasan,
    kim_ekasari,
    django_capture_on_commit_callbacks,
):
    member(kim_guntung_paikat)
    member(kim_landasan)
    member(kim_ekasari)
    bulletin = _draft(pembina_banjarbaru, pembina_office_banjarbaru)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert set(KimInboxItem.objects.values_list("kim_id", flat=True)) == {kim_guntung_paikat.pk, kim_landasan.pk}
    # Both KIMs re-disseminate after approval (the default): nothing reaches members directly yet.
    assert not Delivery.objects.exists()
    with pytest.raises(ValidationError):
        bulletin_update(
            actor=pembina_banjarbaru, bulletin=bulletin, title="x", body_markdown="x", category="kesehatan",
            priority="normal", regions=["63.72"],
        )  # fmt: skip


def test_scheduled_bulletin_is_published_when_due(
    pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    member(kim_guntung_paikat)
    bulletin = _draft(pembina_banjarbaru, pembina_office_banjarbaru)
    later = timezone.now() + timedelta(hours=1)
    bulletin = bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin, publish_at=later)
    assert bulletin.status == BulletinStatus.SCHEDULED
    assert bulletins_publish_due() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert bulletins_publish_due(now=later + timedelta(minutes=1)) == 1
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert KimInboxItem.objects.filter(bulletin=bulletin, kim=kim_guntung_paikat).exists()


def test_correction_reaches_the_same_members_and_channels(
    ketua_guntung_paikat, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    first = member(kim_guntung_paikat, mail=True, sms=True)
    member(kim_guntung_paikat, mail=False)
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="Rapat", body_markdown="Jam 9.",
        kims=[kim_guntung_paikat],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)
    original_pairs = set(Delivery.objects.filter(bulletin=bulletin).values_list("member_id", "channel"))
    assert original_pairs == {(first.pk, "email"), (first.pk, "sms")}
    member(kim_guntung_paikat, mail=True)  # joined after the original: not part of its audience
    with django_capture_on_commit_callbacks(execute=True):
        correction = bulletin_correct(
            actor=ketua_guntung_paikat, bulletin=bulletin, title="Rapat (ralat)", body_markdown="Jam 10."
        )
    assert correction.corrects == bulletin
    assert correction.status == BulletinStatus.PUBLISHED
    assert set(Delivery.objects.filter(bulletin=correction).values_list("member_id", "channel")) == original_pairs
