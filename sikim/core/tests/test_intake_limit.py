"""The per-hour limit on anonymous submissions (sikim.core.intake_limit)."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from sikim.core import intake_limit
from sikim.core.intake_limit import anonymous_limit_reached
from sikim.core.models import AnonymousSubmissionCount

pytestmark = pytest.mark.django_db


def anonymous(address: str = "10.0.0.1", forwarded: str = ""):
    request = RequestFactory().post("/aspirasi/baru/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
    request.user = AnonymousUser()
    return request


def test_the_submission_over_the_limit_is_refused():
    results = [anonymous_limit_reached(anonymous(), scope="aspiration", per_hour=3) for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_addresses_and_scopes_are_counted_apart():
    for _ in range(2):
        assert not anonymous_limit_reached(anonymous("10.0.0.1"), scope="aspiration", per_hour=2)
    assert anonymous_limit_reached(anonymous("10.0.0.1"), scope="aspiration", per_hour=2)
    assert not anonymous_limit_reached(anonymous("10.0.0.2"), scope="aspiration", per_hour=2)
    assert not anonymous_limit_reached(anonymous("10.0.0.1"), scope="kip", per_hour=2)


def test_zero_switches_it_off():
    assert not any(anonymous_limit_reached(anonymous(), scope="aspiration", per_hour=0) for _ in range(50))


def test_logged_in_users_are_never_counted(stranger):
    request = anonymous()
    request.user = stranger
    assert not any(anonymous_limit_reached(request, scope="aspiration", per_hour=1) for _ in range(5))
    # ...and they did not use up the address's allowance either.
    assert not anonymous_limit_reached(anonymous(), scope="aspiration", per_hour=1)


def test_a_new_hour_starts_a_new_count():
    with mock.patch.object(intake_limit.time, "time", return_value=7200.0):
        assert not anonymous_limit_reached(anonymous(), scope="aspiration", per_hour=1)
        assert anonymous_limit_reached(anonymous(), scope="aspiration", per_hour=1)
    with mock.patch.object(intake_limit.time, "time", return_value=7200.0 + intake_limit.WINDOW_SECONDS):
        assert not anonymous_limit_reached(anonymous(), scope="aspiration", per_hour=1)


def test_behind_a_proxy_the_forwarded_address_counts(settings):
    settings.BEHIND_PROXY = True
    assert not anonymous_limit_reached(anonymous("10.9.9.9", "203.0.113.5"), scope="aspiration", per_hour=1)
    assert anonymous_limit_reached(anonymous("10.9.9.9", "203.0.113.5"), scope="aspiration", per_hour=1)
    assert not anonymous_limit_reached(anonymous("10.9.9.9", "203.0.113.6"), scope="aspiration", per_hour=1)


def test_the_address_is_stored_only_as_a_hash_and_old_hours_are_forgotten():
    with mock.patch.object(intake_limit.time, "time", return_value=7200.0):
        anonymous_limit_reached(anonymous("203.0.113.5"), scope="aspiration", per_hour=5)
    [row] = AnonymousSubmissionCount.objects.all()
    assert "203.0.113.5" not in str(row.__dict__) and len(row.address_hash) == 64
    with mock.patch.object(intake_limit.time, "time", return_value=7200.0 + 2 * intake_limit.WINDOW_SECONDS):
        anonymous_limit_reached(anonymous("203.0.113.5"), scope="aspiration", per_hour=5)
    assert list(AnonymousSubmissionCount.objects.values_list("hour", flat=True)) == [4]


@pytest.mark.django_db(transaction=True)
def test_every_process_counts_against_the_same_limit():
    # Threads stand in for gunicorn workers: each has its own database connection, and the
    # shared count in the database, not a per-process cache, decides who is over the limit.
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def submit(_: int) -> bool:
        try:
            return anonymous_limit_reached(anonymous("198.51.100.7"), scope="aspiration", per_hour=5)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        refused = list(pool.map(submit, range(12)))
    assert refused.count(False) == 5 and refused.count(True) == 7
