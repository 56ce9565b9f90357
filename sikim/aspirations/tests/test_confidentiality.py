"""Who sees what: an office only its own cases; a confidential author's identity never leaks."""

import pytest
from django.http import Http404

from sikim.aspirations.models import Category, Visibility
from sikim.aspirations.selectors.access import (
    aspiration_for,
    aspiration_for_tracking,
    aspiration_timeline,
    aspirations_public,
    aspirations_visible_to,
    public_text,
    public_title,
)
from sikim.aspirations.selectors.identity import author_contact, author_display
from sikim.aspirations.services.moderation import aspiration_hide
from sikim.aspirations.services.workflow import aspiration_forward, aspiration_verify
from sikim.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def routed(submit, rules, ketua_guntung_paikat):
    """Three verified cases with Dinas PUPR, one per visibility, and one with DLH."""
    cases = {}
    for visibility in Visibility.values:
        aspiration = submit(visibility=visibility, text=f"Jalan rusak, hubungi saya di 0812-3456-7890 ({visibility}).")
        aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
        cases[visibility] = aspiration
    environment = submit(category=Category.LINGKUNGAN, text="Sampah menumpuk.")
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=environment)
    cases["dlh"] = environment
    return cases


def test_an_office_sees_only_cases_routed_to_it(routed, petugas_pupr, petugas_dlh, petugas_pupr_jembrana, submit):
    waiting = submit()  # not verified yet: with no office
    pupr = set(aspirations_visible_to(petugas_pupr))
    assert pupr == {routed["public"], routed["public_anonymous"], routed["confidential"]}
    assert set(aspirations_visible_to(petugas_dlh)) == {routed["dlh"]}
    assert set(aspirations_visible_to(petugas_pupr_jembrana)) == set()
    with pytest.raises(Http404):
        aspiration_for(petugas_pupr, routed["dlh"].code)
    with pytest.raises(Http404):
        aspiration_for(petugas_pupr, waiting.code)


def test_scopes_of_the_kim_the_pembina_the_citizen_and_outsiders(
    routed, ketua_guntung_paikat, ketua_ekasari, pembina_banjarbaru, outsider, warga_guntung_paikat, stranger
):
    everything = set(routed.values())
    assert set(aspirations_visible_to(ketua_guntung_paikat)) == everything
    assert set(aspirations_visible_to(pembina_banjarbaru)) == everything
    assert set(aspirations_visible_to(warga_guntung_paikat)) == everything  # they wrote them all
    for nobody in (ketua_ekasari, outsider, stranger):
        assert set(aspirations_visible_to(nobody)) == set()


def test_a_confidential_identity_is_seen_only_by_the_verifying_kim_and_the_author(
    routed,
    ketua_guntung_paikat,
    anggota_guntung_paikat,
    pembina_banjarbaru,
    petugas_pupr,
    national_admin,
    stranger,
    warga_guntung_paikat,
):
    from django.contrib.auth.models import AnonymousUser

    confidential = routed["confidential"]
    assert author_display(confidential, warga_guntung_paikat) == "Siti Aminah"
    assert author_display(confidential, ketua_guntung_paikat) == "Siti Aminah"
    assert author_contact(confidential, ketua_guntung_paikat).phone == "+6281351000002"
    for other in (anggota_guntung_paikat, pembina_banjarbaru, petugas_pupr, national_admin, stranger, AnonymousUser()):
        assert author_display(confidential, other) == "Confidential citizen"
        assert author_contact(confidential, other) is None
    # Nor through the audit log, which pembina read.
    for event in AuditEvent.objects.filter(object_id=str(confidential.pk)):
        assert "Siti" not in str(event.before) + str(event.after) + event.object_repr + event.actor_label
        assert event.actor_id != confidential.author_id
        assert "6281351000002" not in str(event.before) + str(event.after)


def test_public_without_name(routed, pembina_banjarbaru, petugas_pupr, stranger):
    anonymous = routed["public_anonymous"]
    assert author_display(anonymous, stranger) == "Anonymous citizen"
    assert author_display(anonymous, petugas_pupr) == "Siti Aminah"  # the office answering it
    assert author_contact(anonymous, petugas_pupr) is None  # but no phone or email
    assert author_contact(anonymous, pembina_banjarbaru).email == "siti@sikim.test"
    assert author_display(routed["public"], stranger) == "Siti Aminah"
    assert author_contact(routed["public"], stranger) is None


def test_public_lists_never_show_confidential_hidden_or_unverified(routed, submit, pembina_banjarbaru):
    submit()  # diajukan
    public = set(aspirations_public())
    assert public == {routed["public"], routed["public_anonymous"], routed["dlh"]}
    aspiration_hide(actor=pembina_banjarbaru, aspiration=routed["dlh"], reason="Kata-kata kasar")
    assert routed["dlh"] not in set(aspirations_public())
    assert set(aspirations_public(category=Category.LINGKUNGAN)) == set()
    assert set(aspirations_public(region_code="51.01")) == set()
    assert set(aspirations_public(office_id=routed["public"].office_id)) == {
        routed["public"],
        routed["public_anonymous"],
    }


def test_public_texts_are_masked_and_confidential_texts_empty(routed):
    assert "0812-3456-7890" not in public_text(routed["public"])
    assert "0***-****-**90" in public_text(routed["public"])
    assert public_text(routed["confidential"]) == ""
    assert public_title(routed["public"]) == routed["public"].title


def test_tracking_by_code(routed, stranger):
    aspiration = routed["confidential"]
    assert aspiration_for_tracking(aspiration.code.lower() + " ") == aspiration
    for bad in ("", "ASP-2026-XXXXXX", "<script>", "x" * 500):
        with pytest.raises(Http404):
            aspiration_for_tracking(bad)
    # The public timeline has no internal events.
    kinds = [e.kind for e in aspiration_timeline(aspiration, stranger)]
    assert kinds == ["submitted", "verified", "forwarded"]


def test_internal_events_are_for_officials(routed, pembina_banjarbaru, stranger, warga_guntung_paikat):
    aspiration = routed["public"]
    aspiration_hide(actor=pembina_banjarbaru, aspiration=aspiration, reason="Uji")
    assert "hidden" in [e.kind for e in aspiration_timeline(aspiration, pembina_banjarbaru)]
    assert "hidden" not in [e.kind for e in aspiration_timeline(aspiration, warga_guntung_paikat)]
    assert "hidden" not in [e.kind for e in aspiration_timeline(aspiration, stranger)]


def test_forward_by_the_pembina_keeps_identity_from_the_new_office(
    routed, pembina_banjarbaru, dlh_banjarbaru, petugas_dlh, petugas_pupr
):
    confidential = routed["confidential"]
    aspiration_forward(actor=pembina_banjarbaru, aspiration=confidential, office=dlh_banjarbaru)
    assert confidential in set(aspirations_visible_to(petugas_dlh))
    assert confidential not in set(aspirations_visible_to(petugas_pupr))
    assert author_display(confidential, petugas_dlh) == "Confidential citizen"
