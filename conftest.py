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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the test region tree once into each test database, outside any test's transaction."""
    with django_db_blocker.unblock():
        region_tree_import(only_prefixes=TEST_REGION_PREFIXES)


@pytest.fixture
def regions(db):
    """The test region tree. A transactional test empties the database afterwards, so check."""
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
    from playwright.sync_api import expect, sync_playwright

    # The same patience for assertions as for actions (Playwright's default is 5 s): a loaded
    # 2-core CI machine can take longer to render a page, and a passing check returns at once.
    expect.set_options(timeout=15_000)
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


# --- KIM registry actors ----------------------------------------------------------------
@pytest.fixture
def pembina_office_banjarbaru(regions):
    from sikim.kim.models import PembinaOffice

    office, _ = PembinaOffice.objects.get_or_create(
        region_id=BANJARBARU,
        defaults={"name": "Dinas Komunikasi dan Informatika Kota Banjarbaru", "slug": "diskominfo-kota-banjarbaru"},
    )
    return office


@pytest.fixture
def pembina_office_jembrana(regions):
    from sikim.kim.models import PembinaOffice

    office, _ = PembinaOffice.objects.get_or_create(
        region_id=JEMBRANA,
        defaults={"name": "Dinas Komunikasi dan Informatika Kabupaten Jembrana", "slug": "diskominfo-kab-jembrana"},
    )
    return office


@pytest.fixture
def kim_guntung_paikat(pembina_office_banjarbaru):
    from sikim.kim.models import Kim, KimStatus

    return Kim.objects.create(
        name="KIM Guntung Paikat",
        slug="kim-guntung-paikat",
        region_id=GUNTUNG_PAIKAT,
        pembina_office=pembina_office_banjarbaru,
        status=KimStatus.AKTIF,
        registration_number="KIM-63.72-0001",
        about="KIM Kelurahan Guntung Paikat, dibentuk 27 Juli 2018.",
    )


@pytest.fixture
def kim_ekasari(pembina_office_jembrana):
    from sikim.kim.models import Kim, KimStatus

    return Kim.objects.create(
        name="KIM Desa Ekasari",
        slug="kim-desa-ekasari",
        region_id=EKASARI,
        pembina_office=pembina_office_jembrana,
        status=KimStatus.AKTIF,
        registration_number="KIM-51.01-0001",
        run_by_group="Kelompok Tani Kakao Merta Abadi",
    )


def _kim_role(user: User, role: str, kim) -> User:
    from django.contrib.contenttypes.models import ContentType

    RoleGrant.objects.create(
        user=user, role=role, organisation_type=ContentType.objects.get_for_model(kim), organisation_id=kim.pk
    )
    return user


@pytest.fixture
def ketua_guntung_paikat(kim_guntung_paikat) -> User:
    """The ketua (chair) of KIM Guntung Paikat: a pengurus of that KIM only."""
    user = UserFactory(full_name="Ahmad Fauzi", email="ketua.guntungpaikat@sikim.test", phone="+6281351000003")
    return _kim_role(user, Role.PENGURUS_KIM, kim_guntung_paikat)


@pytest.fixture
def anggota_guntung_paikat(kim_guntung_paikat) -> User:
    user = UserFactory(full_name="Nur Halimah", email="anggota.guntungpaikat@sikim.test", phone="+6281351000004")
    return _kim_role(user, Role.ANGGOTA_KIM, kim_guntung_paikat)


@pytest.fixture
def ketua_ekasari(kim_ekasari) -> User:
    user = UserFactory(full_name="I Ketut Suarta", email="ketua.ekasari@sikim.test", phone="+6281338000001")
    return _kim_role(user, Role.PENGURUS_KIM, kim_ekasari)


def _office_role(user: User, role: str, office) -> User:
    from django.contrib.contenttypes.models import ContentType

    RoleGrant.objects.create(
        user=user, role=role, organisation_type=ContentType.objects.get_for_model(office), organisation_id=office.pk
    )
    return user


@pytest.fixture
def petugas_instansi(pembina_office_banjarbaru) -> User:
    """An officer of Dinas Kominfo Kota Banjarbaru acting as an office that answers aspirations."""
    user = UserFactory(full_name="Rina Wulandari", email="petugas.banjarbaru@sikim.test")
    return _office_role(user, Role.PETUGAS_INSTANSI, pembina_office_banjarbaru)


@pytest.fixture
def ppid(pembina_office_banjarbaru) -> User:
    """The PPID of Dinas Kominfo Kota Banjarbaru."""
    user = UserFactory(full_name="Hendra Saputra", email="ppid.banjarbaru@sikim.test")
    return _office_role(user, Role.PPID, pembina_office_banjarbaru)
