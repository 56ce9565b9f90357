import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import GUNTUNG_PAIKAT
from sikim.audit.models import AuditEvent
from sikim.kim.models import KimStatus, KimStatusChange
from sikim.kim.services.lifecycle import kim_change_status, next_statuses
from sikim.kim.tests.factories_registry import english, propose, tmp_media  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "tmp_media")]


def test_pembina_deactivates_and_reactivates(kim_guntung_paikat, pembina_banjarbaru):
    kim_change_status(actor=pembina_banjarbaru, kim=kim_guntung_paikat, to_status="tidak_aktif", note="Vakum 2025")
    assert kim_guntung_paikat.status == KimStatus.TIDAK_AKTIF
    kim_change_status(actor=pembina_banjarbaru, kim=kim_guntung_paikat, to_status="aktif", note="")
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == KimStatus.AKTIF
    history = list(KimStatusChange.objects.filter(kim=kim_guntung_paikat).values_list("from_status", "to_status"))
    assert history == [("aktif", "tidak_aktif"), ("tidak_aktif", "aktif")]
    assert AuditEvent.objects.filter(action="kim.change_status").count() == 2


def test_national_admin_may_change_any_status(kim_ekasari, national_admin):
    kim_change_status(actor=national_admin, kim=kim_ekasari, to_status="tidak_aktif", note="Tidak ada laporan")
    assert kim_ekasari.status == KimStatus.TIDAK_AKTIF


@pytest.mark.parametrize("who", ["outsider", "ketua_guntung_paikat", "anggota_guntung_paikat", "stranger"])
def test_only_the_pembina_changes_status(kim_guntung_paikat, who, request):
    with pytest.raises(PermissionDenied):
        kim_change_status(actor=request.getfixturevalue(who), kim=kim_guntung_paikat, to_status="tidak_aktif", note="x")
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == KimStatus.AKTIF


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        ("diusulkan", "aktif", "A KIM that is Proposed cannot become Active. Possible next steps: Dissolved."),
        ("diusulkan", "dibentuk", "record its formation meeting and SK"),
        ("dibentuk", "terdaftar", "use Register"),
        ("dibentuk", "aktif", "cannot become Active"),
        ("aktif", "diusulkan", "cannot become Proposed"),
        ("aktif", "aktif", "already Active"),
        ("dibubarkan", "aktif", "Possible next steps: none: it is final."),
        ("aktif", "hilang", "Choose one of the statuses offered."),
    ],
)
def test_impossible_jumps_are_refused_and_nothing_changes(
    kim_guntung_paikat, pembina_banjarbaru, start, target, message
):
    kim_guntung_paikat.status = start
    kim_guntung_paikat.registration_number = None
    kim_guntung_paikat.save()
    with pytest.raises(ValidationError) as caught:
        kim_change_status(actor=pembina_banjarbaru, kim=kim_guntung_paikat, to_status=target, note="catatan")
    assert message in caught.value.message_dict["to_status"][0]
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.status == start
    assert not KimStatusChange.objects.filter(kim=kim_guntung_paikat).exists()
    assert not AuditEvent.objects.filter(action="kim.change_status").exists()


@pytest.mark.parametrize("target", ["tidak_aktif", "dibubarkan"])
def test_a_note_is_needed_to_deactivate_or_dissolve(kim_guntung_paikat, pembina_banjarbaru, target):
    with pytest.raises(ValidationError) as caught:
        kim_change_status(actor=pembina_banjarbaru, kim=kim_guntung_paikat, to_status=target, note="  ")
    assert caught.value.message_dict["note"] == ["Write down why, for the KIM's history."]
    assert kim_guntung_paikat.status == KimStatus.AKTIF


def test_a_proposal_can_be_turned_down(regions, pembina_banjarbaru):
    kim = propose(None)
    kim_change_status(actor=pembina_banjarbaru, kim=kim, to_status="dibubarkan", note="Digabung dengan KIM lain")
    assert kim.status == KimStatus.DIBUBARKAN


def test_next_statuses_follow_the_lifecycle(kim_guntung_paikat):
    assert next_statuses(kim_guntung_paikat) == ["tidak_aktif", "dibubarkan"]
    kim_guntung_paikat.status = KimStatus.DIBENTUK
    assert next_statuses(kim_guntung_paikat) == ["dibubarkan"]


def test_dissolving_a_sibling_clears_the_village_warning(kim_guntung_paikat, pembina_banjarbaru):
    second = propose(None, name="KIM Paikat Dua", village=GUNTUNG_PAIKAT)
    assert second.has_village_sibling
    kim_change_status(actor=pembina_banjarbaru, kim=second, to_status="dibubarkan", note="Ganda")
    kim_guntung_paikat.refresh_from_db()
    assert kim_guntung_paikat.has_village_sibling is False


def test_status_change_emails_with_the_note(
    kim_guntung_paikat, pembina_banjarbaru, ketua_guntung_paikat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kim_change_status(
            actor=pembina_banjarbaru, kim=kim_guntung_paikat, to_status="tidak_aktif", note="Tidak ada kegiatan"
        )
    assert sorted(address for message in mailoutbox for address in message.to) == [
        "ketua.guntungpaikat@sikim.test",
        "pembina.banjarbaru@sikim.test",
    ]
    message = mailoutbox[0]
    assert "KIM Guntung Paikat is now: Inactive" in message.subject
    assert "Tidak ada kegiatan" in message.body
    assert "from Active to Inactive" in message.body


def test_a_refused_change_sends_nothing(
    kim_guntung_paikat, pembina_banjarbaru, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        kim_change_status(actor=pembina_banjarbaru, kim=kim_guntung_paikat, to_status="diusulkan", note="x")
    assert mailoutbox == []
