"""A member import whose worker died is queued again and applied once; a preview nobody
confirmed is deleted with its file."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from sikim.kim.models import ImportStatus, KimMember, MemberImport
from sikim.kim.services.import_recovery import (
    PREVIEW_KEPT,
    member_imports_expire_previews,
    member_imports_resume_stalled,
)

pytestmark = pytest.mark.django_db(transaction=True)

CSV = b"nama,telepon\nAni Lestari,081351000222\nBudi Santoso,081351000333\n"


@pytest.fixture
def stalled_import(kim_guntung_paikat, ketua_guntung_paikat):
    member_import = MemberImport.objects.create(
        kim=kim_guntung_paikat,
        uploaded_by=ketua_guntung_paikat,
        original_name="anggota.csv",
        file=ContentFile(CSV, name="anggota.csv"),
        status=ImportStatus.RUNNING,
        total_rows=2,
        valid_rows=2,
    )
    # As if a worker took the task an hour ago and was killed.
    MemberImport.objects.filter(pk=member_import.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    return member_import


def test_a_stalled_import_is_resumed_and_applied_once(stalled_import):
    assert member_imports_resume_stalled() == 1
    stalled_import.refresh_from_db()
    assert stalled_import.status == ImportStatus.DONE
    assert KimMember.objects.filter(kim=stalled_import.kim, phone__in=["+6281351000222", "+6281351000333"]).count() == 2
    # A second sweep finds nothing to do, and nothing is imported twice.
    assert member_imports_resume_stalled() == 0
    assert KimMember.objects.filter(kim=stalled_import.kim).count() == 2


def test_a_recent_running_import_is_left_alone(stalled_import):
    MemberImport.objects.filter(pk=stalled_import.pk).update(updated_at=timezone.now())
    assert member_imports_resume_stalled() == 0
    stalled_import.refresh_from_db()
    assert stalled_import.status == ImportStatus.RUNNING


@pytest.fixture
def preview(kim_guntung_paikat, ketua_guntung_paikat, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return MemberImport.objects.create(
        kim=kim_guntung_paikat,
        uploaded_by=ketua_guntung_paikat,
        original_name="anggota.csv",
        file=ContentFile(CSV, name="anggota.csv"),
        status=ImportStatus.PREVIEW,
        total_rows=2,
        valid_rows=2,
    )


def test_a_preview_nobody_confirmed_is_deleted_with_its_file_after_two_days(preview):
    path = preview.file.path
    assert member_imports_expire_previews(now=timezone.now() + PREVIEW_KEPT - timedelta(minutes=1)) == 0
    assert MemberImport.objects.filter(pk=preview.pk).exists()

    assert member_imports_expire_previews(now=timezone.now() + PREVIEW_KEPT + timedelta(minutes=1)) == 1
    assert not MemberImport.objects.filter(pk=preview.pk).exists()
    assert not Path(path).exists()  # the NIK and phone numbers are gone from the disk too
    assert not KimMember.objects.filter(kim=preview.kim).exists()


def test_a_confirmed_import_is_never_expired(preview):
    MemberImport.objects.filter(pk=preview.pk).update(status=ImportStatus.RUNNING)
    assert member_imports_expire_previews(now=timezone.now() + timedelta(days=30)) == 0
    assert MemberImport.objects.filter(pk=preview.pk).exists()


def test_the_preview_page_says_how_long_the_file_is_kept(client, preview, ketua_guntung_paikat):
    client.force_login(ketua_guntung_paikat)
    page = client.get(f"/kim/{preview.kim.slug}/anggota/impor/{preview.pk}/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "it is deleted" in page.content.decode()
