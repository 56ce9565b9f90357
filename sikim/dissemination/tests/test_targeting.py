import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikim.dissemination.selectors import audience_for, audience_preview
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.tests import bulletin_fixtures
from sikim.dissemination.tests.bulletin_fixtures import member
from sikim.kim.models import DisseminationGroup

kim_landasan = bulletin_fixtures.kim_landasan  # a shared fixture

pytestmark = pytest.mark.django_db


def test_region_subtree_kim_group_and_segments(
    pembina_banjarbaru,
    pembina_office_banjarbaru,
    kim_guntung_paikat,
    kim_landasan,
    kim_ekasari,
):
    a = member(kim_guntung_paikat, sector="pertanian", gender="p")
    b = member(kim_guntung_paikat, sector="umkm", gender="l")
    c = member(kim_landasan, sector="pertanian", gender="p")
    member(kim_landasan, is_active=False)
    member(kim_ekasari)  # Bali: outside the city
    city = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="t", body_markdown="b", regions=["63.72"]
    )
    assert set(audience_for(city)) == {a, b, c}

    one_kim = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="t", body_markdown="b", kims=[kim_landasan]
    )
    assert set(audience_for(one_kim)) == {c}

    group = DisseminationGroup.objects.create(kim=kim_guntung_paikat, name="RT 05")
    group.members.add(b)
    by_group = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="t", body_markdown="b", groups=[group]
    )
    assert set(audience_for(by_group)) == {b}

    farmers = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="t", body_markdown="b", regions=["63.72"],
        segments={"segment_sectors": ["pertanian"], "segment_genders": ["p"]},
    )  # fmt: skip
    assert set(audience_for(farmers)) == {a, c}


def test_preview_counts_per_channel_honour_consent_in_one_query(
    pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat
):
    member(kim_guntung_paikat, mail=True, sms=True, telegram=True)
    member(kim_guntung_paikat, mail=True, email="")  # consent but no address
    member(kim_guntung_paikat, mail=False, sms=True, phone=None)  # SMS consent, no phone
    member(kim_guntung_paikat, mail=False, consent_whatsapp=True)
    bulletin = bulletin_create(
        actor=pembina_banjarbaru, publisher=pembina_office_banjarbaru, title="t", body_markdown="b", regions=["63.72"]
    )
    with CaptureQueriesContext(connection) as queries:
        preview = audience_preview(bulletin)
    assert len(queries) == 2  # the targets, then one aggregate
    assert preview == {"total": 4, "email": 1, "sms": 1, "whatsapp": 1, "telegram": 1, "webpush": 0}
