"""KIMs on a region page: `kims_in_region` and the kim/public/_region_kims.html include."""

import pytest
from django.template.loader import render_to_string

from sikim.kim.models import KimStatus
from sikim.kim.selectors.directory import kims_in_region
from sikim.kim.tests.factories import KimFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def kims(kim_guntung_paikat, kim_ekasari):
    KimFactory(name="KIM Sungai Besar", slug="kim-sungai-besar", region_id="63.72.05.1001")
    KimFactory(name="KIM Loktabat", slug="kim-loktabat", region_id="63.72.05.1002")
    KimFactory(name="KIM Usulan", slug="kim-usulan", region_id="63.72.05.1002", status=KimStatus.DIUSULKAN,
               registration_number=None)  # fmt: skip


def test_public_kims_inside_the_region(kims):
    result = kims_in_region("63.72", limit=10)
    assert [k.name for k in result.kims] == ["KIM Guntung Paikat", "KIM Loktabat", "KIM Sungai Besar"]
    assert result.total == 3 and not result.has_more
    assert [k.name for k in kims_in_region("51", limit=10).kims] == ["KIM Desa Ekasari"]
    assert kims_in_region("63.72.05.1004").total == 1


def test_limit_and_total(kims, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = kims_in_region("63", limit=2)
        names = [k.region.name for k in result.kims]
    assert len(names) == 2 and result.total == 3 and result.has_more


def test_bad_codes_give_nothing(kims):
    assert kims_in_region("6x").total == 0
    assert kims_in_region("").total == 0


def test_the_include_lists_and_links(kims):
    html = render_to_string("kim/public/_region_kims.html", {"region_kims": kims_in_region("63.72", limit=2)})
    assert 'href="/kim/kim-guntung-paikat/"' in html
    assert 'href="/kim/?wilayah=63.72"' in html
    assert "See all 3 KIMs of this region" in html


def test_the_include_for_an_empty_region(regions):
    html = render_to_string("kim/public/_region_kims.html", {"region_kims": kims_in_region("51.71", limit=5)})
    assert "No KIM has been formed in this region yet." in html
