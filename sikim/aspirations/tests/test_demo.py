"""The offices and aspirations demo data (`seed_demo`): real-looking offices, rules, cases; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from sikim.accounts.models import Role, RoleGrant, User
from sikim.aspirations.models import Aspiration, AspirationEvent, AspirationState, RoutingRule, ServiceLevel
from sikim.aspirations.selectors.routing import route_for
from sikim.offices.models import GovernmentOffice
from sikim.offices.selectors import offices_of_user

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def seeded(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return (
        GovernmentOffice.objects.count(),
        RoutingRule.objects.count(),
        ServiceLevel.objects.count(),
        Aspiration.objects.count(),
        AspirationEvent.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
    )


def test_running_twice_changes_nothing(seeded):
    counts = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts


def test_offices_officers_and_cases(seeded):
    pupr = GovernmentOffice.objects.get(slug="dinas-pupr-kota-banjarbaru")
    assert pupr.name == "Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarbaru" and pupr.region_id == "63.72"
    assert GovernmentOffice.objects.filter(region_id="51.01").count() >= 4
    officer = User.objects.get(email="petugas.pupr.banjarbaru@demo.sikim.test")
    assert list(offices_of_user(officer)) == [pupr]
    assert route_for("infrastruktur", "63.72.05.1004") == pupr
    assert route_for("adminduk", "63.72.05.1004").slug == "kecamatan-banjarbaru-selatan"
    road = Aspiration.objects.get(source_ref="demo-aspirasi-1")
    assert road.state == AspirationState.DIJAWAB and road.office == pupr
    assert Aspiration.objects.get(source_ref="demo-aspirasi-3").visibility == "confidential"
    # The demo accounts of the KIM registry keep their grants.
    petugas = User.objects.get(email="petugas.diskominfo.banjarbaru@demo.sikim.test")
    assert RoleGrant.objects.filter(user=petugas, role=Role.PETUGAS_INSTANSI, revoked_at=None).count() == 1
    assert "petugas.pupr.banjarbaru@demo.sikim.test" in seeded
