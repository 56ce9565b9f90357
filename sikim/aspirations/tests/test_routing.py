"""Routing rules choose the office; the pembina can override; "bukan wewenang" routes again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikim.aspirations.models import AspirationEventKind, AspirationState, Category, RoutingRule
from sikim.aspirations.selectors.routing import route_for, verifying_kim_for
from sikim.aspirations.services.routing import routing_rule_save
from sikim.aspirations.services.workflow import (
    aspiration_forward,
    aspiration_forward_automatically,
    aspiration_not_our_remit,
    aspiration_verify,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = AspirationState
GP = "63.72.05.1004"


def test_the_most_specific_rule_wins(rules, pupr_banjarbaru, pupr_kalsel, kecamatan_banjarbaru_selatan):
    assert route_for(Category.INFRASTRUKTUR, GP) == pupr_banjarbaru  # the city's rule beats the province's
    assert route_for(Category.INFRASTRUKTUR, "63.71.01.1001") == pupr_kalsel  # Banjarmasin: only the province
    assert route_for(Category.KESEHATAN, GP) is None
    # A fallback ("any category") for the kecamatan does not beat a rule naming the category…
    RoutingRule.objects.create(region_id="63.72.05", category="", office=kecamatan_banjarbaru_selatan)
    assert route_for(Category.INFRASTRUKTUR, GP) == pupr_banjarbaru
    assert route_for(Category.KESEHATAN, GP) == kecamatan_banjarbaru_selatan
    # …but a rule naming the category in a deeper region does.
    RoutingRule.objects.create(
        region_id="63.72.05", category=Category.INFRASTRUKTUR, office=kecamatan_banjarbaru_selatan
    )
    assert route_for(Category.INFRASTRUKTUR, GP) == kecamatan_banjarbaru_selatan


def test_priority_breaks_ties_and_inactive_rules_or_offices_are_skipped(rules, pupr_banjarbaru, dlh_banjarbaru):
    rule = RoutingRule.objects.create(
        region_id="63.72", category=Category.INFRASTRUKTUR, office=dlh_banjarbaru, priority=5
    )
    assert route_for(Category.INFRASTRUKTUR, GP) == dlh_banjarbaru
    rule.is_active = False
    rule.save()
    assert route_for(Category.INFRASTRUKTUR, GP) == pupr_banjarbaru
    pupr_banjarbaru.is_active = False
    pupr_banjarbaru.save()
    assert route_for(Category.INFRASTRUKTUR, GP).slug == "dinas-pupr-kalsel"


def test_without_a_rule_the_pembina_forwards(
    submit, ketua_guntung_paikat, pembina_banjarbaru, outsider, dlh_banjarbaru, pupr_jembrana
):
    aspiration = submit(category=Category.KESEHATAN)
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    assert aspiration.state == S.DIVERIFIKASI
    assert aspiration_forward_automatically(aspiration=aspiration) is False
    with pytest.raises(ValidationError) as error:
        aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration)
    assert "choose the office" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        aspiration_forward(actor=outsider, aspiration=aspiration, office=pupr_jembrana)
    with pytest.raises(ValidationError, match="does not act for"):
        aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration, office=pupr_jembrana)
    aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration, office=dlh_banjarbaru, note="Limbah klinik")
    assert aspiration.state == S.DITERUSKAN and aspiration.office == dlh_banjarbaru


def test_a_rule_added_later_forwards_waiting_cases(submit, ketua_guntung_paikat, pembina_banjarbaru, dlh_banjarbaru):
    aspiration = submit(category=Category.KESEHATAN)
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    routing_rule_save(
        actor=pembina_banjarbaru,
        rule=RoutingRule(region_id="63.72", category=Category.KESEHATAN, office=dlh_banjarbaru),
    )
    assert aspiration_forward_automatically(aspiration=aspiration) is True
    assert aspiration.office == dlh_banjarbaru


def test_the_pembina_overrides_the_office(submit, rules, ketua_guntung_paikat, pembina_banjarbaru, dlh_banjarbaru):
    aspiration = submit()
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    with pytest.raises(ValidationError, match="already with this office"):
        aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration, office=aspiration.office)
    aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration, office=dlh_banjarbaru, note="Drainase")
    assert aspiration.office == dlh_banjarbaru and aspiration.state == S.DITERUSKAN
    rerouted = aspiration.events.get(kind=AspirationEventKind.REROUTED)
    assert (rerouted.from_state, rerouted.to_state, rerouted.actor) == (S.DITERUSKAN, S.DITERUSKAN, pembina_banjarbaru)


def test_not_our_remit_routes_to_the_next_office(
    submit, rules, ketua_guntung_paikat, petugas_pupr, pupr_banjarbaru, pupr_kalsel
):
    aspiration = submit()
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    assert aspiration.office == pupr_banjarbaru
    aspiration_not_our_remit(actor=petugas_pupr, aspiration=aspiration, note="Ini jalan provinsi.")
    # The city's PUPR declined: the next rule (the province) takes it, never the same office again.
    assert aspiration.office == pupr_kalsel and aspiration.state == S.DITERUSKAN
    declined = aspiration.events.get(kind=AspirationEventKind.NOT_OUR_REMIT)
    assert (declined.from_state, declined.to_state, declined.office) == (S.DITERUSKAN, S.DIVERIFIKASI, pupr_banjarbaru)
    assert declined.note == "Ini jalan provinsi."


def test_not_our_remit_without_another_rule_waits_for_the_pembina(
    submit, ketua_guntung_paikat, pembina_banjarbaru, petugas_dlh, dlh_banjarbaru
):
    aspiration = submit(category=Category.LINGKUNGAN)
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    aspiration_forward(actor=pembina_banjarbaru, aspiration=aspiration, office=dlh_banjarbaru)
    with pytest.raises(ValidationError):
        aspiration_not_our_remit(actor=petugas_dlh, aspiration=aspiration, note="")
    aspiration_not_our_remit(actor=petugas_dlh, aspiration=aspiration, note="Bukan sampah, tapi drainase.")
    assert aspiration.state == S.DIVERIFIKASI and aspiration.office is None and aspiration.followup_due is None
    with pytest.raises(PermissionDenied):  # the office no longer sees it
        aspiration_not_our_remit(actor=petugas_dlh, aspiration=aspiration, note="x")


def test_rules_are_kept_by_the_pembina_of_the_region(pembina_banjarbaru, outsider, pupr_banjarbaru, pupr_jembrana):
    with pytest.raises(PermissionDenied):
        routing_rule_save(
            actor=outsider, rule=RoutingRule(region_id="63.72", category=Category.INFRASTRUKTUR, office=pupr_banjarbaru)
        )
    with pytest.raises(ValidationError, match="does not act for"):
        routing_rule_save(
            actor=pembina_banjarbaru,
            rule=RoutingRule(region_id="63.72", category=Category.INFRASTRUKTUR, office=pupr_jembrana),
        )


def test_verifying_kim_for_a_village(kim_guntung_paikat, kim_ekasari, regions):
    assert verifying_kim_for(GP) == kim_guntung_paikat
    assert verifying_kim_for("63.72.05.1001") == kim_guntung_paikat  # same kecamatan, no own KIM
    assert verifying_kim_for("63.72.01.1001") is None
    assert verifying_kim_for("63.72") is None
