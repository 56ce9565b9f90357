"""Test data for the KIM registry: KIMs, members, board terms and kelompok desiminasi.

KimFactory places a KIM on Kelurahan Guntung Paikat by default, so tests using it need the
`regions` fixture. Import the `english` and `member_media` fixtures into a test module and
use them with `pytest.mark.usefixtures`.
"""

from datetime import date

import factory
import pytest
from django.utils import translation

from sikim.kim.models import (
    BoardPosition,
    BoardPositionKind,
    BoardTerm,
    DisseminationGroup,
    Kim,
    KimMember,
    KimStatus,
    MemberKind,
    Sector,
)

GUNTUNG_PAIKAT = "63.72.05.1004"


@pytest.fixture
def english(settings):
    """Read the English texts, so assertions keep passing once Indonesian is translated."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def member_media(settings, tmp_path):
    """Uploaded import files go to a temporary folder, not the real media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class KimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kim

    name = factory.Sequence(lambda n: f"KIM Uji {n}")
    slug = factory.Sequence(lambda n: f"kim-uji-{n}")
    region_id = GUNTUNG_PAIKAT
    status = KimStatus.AKTIF
    registration_number = factory.Sequence(lambda n: f"KIM-UJI-{n:04d}")


class KimMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KimMember

    kim = factory.SubFactory(KimFactory)
    kind = MemberKind.PERSON
    name = factory.Faker("name", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+6281200{n:06d}")
    email = factory.Sequence(lambda n: f"anggota{n}@example.id")
    sector = Sector.PERTANIAN
    joined_on = date(2018, 7, 27)


class OrganisationMemberFactory(KimMemberFactory):
    kind = MemberKind.ORGANISATION
    name = factory.Sequence(lambda n: f"Kelompok Tani Maju {n}")
    organisation_type = "kelompok_tani"
    email = ""


class BoardTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardTerm

    kim = factory.SubFactory(KimFactory)
    starts_on = date(2018, 7, 27)
    ends_on = date(2021, 7, 27)


class BoardPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardPosition

    term = factory.SubFactory(BoardTermFactory)
    member = factory.SubFactory(KimMemberFactory, kim=factory.SelfAttribute("..term.kim"))
    position = BoardPositionKind.KETUA


class DisseminationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisseminationGroup

    kim = factory.SubFactory(KimFactory)
    name = factory.Sequence(lambda n: f"RT {n:02d} / RW 02")
