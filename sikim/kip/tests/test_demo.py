"""The KIP demo data: Pemerintah Desa Ekasari with its PPID and atasan, its register and a request."""

from io import StringIO

import pytest
from django.core.management import call_command

from sikim.accounts.models import User
from sikim.kip.models import AtasanPpid, InformationRequest, RegisterEntry
from sikim.kip.selectors.access import is_ppid_of
from sikim.offices.models import GovernmentOffice, OfficeKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_seed_demo_creates_the_village_public_body_idempotently(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    body = GovernmentOffice.objects.get(slug="pemerintah-desa-ekasari")
    assert body.kind == OfficeKind.DESA and body.region_id == "51.01.04.2004"
    ppid = User.objects.get(email="ppid.desa.ekasari@demo.sikim.test")
    assert is_ppid_of(ppid, body.pk)
    assert AtasanPpid.objects.get(body=body, revoked_at__isnull=True).user.email == "perbekel.ekasari@demo.sikim.test"
    assert RegisterEntry.objects.filter(body=body, is_published=True).count() == 3
    request = InformationRequest.objects.get(body=body)
    assert request.registration_number and request.decision_due
    # The Dinas Kominfo is a public body too, answered by the registry's Diskominfo PPID.
    kominfo = GovernmentOffice.objects.get(slug="diskominfo-kota-banjarbaru")
    assert is_ppid_of(User.objects.get(email="ppid.diskominfo.banjarbaru@demo.sikim.test"), kominfo.pk)
    assert RegisterEntry.objects.filter(body=kominfo, is_published=True).count() == 1
    counts = (RegisterEntry.objects.count(), InformationRequest.objects.count(), AtasanPpid.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (RegisterEntry.objects.count(), InformationRequest.objects.count(), AtasanPpid.objects.count()) == counts
