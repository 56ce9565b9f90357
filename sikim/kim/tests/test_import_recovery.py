"""A member import whose worker died is queued again and applied once."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from sikim.kim.models import ImportStatus, KimMember, MemberImport
from sikim.kim.services.import_recovery import member_imports_resume_stalled

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
