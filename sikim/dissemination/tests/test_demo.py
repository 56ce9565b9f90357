"""The demo bulletins of `seed_demo`: published through the services, in the KIM inbox, made once."""

import pytest
from django.core.management import call_command

from sikim.dissemination.demo import CITY_BULLETIN, KIM_BULLETIN
from sikim.dissemination.models import Bulletin, BulletinStatus, KimInboxItem

pytestmark = pytest.mark.django_db


def test_seed_demo_publishes_the_demo_bulletins_once(regions, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    city = Bulletin.objects.get(title=CITY_BULLETIN["title"])
    own = Bulletin.objects.get(title=KIM_BULLETIN["title"])
    assert city.status == own.status == BulletinStatus.PUBLISHED
    assert city.pembina_office is not None and city.pembina_office.region_id == "63.72"
    assert own.kim is not None and own.kim.slug == "kim-guntung-paikat"
    assert KimInboxItem.objects.filter(bulletin=city, kim__slug="kim-guntung-paikat").exists()
    assert Bulletin.objects.filter(title__in=[CITY_BULLETIN["title"], KIM_BULLETIN["title"]]).count() == 2
