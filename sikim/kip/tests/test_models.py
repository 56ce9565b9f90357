"""Invariants the database itself keeps."""

import pytest
from django.db import IntegrityError, transaction

from sikim.kip.models import CalendarSettings, Decision, InformationRequest, Objection
from sikim.kip.tests.conftest import wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _breaks(queryset, **changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**changes)


def test_request_invariants(file):
    request = file()
    rows = InformationRequest.objects.filter(pk=request.pk)
    _breaks(rows, state="hilang")
    _breaks(rows, delivery="merpati")
    _breaks(rows, access_form="melihat")  # a "see" request with a softcopy
    _breaks(rows, registration_number=None)
    _breaks(rows, decision_due=request.received_at)
    _breaks(rows, state="diperpanjang")  # not extended
    _breaks(rows, requester_name="")


def test_one_decision_per_request_and_no_refusal_without_ground(file):
    request = file()
    Decision.objects.create(request=request, outcome="granted_full", decided_at=wib(2026, 3, 26))
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(request=request, outcome="granted_full", decided_at=wib(2026, 3, 27))
    _breaks(Decision.objects.all(), outcome="refused")


def test_objection_grounds_are_letters_of_pasal_35(file):
    request = file()
    objection = Objection.objects.create(
        request=request,
        grounds="a,c",
        statement="X",
        filed_at=wib(2026, 4, 9),
        window_closes=wib(2026, 5, 25),
        answer_due=wib(2026, 5, 25),
    )
    rows = Objection.objects.filter(pk=objection.pk)
    _breaks(rows, grounds="h")
    _breaks(rows, grounds="")
    _breaks(rows, filed_at=wib(2026, 6, 1))  # after its window
    _breaks(rows, answer="Ya")  # an answer without its date


def test_calendar_settings_is_one_row():
    CalendarSettings.objects.create(pk=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarSettings.objects.create(pk=2)
