"""The public aspiration pages in the public page cache: stored for anonymous visitors, fresh at
once after a change, and a page with the secret link never stored."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from sikim.aspirations.models import Aspiration
from sikim.aspirations.selectors.author_key import author_key_for
from sikim.aspirations.services.moderation import abuse_report_submit, aspiration_hide, aspiration_support
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.core.public_cache import CACHE_ALIAS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def public_cache(settings):
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 60
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def routed(submit, rules, ketua_guntung_paikat):
    aspiration = submit(now=timezone.now(), visibility="public")
    return aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)


def _served_from_a_copy(client: Client, path: str) -> bool:
    """Asked twice: the second answer came without a single query (a stored copy)."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries) == 0


def test_list_map_and_tracking_page_are_served_from_the_cache(public_cache, client, routed, django_assert_num_queries):
    for path in ("/aspirasi/", "/aspirasi/peta.geojson", f"/aspirasi/lacak/{routed.code}/"):
        first = client.get(path)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_a_state_change_shows_at_once(public_cache, client, routed, petugas_pupr):
    track = f"/aspirasi/lacak/{routed.code}/"
    assert "Forwarded to an office" in client.get(track).content.decode()
    client.get(f"/aspirasi/?status={routed.state}")
    aspiration_answer(actor=petugas_pupr, aspiration=routed, answer="Jalan diaspal hari Senin.")
    assert "Jalan diaspal hari Senin." in client.get(track).content.decode()
    assert routed.code not in client.get("/aspirasi/?status=diteruskan").content.decode()
    assert routed.code in client.get("/aspirasi/?status=dijawab").content.decode()


def test_a_hidden_text_leaves_the_cached_list_at_once(public_cache, client, routed, pembina_banjarbaru):
    assert routed.code in client.get("/aspirasi/").content.decode()
    aspiration_hide(actor=pembina_banjarbaru, aspiration=routed, reason="Fitnah")
    assert routed.code not in client.get("/aspirasi/").content.decode()


def test_a_support_shows_at_once(public_cache, client, routed, stranger):
    track = f"/aspirasi/lacak/{routed.code}/"
    assert "0 supporters" in client.get(track).content.decode()
    aspiration_support(actor=stranger, aspiration=routed)
    assert "1 supporter" in client.get(track).content.decode()


def test_an_abuse_report_does_not_empty_the_cache(public_cache, client, routed, stranger, django_assert_num_queries):
    track = f"/aspirasi/lacak/{routed.code}/"
    client.get(track)
    abuse_report_submit(actor=stranger, aspiration=routed, reason="spam")
    with django_assert_num_queries(0):
        client.get(track)


def test_a_page_with_the_secret_link_is_never_stored(public_cache, client, submit, kim_guntung_paikat):
    aspiration = submit(actor=None, contact_phone="081234567890", now=timezone.now())
    key = author_key_for(aspiration)
    path = f"/aspirasi/lacak/{aspiration.code}/?k={key}"
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200 and key in page.content.decode()
        assert page["Cache-Control"] == "private, no-store"
    assert not _served_from_a_copy(client, path)
    assert not _served_from_a_copy(client, f"/aspirasi/lacak/{aspiration.code}/?k=salah")
    # The plain tracking page is stored, and never carries the key.
    plain = f"/aspirasi/lacak/{aspiration.code}/"
    assert key not in client.get(plain).content.decode()
    assert _served_from_a_copy(client, plain)


def test_the_report_page_and_logged_in_pages_are_not_stored(public_cache, client, routed, stranger):
    report = f"/aspirasi/lacak/{routed.code}/laporkan/"
    assert not _served_from_a_copy(Client(), report)
    login(client, stranger)
    client.get(f"/aspirasi/lacak/{routed.code}/")
    assert Aspiration.objects.filter(pk=routed.pk).exists()
    anonymous = Client()
    assert "Log in to support" in anonymous.get(f"/aspirasi/lacak/{routed.code}/").content.decode()


def test_a_support_leaves_the_copies_of_kim_and_region_pages_alone(public_cache, client, routed, stranger):
    # Supports come in all day at national scale: they must not empty the whole cache.
    kim_pages = ("/kim/kim-guntung-paikat/", "/kim/", "/wilayah/63.72/")
    for path in kim_pages:
        assert _served_from_a_copy(client, path)
    track = f"/aspirasi/lacak/{routed.code}/"
    assert _served_from_a_copy(client, track)
    aspiration_support(actor=stranger, aspiration=routed)
    for path in kim_pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) == 0, path
    with CaptureQueriesContext(connection) as queries:
        client.get(track)
    assert len(queries) > 0  # the tracking page shows the support count: rendered afresh


def test_a_renamed_kim_shows_at_once_on_the_tracking_page(public_cache, client, routed):
    track = f"/aspirasi/lacak/{routed.code}/"
    assert _served_from_a_copy(client, track)
    kim = routed.kim
    kim.name = "KIM Guntung Paikat Bersatu"
    kim.save()
    assert "KIM Guntung Paikat Bersatu" in client.get(track).content.decode()
