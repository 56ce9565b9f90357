"""Shared test fixtures: the region tree and the named actors every permission test uses.

Actors (healthchecks' alice/bob/charlie, SIKIM edition):
- `national_admin`       — the national administrator;
- `pembina_banjarbaru`   — a Dinas Kominfo officer of Kota Banjarbaru (63.72);
- `warga_guntung_paikat` — a citizen of Kelurahan Guntung Paikat (63.72.05.1004);
- `outsider`             — a pembina of Kabupaten Jembrana (51.01), another kabupaten entirely;
- `stranger`             — a logged-in user with no role at all.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from sikim.accounts.models import Role, RoleGrant, User
from sikim.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sikim.wilayah.models import Region
from sikim.wilayah.services import region_tree_import

# Two provinces are enough for every test and load in a fraction of a second:
# Kalimantan Selatan (Kota Banjarbaru, Guntung Paikat) and Bali (Jembrana, Ekasari).
TEST_REGION_PREFIXES = ["63", "51"]
BANJARBARU = "63.72"
GUNTUNG_PAIKAT = "63.72.05.1004"
JEMBRANA = "51.01"
EKASARI = "51.01.04.2004"


@pytest.fixture
def regions(db):
    """The test region tree. Loaded once per database; reloaded after a transactional test flushed it."""
    if not Region.objects.filter(code=GUNTUNG_PAIKAT).exists():
        region_tree_import(only_prefixes=TEST_REGION_PREFIXES)
    return Region.objects


def _grant(user: User, role: str, region: str | None = None) -> User:
    RoleGrant.objects.create(user=user, role=role, region_id=region)
    return user


@pytest.fixture
def national_admin(regions) -> User:
    return _grant(UserFactory(full_name="Admin Nasional", email="admin@sikim.test"), Role.NATIONAL_ADMIN)


@pytest.fixture
def pembina_banjarbaru(regions) -> User:
    user = UserFactory(full_name="Rahmat Hidayat", email="pembina.banjarbaru@sikim.test", phone="+6281351000001")
    return _grant(user, Role.PEMBINA, BANJARBARU)


@pytest.fixture
def warga_guntung_paikat(regions) -> User:
    user = UserFactory(
        full_name="Siti Aminah", email="siti@sikim.test", phone="+6281351000002", home_region_id=GUNTUNG_PAIKAT
    )
    return _grant(user, Role.WARGA, GUNTUNG_PAIKAT)


@pytest.fixture
def outsider(regions) -> User:
    user = UserFactory(full_name="Made Sudarsana", email="pembina.jembrana@sikim.test")
    return _grant(user, Role.PEMBINA, JEMBRANA)


@pytest.fixture
def stranger(regions) -> User:
    return UserFactory(full_name="Orang Asing", email="stranger@sikim.test")


def login(client: Client, user: User) -> Client:
    client.force_login(user, backend="sikim.accounts.backends.EmailOrPhoneBackend")
    return client


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


# --- Browser tests ----------------------------------------------------------------------
# Playwright drives Debian's Chromium (/usr/bin/chromium); `playwright install` is never used.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses database
    # access from such a thread unless told it is safe, which it is here (tests only).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, regions, request):
    """A phone-sized browser page (360 × 740) on the live test server; a screenshot on failure."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", base_url=live_server.url)
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    yield browser_page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        out = Path("test-results")
        out.mkdir(exist_ok=True)
        browser_page.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
