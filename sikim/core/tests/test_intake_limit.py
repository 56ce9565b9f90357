"""The per-hour limit on anonymous submissions (sikim.core.intake_limit)."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from sikim.core import intake_limit
from sikim.core.intake_limit import anonymous_limit_reached

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


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
