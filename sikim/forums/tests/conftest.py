import pytest

from sikim.accounts.models import Role, RoleGrant
from sikim.accounts.tests.factories import UserFactory
from sikim.forums.models import ForumLevel, KimForum
from sikim.kim.tests.factories import KimFactory, english  # noqa: F401 (fixture)


@pytest.fixture
def pembina_kalsel(regions):
    """A pembina of the province of Kalimantan Selatan (63), above Kota Banjarbaru."""
    user = UserFactory(full_name="Dewi Lestari", email="pembina.kalsel@sikim.test")
    RoleGrant.objects.create(user=user, role=Role.PEMBINA, region_id="63")
    return user


@pytest.fixture
def forum_banjarbaru(regions):
    return KimForum.objects.create(
        name="Forum KIM Kota Banjarbaru", slug="forum-kim-kota-banjarbaru", level=ForumLevel.KABUPATEN_KOTA,
        region_id="63.72",
    )  # fmt: skip


@pytest.fixture
def forum_jembrana(regions):
    return KimForum.objects.create(
        name="Forum KIM Kabupaten Jembrana", slug="forum-kim-jembrana", level=ForumLevel.KABUPATEN_KOTA,
        region_id="51.01",
    )  # fmt: skip


@pytest.fixture
def sungai_besar(regions):
    return KimFactory(name="KIM Sungai Besar", slug="kim-sungai-besar", region_id="63.72.05.1001")
