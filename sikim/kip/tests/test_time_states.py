"""Waiting, overdue and long overdue are computed from the dates, never stored."""

import pytest

from sikim.kip.models import InformationRequest
from sikim.kip.selectors.deadlines import TimeState, requests_long_overdue, requests_overdue, time_state
from sikim.kip.services.requests import request_decide, request_extend
from sikim.kip.tests.conftest import wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_waiting_overdue_long_overdue(file):
    request = file()  # due at the end of 8 April 2026
    assert time_state(request, wib(2026, 4, 8, 23, 0)) == TimeState.WAITING
    assert time_state(request, wib(2026, 4, 9, 0, 0)) == TimeState.OVERDUE
    # 10 working days after 8 April: 9, 10, 13–17, 20, 21, 22 April.
    assert time_state(request, wib(2026, 4, 22, 23, 0)) == TimeState.OVERDUE
    assert time_state(request, wib(2026, 4, 23, 0, 0)) == TimeState.LONG_OVERDUE
    within = InformationRequest.objects.all()
    assert list(requests_overdue(within, wib(2026, 4, 9, 9))) == [request]
    assert requests_long_overdue(within, wib(2026, 4, 9, 9)) == []
    assert requests_long_overdue(within, wib(2026, 4, 23, 9)) == [request]


def test_an_extension_moves_the_clock_and_a_decision_stops_it(file, ppid_ekasari):
    request = file()
    request_extend(actor=ppid_ekasari, request=request, reason="Dokumen masih di arsip kecamatan.", now=wib(2026, 4, 1))
    assert time_state(request, wib(2026, 4, 10, 9)) == TimeState.WAITING  # extended to 17 April
    assert list(requests_overdue(InformationRequest.objects.all(), wib(2026, 4, 10, 9))) == []
    assert time_state(request, wib(2026, 4, 20, 9)) == TimeState.OVERDUE
    request_decide(actor=ppid_ekasari, request=request, outcome="granted_full", now=wib(2026, 4, 20, 10))
    request = InformationRequest.objects.get(pk=request.pk)
    assert time_state(request, wib(2026, 5, 20)) == TimeState.DECIDED_LATE


def test_decided_on_time(file, ppid_ekasari):
    request = file()
    request_decide(actor=ppid_ekasari, request=request, outcome="not_held", now=wib(2026, 3, 26, 10))
    request = InformationRequest.objects.get(pk=request.pk)
    assert time_state(request) == TimeState.DECIDED_ON_TIME
