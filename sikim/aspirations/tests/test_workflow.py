"""The state machine: who may make each move, what each move records, and refused jumps."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikim.aspirations.models import AspirationEventKind, AspirationState, RejectReason
from sikim.aspirations.selectors.access import aspiration_timeline
from sikim.aspirations.services.workflow import (
    aspiration_answer,
    aspiration_confirm,
    aspiration_follow_up,
    aspiration_forward,
    aspiration_not_our_remit,
    aspiration_rate,
    aspiration_reject,
    aspiration_reopen,
    aspiration_verify,
)
from sikim.aspirations.tests.conftest import MONDAY
from sikim.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = AspirationState
LATER = MONDAY + timedelta(hours=2)


@pytest.fixture
def answered(submit, rules, ketua_guntung_paikat, petugas_pupr):
    aspiration = submit()
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=LATER)
    aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Sudah ditambal.", now=LATER)
    return aspiration


def test_the_whole_journey(submit, rules, ketua_guntung_paikat, petugas_pupr, warga_guntung_paikat, pupr_banjarbaru):
    aspiration = submit()
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=LATER)
    # The routing rule forwarded it to Dinas PUPR at once.
    assert aspiration.state == S.DITERUSKAN and aspiration.office == pupr_banjarbaru
    assert aspiration.followup_due is not None
    aspiration_follow_up(actor=petugas_pupr, aspiration=aspiration, note="Tim sudah meninjau lokasi.", now=LATER)
    aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Lubang sudah ditambal.", now=LATER)
    assert aspiration.state == S.DIJAWAB and aspiration.answer == "Lubang sudah ditambal."
    assert aspiration.autoclose_at is not None
    aspiration_rate(actor=warga_guntung_paikat, aspiration=aspiration, rating=5, comment="Cepat!", now=LATER)
    aspiration_confirm(actor=warga_guntung_paikat, aspiration=aspiration, now=LATER)
    assert aspiration.state == S.SELESAI and aspiration.rating == 5 and aspiration.autoclose_at is None
    kinds = [e.kind for e in aspiration_timeline(aspiration, warga_guntung_paikat)]
    assert kinds == ["submitted", "verified", "forwarded", "followed_up", "answered", "rated", "confirmed"]
    forwarded = aspiration.events.get(kind=AspirationEventKind.FORWARDED)
    assert forwarded.actor is None and forwarded.office == pupr_banjarbaru  # the system, by the rules
    audited = AuditEvent.objects.filter(action__startswith="aspirations.", object_id=str(aspiration.pk))
    # The automatic forward is part of the verification's audit event (one transaction).
    assert sorted(audited.values_list("action", flat=True)) == [
        f"aspirations.{verb}" for verb in ("answer", "confirm", "follow_up", "rate", "submit", "verify")
    ]
    assert audited.get(action="aspirations.verify").after["office_id"] == pupr_banjarbaru.pk


def test_only_the_verifying_kim_verifies(
    submit, ketua_ekasari, pembina_banjarbaru, petugas_pupr, anggota_guntung_paikat
):
    aspiration = submit()
    for actor in (ketua_ekasari, pembina_banjarbaru, petugas_pupr, anggota_guntung_paikat):
        with pytest.raises(PermissionDenied):
            aspiration_verify(actor=actor, aspiration=aspiration)
    aspiration.refresh_from_db()
    assert aspiration.state == S.DIAJUKAN


def test_reject_with_a_reason(submit, ketua_guntung_paikat):
    aspiration = submit()
    with pytest.raises(ValidationError):
        aspiration_reject(actor=ketua_guntung_paikat, aspiration=aspiration, reason="bosan")
    with pytest.raises(ValidationError) as error:
        aspiration_reject(actor=ketua_guntung_paikat, aspiration=aspiration, reason=RejectReason.LAINNYA)
    assert "note" in error.value.message_dict
    aspiration_reject(actor=ketua_guntung_paikat, aspiration=aspiration, reason=RejectReason.DUPLIKAT, note="ASP-1")
    assert aspiration.state == S.DITOLAK and aspiration.reject_reason == "duplikat"
    assert aspiration.events.get(kind="rejected").note == "ASP-1"


def test_a_pembina_rejects_only_after_verification(submit, ketua_guntung_paikat, pembina_banjarbaru, outsider):
    aspiration = submit()
    with pytest.raises(PermissionDenied):
        aspiration_reject(actor=pembina_banjarbaru, aspiration=aspiration, reason=RejectReason.SPAM)
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)  # no rule: stays verified
    assert aspiration.state == S.DIVERIFIKASI
    with pytest.raises(PermissionDenied):
        aspiration_reject(actor=outsider, aspiration=aspiration, reason=RejectReason.SPAM)
    aspiration_reject(actor=pembina_banjarbaru, aspiration=aspiration, reason=RejectReason.DI_LUAR_KEWENANGAN)
    assert aspiration.state == S.DITOLAK


def test_illegal_jumps_are_refused_with_a_clear_message(submit, petugas_pupr, warga_guntung_paikat, national_admin):
    aspiration = submit()
    with pytest.raises(ValidationError) as error:
        aspiration_confirm(actor=warga_guntung_paikat, aspiration=aspiration)
    assert error.value.messages == ["This aspiration is “Submitted”; it cannot become “Closed” now."]
    with pytest.raises(ValidationError):
        aspiration_answer(actor=national_admin, aspiration=aspiration, answer="x")  # not with an office
    with pytest.raises(ValidationError):
        aspiration_forward(actor=national_admin, aspiration=aspiration)  # not verified yet
    with pytest.raises(PermissionDenied):
        aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="x")  # not routed to them
    aspiration.refresh_from_db()
    assert aspiration.state == S.DIAJUKAN and aspiration.events.count() == 1


def test_a_rejected_aspiration_is_final(submit, ketua_guntung_paikat, pembina_banjarbaru, pupr_banjarbaru):
    aspiration = submit()
    aspiration_reject(actor=ketua_guntung_paikat, aspiration=aspiration, reason=RejectReason.SPAM)
    with pytest.raises(ValidationError):
        aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    with pytest.raises(ValidationError):
        aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration, office=pupr_banjarbaru)


def test_office_actions_are_for_the_office_holding_the_case(answered, petugas_dlh, petugas_pupr_jembrana):
    for actor in (petugas_dlh, petugas_pupr_jembrana):
        with pytest.raises(PermissionDenied):
            aspiration_not_our_remit(actor=actor, aspiration=answered, note="x")


def test_rating_once_and_only_by_the_author(answered, warga_guntung_paikat, ketua_guntung_paikat):
    with pytest.raises(PermissionDenied):
        aspiration_rate(actor=ketua_guntung_paikat, aspiration=answered, rating=1)
    for bad in (0, 6, "lima", None, True):
        with pytest.raises(ValidationError):
            aspiration_rate(actor=warga_guntung_paikat, aspiration=answered, rating=bad)
    aspiration_rate(actor=warga_guntung_paikat, aspiration=answered, rating="4")
    with pytest.raises(ValidationError, match="already rated"):
        aspiration_rate(actor=warga_guntung_paikat, aspiration=answered, rating=5)


def test_rating_needs_an_answer(submit, warga_guntung_paikat):
    with pytest.raises(ValidationError, match="once the office has answered"):
        aspiration_rate(actor=warga_guntung_paikat, aspiration=submit(), rating=3)


def test_reopen_once(answered, warga_guntung_paikat, petugas_pupr, pupr_banjarbaru):
    aspiration_reopen(actor=warga_guntung_paikat, aspiration=answered, reason="Lubangnya muncul lagi.")
    assert answered.state == S.DITERUSKAN and answered.office == pupr_banjarbaru and answered.reopened_count == 1
    assert answered.autoclose_at is None and answered.followup_due is not None
    aspiration_answer(actor=petugas_pupr, aspiration=answered, answer="Sudah diaspal ulang.")
    aspiration_confirm(actor=warga_guntung_paikat, aspiration=answered)
    with pytest.raises(ValidationError, match="only once"):
        aspiration_reopen(actor=warga_guntung_paikat, aspiration=answered, reason="Lagi.")


def test_reopen_needs_a_reason_and_the_author(answered, warga_guntung_paikat, stranger):
    with pytest.raises(PermissionDenied):
        aspiration_reopen(actor=stranger, aspiration=answered, reason="x")
    with pytest.raises(ValidationError):
        aspiration_reopen(actor=warga_guntung_paikat, aspiration=answered, reason="  ")


def test_the_pembina_cannot_reopen_for_the_citizen(answered, pembina_banjarbaru, dlh_banjarbaru):
    with pytest.raises(ValidationError, match="only the citizen"):
        aspiration_forward(actor=pembina_banjarbaru, aspiration=answered, office=dlh_banjarbaru)


def test_every_move_has_someone_who_may_make_it():
    from sikim.aspirations.models import ASPIRATION_TRANSITIONS
    from sikim.aspirations.permissions import TRANSITION_ACTIONS

    moves = {(a, b) for a, targets in ASPIRATION_TRANSITIONS.items() for b in targets}
    assert moves == set(TRANSITION_ACTIONS)


def test_lists_need_a_fixed_number_of_queries(
    submit, rules, ketua_guntung_paikat, django_assert_num_queries, django_assert_max_num_queries
):
    from sikim.aspirations.selectors.access import aspirations_public, aspirations_visible_to

    for _ in range(3):
        aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit())
    with django_assert_num_queries(1):
        assert len([(a.region.name, a.office.name) for a in aspirations_public()]) == 3
    with django_assert_max_num_queries(2):  # the grants (unless cached on the user), then the list
        assert (
            len([(a.kim.name, a.region.name, a.office.name) for a in aspirations_visible_to(ketua_guntung_paikat)]) == 3
        )


def test_a_forwarded_aspiration_cannot_be_verified_again(submit, rules, ketua_guntung_paikat, pupr_banjarbaru):
    """diteruskan → diverifikasi exists only for "bukan wewenang"; a second verification is refused."""
    aspiration = submit()
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=LATER)
    assert aspiration.state == S.DITERUSKAN
    with pytest.raises(ValidationError, match="newly submitted"):
        aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=LATER)
    aspiration.refresh_from_db()
    assert aspiration.state == S.DITERUSKAN and aspiration.office == pupr_banjarbaru
