"""The database keeps the invariants even when the services are bypassed."""

import pytest
from django.db import IntegrityError, transaction

from sikim.aspirations.models import Aspiration, AspirationState, RoutingRule, ServiceLevel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _update_fails(aspiration, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Aspiration.objects.filter(pk=aspiration.pk).update(**fields)


def test_constraints(submit, pupr_banjarbaru):
    aspiration = submit()
    _update_fails(aspiration, state="hilang")
    _update_fails(aspiration, category="politik")
    _update_fails(aspiration, visibility="semua")
    _update_fails(aspiration, state=AspirationState.DITOLAK)  # without a reason
    _update_fails(aspiration, reject_reason="spam")  # a reason without rejection
    _update_fails(aspiration, state=AspirationState.DITERUSKAN)  # no office
    _update_fails(aspiration, rating=6)
    _update_fails(aspiration, rating=0)
    _update_fails(aspiration, reopened_count=2)
    _update_fails(aspiration, text="x" * 5001)
    _update_fails(aspiration, author=None)  # nobody to answer
    _update_fails(aspiration, contact_phone="0812345678")  # not +62…
    _update_fails(aspiration, latitude=40, longitude=10)  # not in Indonesia
    Aspiration.objects.filter(pk=aspiration.pk).update(
        state=AspirationState.DITERUSKAN, office=pupr_banjarbaru, rating=5
    )


def test_one_aspiration_per_channel_message(submit):
    first = submit(channel="sms", source_ref="sms-1")
    second = submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Aspiration.objects.filter(pk=second.pk).update(channel="sms", source_ref="sms-1")
    assert first.code != second.code


def test_ticket_codes_are_unique(submit):
    first, second = submit(), submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Aspiration.objects.filter(pk=second.pk).update(code=first.code)


def test_routing_and_service_level_constraints(pupr_banjarbaru, regions):
    RoutingRule.objects.create(region_id="63.72", category="infrastruktur", office=pupr_banjarbaru)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(region_id="63.72", category="infrastruktur", office=pupr_banjarbaru)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(region_id="63.72", category="politik", office=pupr_banjarbaru)
    ServiceLevel.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(verify_days=4)  # a second national default
    ServiceLevel.objects.create(region_id="63.72")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(region_id="63.72")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLevel.objects.create(region_id="63.71", followup_days=0)
