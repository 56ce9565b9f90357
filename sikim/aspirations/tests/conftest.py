"""Fixtures for the aspiration tests: offices of Kota Banjarbaru with officers, routing rules,
and a helper that submits an aspiration from Guntung Paikat through the service."""

from datetime import datetime

import pytest

from sikim.aspirations.models import Category, RoutingRule, Visibility
from sikim.aspirations.services.submission import aspiration_submit
from sikim.aspirations.workdays import JAKARTA
from sikim.kim.tests.factories import english  # noqa: F401 (fixture)
from sikim.offices.tests.conftest import (  # noqa: F401 (fixtures)
    dlh_banjarbaru,
    kecamatan_banjarbaru_selatan,
    make_officer,
    petugas_dlh,
    petugas_pupr,
    petugas_pupr_jembrana,
    pupr_banjarbaru,
    pupr_jembrana,
    pupr_kalsel,
)

GUNTUNG_PAIKAT = "63.72.05.1004"
# A Monday morning with no holiday near it.
MONDAY = datetime(2026, 2, 2, 9, 0, tzinfo=JAKARTA)


@pytest.fixture
def rules(pupr_banjarbaru, dlh_banjarbaru, pupr_kalsel):  # noqa: F811 (fixtures imported above)
    """Roads in Kota Banjarbaru → Dinas PUPR; environment → DLH; roads in the province → provincial PUPR."""
    return [
        RoutingRule.objects.create(region_id="63.72", category=Category.INFRASTRUKTUR, office=pupr_banjarbaru),
        RoutingRule.objects.create(region_id="63.72", category=Category.LINGKUNGAN, office=dlh_banjarbaru),
        RoutingRule.objects.create(region_id="63", category=Category.INFRASTRUKTUR, office=pupr_kalsel),
    ]


@pytest.fixture
def submit(kim_guntung_paikat, warga_guntung_paikat):
    """submit(**overrides) → an aspiration by the citizen of Guntung Paikat about a damaged road."""

    def _submit(**overrides):
        fields = {
            "actor": warga_guntung_paikat,
            "region": GUNTUNG_PAIKAT,
            "category": Category.INFRASTRUKTUR,
            "title": "Jalan rusak di depan SDN Guntung Paikat",
            "text": "Jalan berlubang besar di depan sekolah, sudah ada pengendara motor yang jatuh.",
            "visibility": Visibility.PUBLIC,
            "now": MONDAY,
        }
        fields.update(overrides)
        return aspiration_submit(**fields)

    return _submit
