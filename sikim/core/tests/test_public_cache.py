"""The public page cache (sikim/core/public_cache.py) and the GET language switch.

Whether a page came from the cache is seen from the outside: a copy costs no database query,
and a change written straight to the database (no signal) stays invisible until the copy
expires, while a save through the ORM shows at once. The small views at the bottom of this
module (used through `pytest.mark.urls`) are real marked views that set a cookie, render a
CSRF token or accept a POST: the cache must leave their responses alone.
"""

import socket
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views.decorators.cache import never_cache

from conftest import login
from sikim.core.public_cache import CACHE_ALIAS, public_cacheable
from sikim.kim.models import Kim

pytestmark = pytest.mark.django_db

PROFILE = "/kim/kim-guntung-paikat/"
DIRECTORY = "/kim/?provinsi=63"
REGION = "/wilayah/63.72/"
PUBLIC_PAGES = [PROFILE, DIRECTORY, REGION, "/wilayah/", "/kim/"]


@pytest.fixture
def public_cache(settings):
    """The cache switched on as in production (tests run with it off)."""
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 60
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


def _rename_behind_the_cache(kim: Kim, name: str) -> None:
    """Change the database without any signal: only a fresh render can show it."""
    Kim.objects.filter(pk=kim.pk).update(name=name)


# --- Served from the cache ------------------------------------------------------------------


def test_second_anonymous_request_is_served_without_a_query(
    public_cache, client, kim_guntung_paikat, django_assert_num_queries
):
    for url in PUBLIC_PAGES:
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["Content-Type"].startswith("text/html")
        assert second["X-Frame-Options"] == "DENY"  # the copy still goes out through every middleware


def test_a_stale_copy_until_it_expires(settings, client, kim_guntung_paikat):
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 1
    caches[CACHE_ALIAS].clear()
    assert "KIM Guntung Paikat" in client.get(PROFILE).content.decode()
    _rename_behind_the_cache(kim_guntung_paikat, "KIM Guntung Paikat Baru")
    assert "KIM Guntung Paikat Baru" not in client.get(PROFILE).content.decode()
    deadline = time.monotonic() + 5
    while "KIM Guntung Paikat Baru" not in client.get(PROFILE).content.decode():
        assert time.monotonic() < deadline, "the copy outlived SIKIM_PUBLIC_CACHE_SECONDS"
        time.sleep(0.05)


def test_a_saved_kim_shows_at_once(public_cache, client, kim_guntung_paikat):
    client.get(PROFILE)
    client.get(DIRECTORY)
    _rename_behind_the_cache(kim_guntung_paikat, "KIM Guntung Paikat Baru")
    assert "KIM Guntung Paikat Baru" not in client.get(DIRECTORY).content.decode()
    kim = Kim.objects.get(pk=kim_guntung_paikat.pk)
    kim.about = "Diperbarui."
    kim.save()  # any save of a public model makes every copy stale
    assert "KIM Guntung Paikat Baru" in client.get(PROFILE).content.decode()
    assert "KIM Guntung Paikat Baru" in client.get(DIRECTORY).content.decode()


def test_switched_off_with_zero_seconds(settings, client, kim_guntung_paikat):
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 0
    caches[CACHE_ALIAS].clear()
    client.get(PROFILE)
    _rename_behind_the_cache(kim_guntung_paikat, "KIM Guntung Paikat Baru")
    assert "KIM Guntung Paikat Baru" in client.get(PROFILE).content.decode()


# --- Never for the wrong visitor ------------------------------------------------------------


def test_logged_in_users_always_get_a_fresh_page(public_cache, client, kim_guntung_paikat, stranger):
    client.get(PROFILE)  # an anonymous copy exists
    _rename_behind_the_cache(kim_guntung_paikat, "KIM Guntung Paikat Baru")
    login(client, stranger)
    for _ in range(2):
        body = client.get(PROFILE).content.decode()
        assert "KIM Guntung Paikat Baru" in body
        assert "X-CSRFToken" in body  # htmx POSTs of logged-in users carry the token
    client.logout()
    assert "KIM Guntung Paikat Baru" not in client.get(PROFILE).content.decode()  # anonymous: the copy


def test_languages_never_mix(public_cache, client, kim_guntung_paikat, django_assert_num_queries):
    indonesian = client.get(PROFILE).content.decode()
    assert '<html lang="id">' in indonesian and "Masuk" in indonesian
    english = client.get(PROFILE, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in english and "Log in" in english
    client.cookies["django_language"] = "en"
    with django_assert_num_queries(0):
        from_cookie = client.get(PROFILE).content.decode()
    assert from_cookie == english  # the same English copy, whichever way English was asked for
    del client.cookies["django_language"]
    with django_assert_num_queries(0):
        assert client.get(PROFILE).content.decode() == indonesian


def test_htmx_partials_and_full_pages_never_mix(public_cache, client, regions, django_assert_num_queries):
    url = "/wilayah/cari/?q=Guntung"
    partial = client.get(url, headers={"hx-request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    full = client.get(url)  # without htmx this URL sends the visitor to the full search page
    assert full.status_code == 302
    with django_assert_num_queries(0):
        assert client.get(url, headers={"hx-request": "true"}).content == partial.content
    page = client.get("/wilayah/?q=Guntung")
    assert "<html" in page.content.decode()
    assert client.get("/wilayah/?q=Guntung", headers={"hx-request": "true"}).content != partial.content


def test_visitors_with_a_session_or_messages_are_not_served_a_copy(public_cache, client, kim_guntung_paikat):
    client.get(PROFILE)
    _rename_behind_the_cache(kim_guntung_paikat, "KIM Guntung Paikat Baru")
    client.cookies["messages"] = "whatever"
    assert "KIM Guntung Paikat Baru" in client.get(PROFILE).content.decode()
    del client.cookies["messages"]
    client.cookies["sessionid"] = "not-a-session"
    assert "KIM Guntung Paikat Baru" in client.get(PROFILE).content.decode()


def test_public_pages_hold_no_csrf_token_for_anonymous_visitors(public_cache, client, kim_guntung_paikat):
    for url in PUBLIC_PAGES:
        for _ in range(2):  # rendered, then the copy
            response = client.get(url)
            body = response.content.decode()
            assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body, url
            assert not response.cookies, url


def test_a_failing_cache_serves_the_page_uncached(settings, client, kim_guntung_paikat):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        },
    }
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 60
    for _ in range(2):
        response = client.get(PROFILE)
        assert response.status_code == 200
        assert "KIM Guntung Paikat" in response.content.decode()
    kim = Kim.objects.get(pk=kim_guntung_paikat.pk)
    kim.save()  # the version bump fails quietly too


# --- What is never stored (marked test views, see `urlpatterns` below) ------------------------

calls: list[str] = []


@pytest.fixture
def counted(public_cache):
    calls.clear()
    return calls


@public_cacheable("kim")
def plain_view(request: HttpRequest) -> HttpResponse:
    calls.append(request.method or "")
    return HttpResponse(f"<p>render {len(calls)}</p>")


@public_cacheable("kim")
def cookie_view(request: HttpRequest) -> HttpResponse:
    calls.append("cookie")
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


@public_cacheable("kim")
def csrf_view(request: HttpRequest) -> HttpResponse:
    calls.append("csrf")
    return HttpResponse(Template("<form method=post>{% csrf_token %}</form>").render(RequestContext(request)))


@public_cacheable("kim")
@never_cache
def never_cache_view(request: HttpRequest) -> HttpResponse:
    calls.append("never")
    return HttpResponse("<p>now</p>")


@public_cacheable("kim")
def json_view(request: HttpRequest) -> HttpResponse:
    calls.append("json")
    return HttpResponse("{}", content_type="application/json")


urlpatterns = [
    path("plain/", plain_view),
    path("cookie/", cookie_view),
    path("csrf/", csrf_view),
    path("never/", never_cache_view),
    path("json/", json_view),
]


@pytest.mark.parametrize("apps", [(), ("kim", "kimm"), ("accounts",)])
def test_a_view_must_name_the_public_apps_it_shows(apps):
    # A typo would leave the page stale after every change: refused when the module loads.
    with pytest.raises(ValueError, match="public_cacheable needs the apps"):
        public_cacheable(*apps)


def test_a_change_renders_afresh_only_the_pages_that_show_its_app(public_cache, client, kim_guntung_paikat):
    assert "KIM Guntung Paikat" in client.get(PROFILE).content.decode()
    client.get("/wilayah/")
    _rename_behind_the_cache(kim_guntung_paikat, "KIM Guntung Paikat Baru")
    Kim.objects.get(pk=kim_guntung_paikat.pk).save()  # the KIM app's version changes
    assert "KIM Guntung Paikat Baru" in client.get(PROFILE).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/wilayah/")  # shows regions only: still the stored copy
    assert len(queries) == 0


@pytest.mark.urls(__name__)
def test_a_marked_view_is_rendered_once(counted, client):
    assert client.get("/plain/").content == client.get("/plain/").content == b"<p>render 1</p>"
    assert client.get("/plain/?page=2").content == b"<p>render 2</p>"  # the query string is in the key
    assert client.head("/plain/").status_code == 200
    assert counted == ["GET", "GET"]


@pytest.mark.urls(__name__)
def test_post_is_never_cached_nor_served_a_copy(counted, client):
    client.get("/plain/")
    assert client.post("/plain/").content == b"<p>render 2</p>"
    assert client.post("/plain/").content == b"<p>render 3</p>"
    assert client.get("/plain/").content == b"<p>render 1</p>"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/cookie/", "/csrf/", "/never/", "/json/"])
def test_responses_that_are_per_visitor_or_not_html_are_not_stored(counted, client, url):
    client.get(url)
    client.get(url)
    assert len(counted) == 2


# --- The language switch ------------------------------------------------------------------


def test_language_switch_sets_the_cookie_and_goes_back(client, kim_guntung_paikat):
    response = client.get("/bahasa/", {"language": "en", "next": "/kim/?provinsi=63&page=1"})
    assert response.status_code == 302
    assert response["Location"] == "/kim/?provinsi=63&page=1"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/kim/?provinsi=63").content.decode()
    client.get("/bahasa/", {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver.evil.example/",
        "javascript:x",
        "",
    ],
)
def test_language_switch_refuses_off_site_next_urls(client, regions, next_url):
    response = client.get("/bahasa/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_ignores_unknown_languages_and_refuses_post(client, regions):
    response = client.get("/bahasa/", {"language": "xx", "next": "/kim/"})
    assert response.status_code == 302 and "django_language" not in response.cookies
    assert client.get("/bahasa/").status_code == 302
    assert client.post("/bahasa/", {"language": "en"}).status_code == 405


@pytest.mark.parametrize("javascript", [True, False])
def test_language_switch_in_the_browser(public_cache, chromium, live_server, kim_guntung_paikat, javascript):
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", base_url=live_server.url, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/kim/?provinsi=63")
        assert page.locator("html").get_attribute("lang") == "id"
        page.select_option("#language-select", "en")
        page.get_by_role("button", name="Ganti").click()
        page.wait_for_url("**/kim/?provinsi=63")
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(PROFILE)
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("link", name="Log in").count() == 1
    finally:
        context.close()
