"""Who sees what: only the body's PPID (and the requester) see the requester's identity; a PPID of
another body does not even find the request; a pembina sees it and its statistics, masked."""

import pytest
from django.http import Http404

from sikim.kip.selectors.access import request_for, request_for_tracking, requests_visible_to
from sikim.kip.selectors.identity import requester_display, requester_identity
from sikim.kip.services.requests import request_file
from sikim.kip.tests.conftest import BEFORE_LEBARAN, REQUEST_FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_only_the_bodys_ppid_and_the_requester_see_the_identity(
    file, citizen, ppid_ekasari, ppid_dinkes, petugas_ekasari, outsider, national_admin, atasan_ekasari, stranger
):
    request = file()
    for reader in (ppid_ekasari, citizen):
        identity = requester_identity(request, reader)
        assert identity is not None
        assert identity.id_number == "5101041203850001" and identity.phone == "+6281338000123"
        assert requester_display(request, reader) == "I Made Artana"
    for reader in (ppid_dinkes, petugas_ekasari, outsider, national_admin, atasan_ekasari, stranger):
        assert requester_identity(request, reader) is None
        assert requester_display(request, reader) == "I M*** A*****"


def test_the_pengurus_who_filed_sees_what_they_filed(desa_ekasari, ketua_ekasari, ketua_guntung_paikat):
    request = request_file(actor=ketua_ekasari, body=desa_ekasari, on_behalf=True, now=BEFORE_LEBARAN, **REQUEST_FIELDS)
    assert requester_identity(request, ketua_ekasari) is not None
    assert request in requests_visible_to(ketua_ekasari)
    assert requester_identity(request, ketua_guntung_paikat) is None  # another KIM's pengurus
    assert request not in requests_visible_to(ketua_guntung_paikat)


def test_who_finds_the_request(
    file, citizen, ppid_ekasari, ppid_dinkes, outsider, pembina_banjarbaru, national_admin, atasan_ekasari, stranger
):
    request = file()
    for reader in (ppid_ekasari, citizen, outsider, national_admin, atasan_ekasari):
        assert request_for(reader, request.pk) == request
    for reader in (ppid_dinkes, pembina_banjarbaru, stranger):
        with pytest.raises(Http404):
            request_for(reader, request.pk)


def test_tracking_by_code(file):
    request = file()
    assert request_for_tracking(request.tracking_code.lower()) == request
    for code in ("", "KIP-2026-", "ASP-2026-ABCDEF", "x" * 500):
        with pytest.raises(Http404):
            request_for_tracking(code)
