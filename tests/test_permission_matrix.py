"""Every role against every page and API endpoint that exists.

`ENDPOINTS` lists each URL (pages by name, API operations by method and path) with who may
use it. `test_every_endpoint_is_in_the_matrix` fails when someone adds an endpoint without
adding it here, so the matrix stays complete.

The target objects all belong to KIM Guntung Paikat (Kota Banjarbaru). "Allowed" means the
request got through the permission check (any answer but 401/403/404 or a bounce to the
login page; a form error is fine). "Denied" means 403 or 404 for a logged-in user, and a
redirect to the login page or 401 for an anonymous one. Nobody ever gets a 500.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from config.api import api
from conftest import login
from sikim.accounts.models import ApiToken
from sikim.accounts.tokens import generate_token, hash_token
from sikim.kim.models import (
    BoardPosition,
    BoardPositionKind,
    BoardTerm,
    DisseminationGroup,
    DocumentKind,
    KimDocument,
    KimMember,
    MemberImport,
)

ACTORS = [
    "anonymous",
    "stranger",
    "warga_guntung_paikat",
    "anggota_guntung_paikat",
    "ketua_guntung_paikat",
    "ketua_ekasari",
    "pembina_banjarbaru",
    "outsider",
    "petugas_instansi",
    "ppid",
    "national_admin",
]

# Who may use an endpoint (besides the national admin, who may use all but "own" ones).
PUBLIC = frozenset(ACTORS)
LOGGED_IN = frozenset(ACTORS) - {"anonymous"}
PEMBINA_ANYWHERE = frozenset({"pembina_banjarbaru", "outsider", "national_admin"})
KIM_PEMBINA = frozenset({"pembina_banjarbaru", "national_admin"})
KIM_MANAGERS = KIM_PEMBINA | {"ketua_guntung_paikat"}
KIM_INSIDERS = KIM_MANAGERS | {"anggota_guntung_paikat"}
KIM_WORKERS = PEMBINA_ANYWHERE | {"ketua_guntung_paikat", "ketua_ekasari"}
TOKEN_OWNER = frozenset({"national_admin"})
NOBODY: frozenset[str] = frozenset()
# Aspirations: the scene's aspiration was written by warga_guntung_paikat and verified; no routing
# rule fits, so it waits for the pembina. petugas_instansi is no GovernmentOffice's officer.
AUTHOR = frozenset({"warga_guntung_paikat"})
DESK_WORKERS = KIM_WORKERS | {"petugas_instansi"}
OFFICE_OFFICERS = frozenset({"national_admin"})
ASPIRATION_READERS = frozenset({"warga_guntung_paikat", "ketua_guntung_paikat", "pembina_banjarbaru", "national_admin"})
# Information requests: the scene's request was filed by warga_guntung_paikat to Dinas Kesehatan Kota
# Banjarbaru and decided, objected to, answered and taken to the Komisi Informasi. No actor is that
# body's PPID or atasan PPID (the `ppid` actor is a PPID of the Diskominfo office).
KIP_READERS = frozenset({"warga_guntung_paikat", "pembina_banjarbaru", "national_admin"})
REGISTER_KEEPERS = frozenset({"ppid", "national_admin"})  # hold kip.manage_register somewhere


@dataclass(frozen=True)
class Endpoint:
    key: str  # URL name for pages, "METHOD /api/v1/path" for API operations
    method: str
    path: str  # with {placeholders} filled from the scene
    allowed: frozenset[str]
    data: dict[str, str] = field(default_factory=dict)


def E(key, path, allowed, method="GET", data=None):  # noqa: N802 - reads as a table
    return Endpoint(key=key, method=method, path=path, allowed=allowed, data=data or {})


KIM = "/kim/kim-guntung-paikat"
MANAGE = "/kim/kelola/kim-guntung-paikat"
API_KIM = "/api/v1/kim/kim-guntung-paikat"

ENDPOINTS = [
    E("core:set_language", "/bahasa/?language=en&next=/", PUBLIC),
    # --- platform pages
    E("core:home", "/", PUBLIC),
    E("core:healthz", "/healthz", PUBLIC),
    E("core:web_manifest", "/manifest.webmanifest", PUBLIC),
    E("set_language", "/i18n/setlang/", PUBLIC, "POST", {"language": "en", "next": "/"}),
    E("accounts:login", "/akun/masuk/", PUBLIC),
    E("accounts:logout", "/akun/keluar/", PUBLIC, "POST"),
    E("accounts:signup", "/akun/daftar/", PUBLIC),
    E("accounts:profile", "/akun/profil/", LOGGED_IN),
    E("accounts:password_change", "/akun/kata-sandi/ubah/", LOGGED_IN),
    E("accounts:password_reset", "/akun/kata-sandi/lupa/", PUBLIC),
    E("accounts:password_reset_done", "/akun/kata-sandi/lupa/terkirim/", PUBLIC),
    E("accounts:password_reset_confirm", "/akun/kata-sandi/atur/MQ/invalid-token/", PUBLIC),
    E("accounts:password_reset_complete", "/akun/kata-sandi/atur/selesai/", PUBLIC),
    E("accounts:tokens", "/akun/token/", LOGGED_IN),
    E("accounts:token_revoke", "/akun/token/{token_id}/cabut/", TOKEN_OWNER, "POST"),
    E("wilayah:index", "/wilayah/", PUBLIC),
    E("wilayah:search", "/wilayah/cari/?q=paikat", PUBLIC),
    E("wilayah:region", "/wilayah/63.72/", PUBLIC),
    E("audit:event_list", "/audit/", PEMBINA_ANYWHERE),
    # --- KIM public pages
    E("kim:directory", "/kim/", PUBLIC),
    E("kim:map_geojson", "/kim/peta.geojson", PUBLIC),
    E("kim:region_selects", "/kim/pilih-wilayah/?provinsi=63", PUBLIC),
    E("kim:profile", f"{KIM}/", PUBLIC),
    E("kim:public_document", f"{KIM}/dokumen/{{public_document_id}}/", PUBLIC),
    E("kim:propose", "/kim/usulkan/", PUBLIC),
    E("kim:propose_thanks", "/kim/usulkan/terkirim/", PUBLIC),
    # --- KIM management
    E("kim:manage_list", "/kim/kelola/", KIM_WORKERS),
    E("kim:manage_detail", f"{MANAGE}/", KIM_MANAGERS),
    E("kim:manage_formation", f"{MANAGE}/pembentukan/", KIM_PEMBINA),
    E("kim:manage_register", f"{MANAGE}/daftarkan/", KIM_PEMBINA, "POST"),
    E("kim:manage_status", f"{MANAGE}/status/", KIM_PEMBINA, "POST", {"to_status": "tidak_aktif", "note": "uji"}),
    E("kim:manage_profile", f"{MANAGE}/profil/", KIM_MANAGERS),
    E("kim:manage_documents", f"{MANAGE}/dokumen/", KIM_MANAGERS),
    E("kim:manage_document_download", f"{MANAGE}/dokumen/{{private_document_id}}/unduh/", KIM_MANAGERS),
    E("kim:manage_document_visibility", f"{MANAGE}/dokumen/{{private_document_id}}/publik/", KIM_MANAGERS, "POST"),
    E("kim:manage_document_delete", f"{MANAGE}/dokumen/{{private_document_id}}/hapus/", KIM_MANAGERS, "POST"),
    # --- members, board, groups
    E("kim:member_list", f"{KIM}/anggota/", KIM_INSIDERS),  # anggota see counts only
    E("kim:member_add", f"{KIM}/anggota/tambah/", KIM_MANAGERS),
    E("kim:member_edit", f"{KIM}/anggota/{{member_id}}/ubah/", KIM_MANAGERS),
    E("kim:member_deactivate", f"{KIM}/anggota/{{member_id}}/nonaktifkan/", KIM_MANAGERS, "POST"),
    E("kim:member_export_csv", f"{KIM}/anggota/ekspor.csv", KIM_MANAGERS),
    E("kim:member_export_xlsx", f"{KIM}/anggota/ekspor.xlsx", KIM_MANAGERS),
    E("kim:member_import", f"{KIM}/anggota/impor/", KIM_MANAGERS),
    E("kim:member_import_template", f"{KIM}/anggota/impor/contoh.csv", KIM_MANAGERS),
    E("kim:member_import_detail", f"{KIM}/anggota/impor/{{import_id}}/", KIM_MANAGERS),
    E("kim:member_import_progress", f"{KIM}/anggota/impor/{{import_id}}/progres/", KIM_MANAGERS),
    E("kim:member_import_confirm", f"{KIM}/anggota/impor/{{import_id}}/konfirmasi/", KIM_MANAGERS, "POST"),
    E("kim:board", f"{KIM}/pengurus/", KIM_INSIDERS),
    E("kim:board_term_add", f"{KIM}/pengurus/periode-baru/", KIM_MANAGERS),
    E("kim:board_term_end", f"{KIM}/pengurus/{{term_id}}/akhiri/", KIM_MANAGERS, "POST"),
    E("kim:group_list", f"{KIM}/kelompok/", KIM_INSIDERS),
    E("kim:group_add", f"{KIM}/kelompok/tambah/", KIM_MANAGERS),
    E("kim:group_edit", f"{KIM}/kelompok/{{group_id}}/ubah/", KIM_MANAGERS),
    E("kim:group_delete", f"{KIM}/kelompok/{{group_id}}/hapus/", KIM_MANAGERS, "POST"),
    # --- Forum KIM
    E("forums:list", "/forum/", PUBLIC),
    E("forums:detail", "/forum/{forum_slug}/", PUBLIC),
    E("forums:create", "/forum/baru/", PEMBINA_ANYWHERE),
    E("forums:manage", "/forum/{forum_slug}/kelola/", KIM_PEMBINA),
    E("forums:edit", "/forum/{forum_slug}/kelola/ubah/", KIM_PEMBINA, "POST"),
    E("forums:add_kim", "/forum/{forum_slug}/kelola/kim/", KIM_PEMBINA, "POST"),
    E("forums:remove_kim", "/forum/{forum_slug}/kelola/kim/kim-guntung-paikat/keluarkan/", KIM_PEMBINA, "POST"),
    E("forums:board", "/forum/{forum_slug}/kelola/pengurus/", KIM_PEMBINA),
    # --- API
    E("GET /api/v1/openapi.json", "/api/v1/openapi.json", PUBLIC),
    E("GET /api/v1/docs", "/api/v1/docs", PUBLIC),
    E("GET /api/v1/wilayah/", "/api/v1/wilayah/", PUBLIC),
    E("GET /api/v1/wilayah/search", "/api/v1/wilayah/search?q=paikat", PUBLIC),
    E("GET /api/v1/wilayah/{code}", "/api/v1/wilayah/63.72", PUBLIC),
    E("GET /api/v1/wilayah/{code}/children", "/api/v1/wilayah/63.72/children", PUBLIC),
    E("GET /api/v1/accounts/me", "/api/v1/accounts/me", LOGGED_IN),
    E("GET /api/v1/accounts/tokens", "/api/v1/accounts/tokens", LOGGED_IN),
    E("POST /api/v1/accounts/tokens", "/api/v1/accounts/tokens", LOGGED_IN, "POST", {"name": "uji"}),
    E("DELETE /api/v1/accounts/tokens/{token_id}", "/api/v1/accounts/tokens/{token_id}", TOKEN_OWNER, "DELETE"),
    E("GET /api/v1/audit/events", "/api/v1/audit/events", PEMBINA_ANYWHERE),
    E("GET /api/v1/kim/", "/api/v1/kim/", PUBLIC),
    E("GET /api/v1/kim/map", "/api/v1/kim/map", PUBLIC),
    E("GET /api/v1/kim/{slug}", API_KIM, PUBLIC),
    E("GET /api/v1/kim/manage", "/api/v1/kim/manage", KIM_WORKERS),
    E(
        "POST /api/v1/kim/proposals",
        "/api/v1/kim/proposals",
        LOGGED_IN,
        "POST",
        {
            "name": "KIM Uji",
            "village_code": "63.72.05.1001",
            "proposer_name": "Uji",
            "proposer_contact": "uji@contoh.id",
        },
    ),
    E(
        "POST /api/v1/kim/{slug}/formation",
        f"{API_KIM}/formation",
        KIM_PEMBINA,
        "POST",
        {
            "held_on": "2018-07-27",
            "place": "Aula",
            "attendees_count": "30",
            "decree_number": "1",
            "decree_date": "2018-08-01",
            "decree_pdf": "@pdf",
        },
    ),
    E("POST /api/v1/kim/{slug}/register", f"{API_KIM}/register", KIM_PEMBINA, "POST"),
    E(
        "POST /api/v1/kim/{slug}/status",
        f"{API_KIM}/status",
        KIM_PEMBINA,
        "POST",
        {"to_status": "tidak_aktif", "note": "uji"},
    ),
    E("GET /api/v1/kim/{slug}/profile", f"{API_KIM}/profile", KIM_MANAGERS),
    E("PATCH /api/v1/kim/{slug}/profile", f"{API_KIM}/profile", KIM_MANAGERS, "PATCH", {"about": "Tentang kami"}),
    E("GET /api/v1/kim/{slug}/documents", f"{API_KIM}/documents", KIM_MANAGERS),
    E(
        "POST /api/v1/kim/{slug}/documents",
        f"{API_KIM}/documents",
        KIM_MANAGERS,
        "POST",
        {"kind": "other", "title": "Notulen", "file": "@pdf"},
    ),
    E(
        "PATCH /api/v1/kim/{slug}/documents/{document_id}",
        f"{API_KIM}/documents/{{private_document_id}}",
        KIM_MANAGERS,
        "PATCH",
        {"is_public": True},
    ),
    E(
        "DELETE /api/v1/kim/{slug}/documents/{document_id}",
        f"{API_KIM}/documents/{{private_document_id}}",
        KIM_MANAGERS,
        "DELETE",
    ),
    E("GET /api/v1/kim/{slug}/members", f"{API_KIM}/members", KIM_MANAGERS),
    E("POST /api/v1/kim/{slug}/members", f"{API_KIM}/members", KIM_MANAGERS, "POST", {"name": "Budi"}),
    E("GET /api/v1/kim/{slug}/members/counts", f"{API_KIM}/members/counts", KIM_INSIDERS),
    E("GET /api/v1/kim/{slug}/members/{member_id}", f"{API_KIM}/members/{{member_id}}", KIM_MANAGERS),
    E(
        "PATCH /api/v1/kim/{slug}/members/{member_id}",
        f"{API_KIM}/members/{{member_id}}",
        KIM_MANAGERS,
        "PATCH",
        {"occupation": "Petani"},
    ),
    E("DELETE /api/v1/kim/{slug}/members/{member_id}", f"{API_KIM}/members/{{member_id}}", KIM_MANAGERS, "DELETE"),
    E("GET /api/v1/kim/{slug}/members/export", f"{API_KIM}/members/export?format=csv", KIM_MANAGERS),
    E("POST /api/v1/kim/{slug}/members/import", f"{API_KIM}/members/import", KIM_MANAGERS, "POST", {"file": "@csv"}),
    E(
        "GET /api/v1/kim/{slug}/members/import/{import_id}",
        f"{API_KIM}/members/import/{{import_id}}",
        KIM_MANAGERS,
    ),
    E(
        "POST /api/v1/kim/{slug}/members/import/{import_id}/confirm",
        f"{API_KIM}/members/import/{{import_id}}/confirm",
        KIM_MANAGERS,
        "POST",
    ),
    E("GET /api/v1/kim/{slug}/board", f"{API_KIM}/board", KIM_INSIDERS),
    E(
        "POST /api/v1/kim/{slug}/board/terms",
        f"{API_KIM}/board/terms",
        KIM_MANAGERS,
        "POST",
        {"starts_on": "2030-01-01", "positions": []},
    ),
    E("GET /api/v1/kim/{slug}/groups", f"{API_KIM}/groups", KIM_INSIDERS),
    E("POST /api/v1/kim/{slug}/groups", f"{API_KIM}/groups", KIM_MANAGERS, "POST", {"name": "Dusun Mekar"}),
    E("GET /api/v1/forums/", "/api/v1/forums/", PUBLIC),
    E(
        "POST /api/v1/forums/",
        "/api/v1/forums/",
        KIM_PEMBINA,
        "POST",
        {"name": "Forum KIM Kecamatan Cempaka", "level": "kecamatan", "region": "63.72.03"},
    ),
    E("GET /api/v1/forums/{slug}", "/api/v1/forums/{forum_slug}", PUBLIC),
    E("GET /api/v1/forums/{slug}/kims", "/api/v1/forums/{forum_slug}/kims", PUBLIC),
    E(
        "POST /api/v1/forums/{slug}/kims",
        "/api/v1/forums/{forum_slug}/kims",
        KIM_PEMBINA,
        "POST",
        {"kim": "kim-guntung-paikat"},
    ),
    E(
        "DELETE /api/v1/forums/{slug}/kims/{kim_slug}",
        "/api/v1/forums/{forum_slug}/kims/kim-guntung-paikat",
        KIM_PEMBINA,
        "DELETE",
    ),
    E("PUT /api/v1/forums/{slug}/board", "/api/v1/forums/{forum_slug}/board", KIM_PEMBINA, "PUT", {"seats": []}),
    # --- Diseminasi
    E("dissemination:feed", "/diseminasi/", PUBLIC),
    E("dissemination:public_detail", "/diseminasi/buletin/{published_bulletin_id}/", PUBLIC),
    E("dissemination:rss", "/diseminasi/rss/", PUBLIC),
    E("dissemination:atom", "/diseminasi/atom/", PUBLIC),
    E("dissemination:kim_rss", "/diseminasi/kim/kim-guntung-paikat/rss/", PUBLIC),
    E("dissemination:kim_atom", "/diseminasi/kim/kim-guntung-paikat/atom/", PUBLIC),
    E("dissemination:region_rss", "/diseminasi/wilayah/63.72/rss/", PUBLIC),
    E("dissemination:region_atom", "/diseminasi/wilayah/63.72/atom/", PUBLIC),
    E("dissemination:category_rss", "/diseminasi/kategori/kesehatan/rss/", PUBLIC),
    E("dissemination:category_atom", "/diseminasi/kategori/kesehatan/atom/", PUBLIC),
    E("dissemination:print_pdf", "/diseminasi/buletin/{published_bulletin_id}/cetak.pdf", PUBLIC),
    # A published bulletin's files are public (the scene's bulletin has none: 404 for everybody is
    # "denied", so they are checked for drafts instead: only its managers get past the check).
    E("dissemination:attachment", "/diseminasi/buletin/{draft_bulletin_id}/lampiran/", KIM_PEMBINA),
    E("dissemination:image", "/diseminasi/buletin/{draft_bulletin_id}/gambar/", KIM_PEMBINA),
    E("dissemination:manage_list", "/diseminasi/kelola/", LOGGED_IN),  # lists only what each may manage
    E("dissemination:manage_new", "/diseminasi/kelola/baru/?publisher=office:{office_id}", KIM_PEMBINA),
    E("dissemination:manage_detail", "/diseminasi/kelola/{draft_bulletin_id}/", KIM_PEMBINA),
    E("dissemination:manage_edit", "/diseminasi/kelola/{draft_bulletin_id}/ubah/", KIM_PEMBINA),
    E("dissemination:manage_progress", "/diseminasi/kelola/{draft_bulletin_id}/progres/", KIM_PEMBINA),
    E("dissemination:manage_publish", "/diseminasi/kelola/{draft_bulletin_id}/terbitkan/", KIM_PEMBINA, "POST"),
    E("dissemination:manage_correct", "/diseminasi/kelola/{published_bulletin_id}/ralat/", KIM_PEMBINA, "POST"),
    E("dissemination:inbox", "/diseminasi/kotak-masuk/kim-guntung-paikat/", KIM_MANAGERS),
    E(
        "dissemination:inbox_redisseminate",
        "/diseminasi/kotak-masuk/kim-guntung-paikat/{inbox_item_id}/sebarkan/",
        KIM_MANAGERS,
        "POST",
    ),
    # Provider webhooks answer only a valid signature or secret header, which no actor has.
    E("dissemination:webhook_whatsapp", "/diseminasi/webhook/whatsapp/", NOBODY, "POST", {"object": "x"}),
    E("dissemination:webhook_telegram", "/diseminasi/webhook/telegram/", NOBODY, "POST", {"update_id": "1"}),
    E("dissemination:webhook_sms", "/diseminasi/webhook/sms/", NOBODY, "POST", {"type": "status"}),
    # The opt-out link works for whoever holds it (it arrives in the member's own messages).
    E("dissemination:optout", "/diseminasi/berhenti/{optout_token}/", PUBLIC),
    # A tracked link works for whoever holds it; a forged one is a 404 for everybody.
    E("dissemination:tracked_link", "{tracked_link_path}", PUBLIC),
    # The web push link works for whoever holds it (the pengurus sends it to the member); the
    # service worker is public.
    E("dissemination:push_service_worker", "/diseminasi/sw.js", PUBLIC),
    E("dissemination:push_subscribe", "/diseminasi/notifikasi/{push_token}/", PUBLIC),
    E("dissemination:push_save", "/diseminasi/notifikasi/{push_token}/langganan/", PUBLIC, "POST"),
    E("dissemination:push_delete", "/diseminasi/notifikasi/{push_token}/matikan/", PUBLIC, "POST"),
    E(
        "dissemination:offline_report",
        "/diseminasi/kotak-masuk/kim-guntung-paikat/{published_bulletin_id}/laporan/",
        KIM_MANAGERS,
    ),
    E("dissemination:reach", "/diseminasi/kelola/{published_bulletin_id}/jangkauan/", KIM_PEMBINA),
    E("dissemination:reach_csv", "/diseminasi/kelola/{published_bulletin_id}/jangkauan.csv", KIM_PEMBINA),
    E("dissemination:reach_xlsx", "/diseminasi/kelola/{published_bulletin_id}/jangkauan.xlsx", KIM_PEMBINA),
    E("dissemination:region_reach", "/diseminasi/jangkauan/?region=63.72", KIM_PEMBINA),
    E("dissemination:region_reach_csv", "/diseminasi/jangkauan.csv?region=63.72", KIM_PEMBINA),
    E("dissemination:region_reach_xlsx", "/diseminasi/jangkauan.xlsx?region=63.72", KIM_PEMBINA),
    E(
        "GET /api/v1/dissemination/bulletins/{pk}/offline-reports",
        "/api/v1/dissemination/bulletins/{published_bulletin_id}/offline-reports",
        KIM_PEMBINA,
    ),
    E(
        "POST /api/v1/dissemination/bulletins/{pk}/offline-reports",
        "/api/v1/dissemination/bulletins/{published_bulletin_id}/offline-reports",
        KIM_MANAGERS,
        "POST",
        {
            "kim": "kim-guntung-paikat",
            "place_type": "mosque",
            "place_name": "Masjid Al-Falah",
            "held_on": "2026-11-20",
            "people_reached": 40,
        },
    ),
    E(
        "GET /api/v1/dissemination/bulletins/{pk}/reach/regions",
        "/api/v1/dissemination/bulletins/{published_bulletin_id}/reach/regions",
        KIM_PEMBINA,
    ),
    E("GET /api/v1/dissemination/reach/regions/{code}", "/api/v1/dissemination/reach/regions/63.72", KIM_PEMBINA),
    # --- aspirations
    E("aspirations:list", "/aspirasi/", PUBLIC),
    E("aspirations:map_geojson", "/aspirasi/peta.geojson", PUBLIC),
    E("aspirations:region_selects", "/aspirasi/pilih-wilayah/?provinsi=63", PUBLIC),
    E("aspirations:submit", "/aspirasi/baru/", PUBLIC),
    E(
        "aspirations:similar",
        "/aspirasi/baru/serupa/",
        PUBLIC,
        "POST",
        {"desa": "63.72.05.1004", "category": "infrastruktur", "text": "jalan rusak"},
    ),
    E("aspirations:track_lookup", "/aspirasi/lacak/", PUBLIC),
    E("aspirations:track", "/aspirasi/lacak/{aspiration_code}/", PUBLIC),
    E("aspirations:receipt", "/aspirasi/lacak/{aspiration_code}/terkirim/", PUBLIC),
    E("aspirations:photo", "/aspirasi/lacak/{aspiration_code}/foto/{aspiration_photo_id}/", PUBLIC),
    E("aspirations:support", "/aspirasi/lacak/{aspiration_code}/dukung/", LOGGED_IN, "POST"),
    E("aspirations:correct", "/aspirasi/lacak/{aspiration_code}/koreksi/", AUTHOR, "POST", {"text": "Tambahan"}),
    E("aspirations:confirm", "/aspirasi/lacak/{aspiration_code}/selesai/", AUTHOR, "POST"),
    E("aspirations:rate", "/aspirasi/lacak/{aspiration_code}/nilai/", AUTHOR, "POST", {"rating": "5"}),
    E(
        "aspirations:reopen",
        "/aspirasi/lacak/{aspiration_code}/buka-kembali/",
        AUTHOR,
        "POST",
        {"reason": "Belum beres"},
    ),
    E("aspirations:report", "/aspirasi/lacak/{aspiration_code}/laporkan/", PUBLIC - AUTHOR),
    E("aspirations:moderation", "/aspirasi/moderasi/", KIM_WORKERS),
    E("aspirations:moderation_hide", "/aspirasi/moderasi/{aspiration_code}/sembunyikan/", KIM_MANAGERS, "POST"),
    E("aspirations:moderation_unhide", "/aspirasi/moderasi/{aspiration_code}/tampilkan/", KIM_MANAGERS, "POST"),
    E("aspirations:moderation_dismiss", "/aspirasi/moderasi/{aspiration_code}/abaikan/", KIM_MANAGERS, "POST"),
    E("GET /api/v1/aspirations/moderation", "/api/v1/aspirations/moderation", KIM_WORKERS),
    E(
        "POST /api/v1/aspirations/{code}/abuse-reports",
        "/api/v1/aspirations/{aspiration_code}/abuse-reports",
        PUBLIC,
        "POST",
        {"reason": "spam", "device_key": "matriks0device0key0"},
    ),
    E(
        "POST /api/v1/aspirations/{code}/moderation",
        "/api/v1/aspirations/{aspiration_code}/moderation",
        KIM_MANAGERS,
        "POST",
        {"action": "dismiss"},
    ),
    E("aspirations:desk", "/aspirasi/meja/", DESK_WORKERS),
    E("aspirations:case", "/aspirasi/meja/{aspiration_code}/", KIM_MANAGERS),
    E(
        "aspirations:case_verify",
        "/aspirasi/meja/{aspiration_code}/verifikasi/",
        frozenset({"ketua_guntung_paikat", "national_admin"}),
        "POST",
    ),
    E(
        "aspirations:case_reject",
        "/aspirasi/meja/{aspiration_code}/tolak/",
        KIM_MANAGERS,
        "POST",
        {"reject-reason": "spam"},
    ),
    E("aspirations:case_forward", "/aspirasi/meja/{aspiration_code}/teruskan/", KIM_PEMBINA, "POST"),
    E(
        "aspirations:case_follow_up",
        "/aspirasi/meja/{aspiration_code}/tindak-lanjut/",
        OFFICE_OFFICERS,
        "POST",
        {"follow_up-note": "x"},
    ),
    E(
        "aspirations:case_answer",
        "/aspirasi/meja/{aspiration_code}/jawab/",
        OFFICE_OFFICERS,
        "POST",
        {"answer-answer": "x"},
    ),
    E(
        "aspirations:case_not_our_remit",
        "/aspirasi/meja/{aspiration_code}/bukan-wewenang/",
        OFFICE_OFFICERS,
        "POST",
        {"not_our_remit-note": "x"},
    ),
    E("aspirations:inbound_email", "/aspirasi/masuk/email/", NOBODY, "POST", {"x": "1"}),
    E("aspirations:dashboard", "/aspirasi/dasbor/?region=63.72", KIM_PEMBINA),
    E("aspirations:dashboard_csv", "/aspirasi/dasbor.csv?region=63.72", KIM_PEMBINA),
    E("aspirations:dashboard_xlsx", "/aspirasi/dasbor.xlsx?region=63.72", KIM_PEMBINA),
    E(
        "POST /api/v1/aspirations/",
        "/api/v1/aspirations/",
        PUBLIC,
        "POST",
        {
            "region": "63.72.05.1004",
            "category": "infrastruktur",
            "text": "Jalan rusak",
            "contact_phone": "081351000999",
        },
    ),
    E("GET /api/v1/aspirations/", "/api/v1/aspirations/", LOGGED_IN),
    E("GET /api/v1/aspirations/track/{code}", "/api/v1/aspirations/track/{aspiration_code}", PUBLIC),
    E("GET /api/v1/aspirations/{code}", "/api/v1/aspirations/{aspiration_code}", ASPIRATION_READERS),
    E(
        "POST /api/v1/aspirations/{code}/transitions",
        "/api/v1/aspirations/{aspiration_code}/transitions",
        KIM_MANAGERS,
        "POST",
        {"action": "reject", "reason": "spam"},
    ),
    E(
        "POST /api/v1/aspirations/{code}/rating",
        "/api/v1/aspirations/{aspiration_code}/rating",
        AUTHOR,
        "POST",
        {"rating": 5},
    ),
    E("POST /api/v1/aspirations/{code}/support", "/api/v1/aspirations/{aspiration_code}/support", LOGGED_IN, "POST"),
    E(
        "GET /api/v1/aspirations/dashboard/offices/{slug}",
        "/api/v1/aspirations/dashboard/offices/{aspiration_office_slug}",
        KIM_PEMBINA,
    ),
    E("GET /api/v1/aspirations/dashboard/regions/{code}", "/api/v1/aspirations/dashboard/regions/63.72", KIM_PEMBINA),
    E("GET /api/v1/dissemination/bulletins", "/api/v1/dissemination/bulletins", LOGGED_IN),
    E(
        "POST /api/v1/dissemination/bulletins",
        "/api/v1/dissemination/bulletins",
        KIM_PEMBINA,
        "POST",
        {"publisher_type": "office", "publisher_id": "@office_id", "title": "Uji", "body_markdown": "Isi"},
    ),
    E("GET /api/v1/dissemination/bulletins/{pk}", "/api/v1/dissemination/bulletins/{draft_bulletin_id}", KIM_PEMBINA),
    E(
        "PUT /api/v1/dissemination/bulletins/{pk}",
        "/api/v1/dissemination/bulletins/{draft_bulletin_id}",
        KIM_PEMBINA,
        "PUT",
        {"title": "Uji", "body_markdown": "Isi"},
    ),
    E(
        "DELETE /api/v1/dissemination/bulletins/{pk}",
        "/api/v1/dissemination/bulletins/{draft_bulletin_id}",
        KIM_PEMBINA,
        "DELETE",
    ),
    E(
        "GET /api/v1/dissemination/bulletins/{pk}/audience",
        "/api/v1/dissemination/bulletins/{draft_bulletin_id}/audience",
        KIM_PEMBINA,
    ),
    E(
        "POST /api/v1/dissemination/bulletins/{pk}/publish",
        "/api/v1/dissemination/bulletins/{draft_bulletin_id}/publish",
        KIM_PEMBINA,
        "POST",
        {},
    ),
    E(
        "POST /api/v1/dissemination/bulletins/{pk}/correct",
        "/api/v1/dissemination/bulletins/{published_bulletin_id}/correct",
        KIM_PEMBINA,
        "POST",
        {"title": "Ralat", "body_markdown": "Isi yang benar"},
    ),
    E(
        "GET /api/v1/dissemination/bulletins/{pk}/reach",
        "/api/v1/dissemination/bulletins/{published_bulletin_id}/reach",
        KIM_PEMBINA,
    ),
    E(
        "GET /api/v1/dissemination/bulletins/{pk}/deliveries",
        "/api/v1/dissemination/bulletins/{published_bulletin_id}/deliveries",
        KIM_PEMBINA,
    ),
    # --- KIP: Daftar Informasi Publik pages
    E("kip:register_index", "/informasi/daftar/?q=apbd&category=berkala&region=63.72", PUBLIC),
    E("kip:register_body", "/informasi/daftar/{kip_body_slug}/?q=apbd", PUBLIC),
    E("kip:register_document", "/informasi/daftar/{kip_body_slug}/{kip_entry_id}/dokumen/", PUBLIC),
    E("kip:register_manage", "/informasi/kelola-daftar/", REGISTER_KEEPERS),
    E("kip:register_manage_body", "/informasi/kelola-daftar/{kip_body_slug}/", OFFICE_OFFICERS),
    E("kip:register_entry_create", "/informasi/kelola-daftar/{kip_body_slug}/baru/", OFFICE_OFFICERS),
    E("kip:register_entry_edit", "/informasi/kelola-daftar/{kip_body_slug}/{kip_entry_id}/ubah/", OFFICE_OFFICERS),
    E(
        "kip:register_entry_withdraw",
        "/informasi/kelola-daftar/{kip_body_slug}/{kip_entry_id}/tarik/",
        OFFICE_OFFICERS,
        "POST",
    ),
    # --- KIP API: requests (the scene's request was filed by warga_guntung_paikat, decided, objected
    # to, answered and taken to the Komisi Informasi; no actor is the body's PPID or atasan PPID)
    E(
        "POST /api/v1/kip/requests",
        "/api/v1/kip/requests",
        LOGGED_IN,
        "POST",
        {
            "body": "@kip_body_slug",
            "requester_name": "Siti Aminah",
            "requester_id_number": "6372054101900002",
            "requester_address": "Guntung Paikat, Banjarbaru",
            "requester_phone": "081351000002",
            "information": "Profil kesehatan 2026",
            "purpose": "Penelitian",
        },
    ),
    E("GET /api/v1/kip/requests", "/api/v1/kip/requests", LOGGED_IN),
    E("GET /api/v1/kip/requests/track/{code}", "/api/v1/kip/requests/track/{kip_tracking_code}", PUBLIC),
    E("GET /api/v1/kip/requests/{pk}", "/api/v1/kip/requests/{kip_request_id}", KIP_READERS),
    E("GET /api/v1/kip/requests/{pk}/receipt", "/api/v1/kip/requests/{kip_request_id}/receipt", AUTHOR),
    E(
        "GET /api/v1/kip/requests/{pk}/documents/{document_id}",
        "/api/v1/kip/requests/{kip_request_id}/documents/{kip_response_document_id}",
        AUTHOR,
    ),
    E("POST /api/v1/kip/requests/{pk}/register", "/api/v1/kip/requests/{kip_request_id}/register", NOBODY, "POST"),
    E(
        "POST /api/v1/kip/requests/{pk}/extend",
        "/api/v1/kip/requests/{kip_request_id}/extend",
        NOBODY,
        "POST",
        {"reason": "Dokumen masih dikumpulkan dari puskesmas."},
    ),
    E(
        "POST /api/v1/kip/requests/{pk}/decision",
        "/api/v1/kip/requests/{kip_request_id}/decision",
        NOBODY,
        "POST",
        {"outcome": "granted_full", "documents": "@pdf"},
    ),
    E(
        "POST /api/v1/kip/requests/{pk}/publish",
        "/api/v1/kip/requests/{kip_request_id}/publish",
        OFFICE_OFFICERS,
        "POST",
        {"title": "Profil kesehatan 2026"},
    ),
    E(
        "POST /api/v1/kip/requests/{pk}/objection",
        "/api/v1/kip/requests/{kip_request_id}/objection",
        AUTHOR,
        "POST",
        {"grounds": ["e"], "statement": "Informasi tidak lengkap."},
    ),
    E(
        "POST /api/v1/kip/requests/{pk}/objection/answer",
        "/api/v1/kip/requests/{kip_request_id}/objection/answer",
        NOBODY,
        "POST",
        {"answer": "Keberatan diterima."},
    ),
    E(
        "POST /api/v1/kip/requests/{pk}/dispute",
        "/api/v1/kip/requests/{kip_request_id}/dispute",
        AUTHOR,
        "POST",
        {"commission": "Komisi Informasi Provinsi Kalimantan Selatan"},
    ),
    E(
        "POST /api/v1/kip/requests/{pk}/dispute/outcome",
        "/api/v1/kip/requests/{kip_request_id}/dispute/outcome",
        AUTHOR,
        "POST",
        {"outcome": "mediated"},
    ),
    # --- KIP API: registers
    E("GET /api/v1/kip/registers", "/api/v1/kip/registers", PUBLIC),
    E("GET /api/v1/kip/registers/{slug}/entries", "/api/v1/kip/registers/{kip_body_slug}/entries?q=profil", PUBLIC),
    E(
        "GET /api/v1/kip/registers/{slug}/entries/{entry_id}",
        "/api/v1/kip/registers/{kip_body_slug}/entries/{kip_entry_id}",
        PUBLIC,
    ),
    E("GET /api/v1/kip/registers/{slug}/manage", "/api/v1/kip/registers/{kip_body_slug}/manage", OFFICE_OFFICERS),
    E(
        "POST /api/v1/kip/registers/{slug}/entries",
        "/api/v1/kip/registers/{kip_body_slug}/entries",
        OFFICE_OFFICERS,
        "POST",
        {"category": "berkala", "title": "LPJ 2025", "year": "2025", "document": "@pdf"},
    ),
    E(
        "PATCH /api/v1/kip/registers/{slug}/entries/{entry_id}",
        "/api/v1/kip/registers/{kip_body_slug}/entries/{kip_entry_id}",
        OFFICE_OFFICERS,
        "PATCH",
        {"title": "Profil kesehatan 2026 (perubahan)"},
    ),
    E(
        "POST /api/v1/kip/registers/{slug}/entries/{entry_id}/document",
        "/api/v1/kip/registers/{kip_body_slug}/entries/{kip_entry_id}/document",
        OFFICE_OFFICERS,
        "POST",
        {"document": "@pdf"},
    ),
    E(
        "POST /api/v1/kip/registers/{slug}/entries/{entry_id}/withdraw",
        "/api/v1/kip/registers/{kip_body_slug}/entries/{kip_entry_id}/withdraw",
        OFFICE_OFFICERS,
        "POST",
    ),
    # --- KIP: requester pages
    E("kip:index", "/informasi/?provinsi=63&kabupaten=63.72&q=kesehatan", PUBLIC),
    E("kip:request_new", "/informasi/minta/?badan={kip_body_slug}", PUBLIC),
    E("kip:mine", "/informasi/saya/", LOGGED_IN),
    E("kip:track_lookup", "/informasi/lacak/?kode={kip_tracking_code}", PUBLIC),
    E("kip:track", "/informasi/lacak/{kip_tracking_code}/", PUBLIC),
    E("kip:filed", "/informasi/lacak/{kip_tracking_code}/terdaftar/", PUBLIC),
    E("kip:receipt_pdf", "/informasi/lacak/{kip_tracking_code}/tanda-terima.pdf", AUTHOR),
    E(
        "kip:objection",
        "/informasi/lacak/{kip_tracking_code}/keberatan/",
        AUTHOR,
        "POST",
        {"grounds": "e", "statement": "Uji"},
    ),
    E(
        "kip:response_document",
        "/informasi/lacak/{kip_tracking_code}/dokumen/{kip_response_document_id}/",
        AUTHOR,
    ),
    # --- KIP: the PPID desk and the atasan PPID
    E("kip:desk", "/informasi/meja/", PEMBINA_ANYWHERE | {"ppid"}),
    E("kip:desk_case", "/informasi/meja/{kip_request_ref}/", KIM_PEMBINA),
    E("kip:desk_register", "/informasi/meja/{kip_request_ref}/daftarkan/", NOBODY, "POST"),
    E(
        "kip:desk_extend",
        "/informasi/meja/{kip_request_ref}/perpanjang/",
        NOBODY,
        "POST",
        {"extend-reason": "Dokumen masih dikumpulkan."},
    ),
    E(
        "kip:desk_decide",
        "/informasi/meja/{kip_request_ref}/putuskan/",
        NOBODY,
        "POST",
        {"decide-outcome": "granted_full"},
    ),
    E(
        "kip:desk_publish",
        "/informasi/meja/{kip_request_ref}/terbitkan/",
        frozenset({"national_admin"}),
        "POST",
        {"publish-title": "Uji"},
    ),
    E("kip:desk_answer", "/informasi/meja/{kip_request_ref}/keberatan/jawab/", NOBODY, "POST", {"answer-answer": "x"}),
    E("kip:desk_dispute", "/informasi/meja/{kip_request_ref}/sengketa/", NOBODY, "POST", {"dispute-commission": "KI"}),
    E(
        "kip:desk_dispute_outcome",
        "/informasi/meja/{kip_request_ref}/sengketa/putusan/",
        NOBODY,
        "POST",
        {"dispute_outcome-outcome": "mediated"},
    ),
    E("kip:desk_document", "/informasi/meja/{kip_request_ref}/dokumen/{kip_response_document_id}/", NOBODY),
    E("kip:atasan", "/informasi/atasan/", NOBODY),
    # --- KIP: statistics and the annual PPID report (public aggregates)
    E("kip:stats", "/informasi/statistik/?region=63.72&year=2026", PUBLIC),
    E("kip:stats_csv", "/informasi/statistik.csv?region=63.72&year=2026", PUBLIC),
    E("kip:stats_xlsx", "/informasi/statistik.xlsx?body={kip_body_slug}&year=2026", PUBLIC),
    E("kip:annual_report", "/informasi/laporan/{kip_body_slug}/2026/", PUBLIC),
    E("kip:annual_report_pdf", "/informasi/laporan/{kip_body_slug}/2026.pdf", PUBLIC),
    E("kip:annual_report_xlsx", "/informasi/laporan/{kip_body_slug}/2026.xlsx", PUBLIC),
    E("GET /api/v1/kip/stats", "/api/v1/kip/stats?region=63.72&year=2026", PUBLIC),
    E("GET /api/v1/kip/reports/{slug}/{year}", "/api/v1/kip/reports/{kip_body_slug}/2026", PUBLIC),
]

# Endpoints that are not answered by our permission rules at all.
# core:public_media is covered by sikim/core/tests/test_public_media.py.
NOT_IN_MATRIX = {"api:api-root", "api:openapi-json", "api:openapi-view", "core:public_media"}


def _page_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"}:
                continue
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _page_names(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _api_operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


def test_every_endpoint_is_in_the_matrix():
    listed = {endpoint.key for endpoint in ENDPOINTS}
    existing = set(_page_names(get_resolver().url_patterns)) | set(_api_operations())
    missing = sorted(existing - listed - NOT_IN_MATRIX)
    assert not missing, f"add these endpoints to the permission matrix: {missing}"
    stale = sorted(listed - existing - {"GET /api/v1/openapi.json", "GET /api/v1/docs"})
    assert not stale, f"these matrix entries no longer exist: {stale}"


def _kip_scene(request):
    """A request of warga_guntung_paikat to a public body of Kota Banjarbaru: decided with a
    response PDF, objected to, answered by the atasan PPID and taken to the Komisi Informasi; and a
    published register entry with its PDF. Nobody among ACTORS is the body's PPID or atasan."""
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from sikim.accounts.models import Role
    from sikim.accounts.tests.factories import UserFactory
    from sikim.kip.models import AtasanPpid, RegisterCategory, RegisterEntry
    from sikim.kip.services.objections import dispute_record, objection_answer, objection_file
    from sikim.kip.services.requests import request_decide, request_file
    from sikim.offices.models import GovernmentOffice
    from sikim.offices.tests.conftest import make_officer

    body = GovernmentOffice.objects.create(
        slug="dinas-kesehatan-kota-banjarbaru", name="Dinas Kesehatan Kota Banjarbaru", region_id="63.72"
    )
    body_ppid = make_officer(body, "PPID Dinkes", "ppid.dinkes.banjarbaru@sikim.test", Role.PPID)
    atasan = UserFactory(full_name="Kepala Dinkes", email="kadinkes.banjarbaru@sikim.test")
    AtasanPpid.objects.create(body=body, user=atasan)
    start = timezone.now() - timedelta(days=3)
    kip_request = request_file(
        actor=request.getfixturevalue("warga_guntung_paikat"),
        now=start,
        body=body,
        requester_name="Siti Aminah",
        requester_id_number="6372054101900002",
        requester_address="Guntung Paikat, Banjarbaru",
        requester_phone="081351000002",
        information="Profil kesehatan Kota Banjarbaru 2026",
        purpose="Penelitian",
    )
    decision = request_decide(
        actor=body_ppid,
        request=kip_request,
        outcome="granted_full",
        response_text="Profil terlampir.",
        documents=[SimpleUploadedFile("profil.pdf", PDF, content_type="application/pdf")],
        now=start + timedelta(hours=1),
    )
    objection = objection_file(
        actor=kip_request.requester_user,
        request=kip_request,
        grounds=["d"],
        statement="Bukan yang diminta.",
        now=start + timedelta(hours=2),
    )
    objection_answer(actor=atasan, objection=objection, answer="PPID melengkapi.", now=start + timedelta(hours=3))
    dispute_record(actor=body_ppid, objection=objection, commission="Komisi Informasi Provinsi Kalimantan Selatan")
    entry = RegisterEntry.objects.create(
        body=body,
        category=RegisterCategory.BERKALA,
        title="Profil kesehatan 2026",
        year=2026,
        document=ContentFile(PDF, name="profil.pdf"),
        is_published=True,
        published_at=timezone.now(),
    )
    return {
        "kip_body_slug": body.slug,
        "kip_request_id": kip_request.pk,
        "kip_request_ref": kip_request.registration_number,
        "kip_tracking_code": kip_request.tracking_code,
        "kip_response_document_id": decision.documents.get().pk,
        "kip_entry_id": entry.pk,
    }


def _aspiration_scene(request, national_admin):
    """A verified public aspiration of warga_guntung_paikat with one photo, and an office of the city."""
    import io

    from PIL import Image

    from sikim.aspirations.services.submission import aspiration_submit
    from sikim.aspirations.services.workflow import aspiration_verify
    from sikim.offices.models import GovernmentOffice

    office = GovernmentOffice.objects.create(
        slug="dinas-pupr-kota-banjarbaru", name="Dinas PUPR Kota Banjarbaru", region_id="63.72"
    )
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(picture, format="JPEG")
    aspiration = aspiration_submit(
        actor=request.getfixturevalue("warga_guntung_paikat"),
        region="63.72.05.1004",
        category="infrastruktur",
        title="Jalan rusak di depan SDN",
        text="Jalan berlubang di depan SDN Guntung Paikat.",
        photos=[SimpleUploadedFile("jalan.jpg", picture.getvalue(), content_type="image/jpeg")],
    )
    aspiration_verify(actor=national_admin, aspiration=aspiration)  # no routing rule: stays diverifikasi
    return aspiration, office


@pytest.fixture
def scene(request, kim_guntung_paikat, pembina_office_banjarbaru, national_admin):
    """The objects every endpoint acts on, all inside KIM Guntung Paikat."""
    from sikim.forums.models import ForumMembership, KimForum

    kim = kim_guntung_paikat
    member = KimMember.objects.create(kim=kim, name="Siti Rahmah", phone="+6281351009999", email="siti@contoh.id")
    term = BoardTerm.objects.create(kim=kim, starts_on="2024-01-01")
    BoardPosition.objects.create(term=term, member=member, position=BoardPositionKind.KETUA)
    group = DisseminationGroup.objects.create(kim=kim, name="RT 03 / RW 02", coordinator=member)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from django.core.files.base import ContentFile

    public_document = KimDocument.objects.create(
        kim=kim, kind=DocumentKind.SK, title="SK", file=ContentFile(pdf, name="sk.pdf"), is_public=True
    )
    private_document = KimDocument.objects.create(
        kim=kim, kind=DocumentKind.OTHER, title="Internal", file=ContentFile(pdf, name="internal.pdf"), is_public=False
    )
    member_import = MemberImport.objects.create(
        kim=kim, original_name="anggota.csv", file=ContentFile(b"nama,telepon\nA,081351000111\n", name="a.csv")
    )
    forum = KimForum.objects.create(
        name="Forum KIM Kota Banjarbaru", slug="forum-kim-kota-banjarbaru", level="kabupaten_kota", region_id="63.72"
    )
    ForumMembership.objects.create(forum=forum, kim=kim)
    token = generate_token()
    api_token = ApiToken.objects.create(user=national_admin, name="t", prefix=token[:12], token_hash=hash_token(token))
    assert ContentType.objects.get_for_model(kim)
    from sikim.dissemination.models import Bulletin, BulletinStatus, KimInboxItem

    draft = Bulletin.objects.create(
        pembina_office=pembina_office_banjarbaru,
        title="Draf",
        body_markdown="Isi",
        region_code="63.72",
        attachment=ContentFile(PDF, name="lampiran.pdf"),
        image=ContentFile(b"\xff\xd8\xff\xe0 a stored picture", name="gambar.jpg"),
    )
    published = Bulletin.objects.create(
        pembina_office=pembina_office_banjarbaru,
        title="Terbit",
        body_markdown="Isi",
        body_html="<p>Isi</p>",
        region_code="63.72",
        status=BulletinStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    inbox_item = KimInboxItem.objects.create(bulletin=published, kim=kim)
    from sikim.dissemination.models import Delivery
    from sikim.dissemination.services.optout import optout_token
    from sikim.dissemination.services.push import push_token
    from sikim.dissemination.services.tracking import tracked_link

    delivery = Delivery.objects.create(bulletin=published, member=member, channel="sms")
    aspiration, aspiration_office = _aspiration_scene(request, national_admin)
    return {
        **_kip_scene(request),
        "aspiration_code": aspiration.code,
        "aspiration_photo_id": aspiration.photos.get().pk,
        "aspiration_office_slug": aspiration_office.slug,
        "tracked_link_path": "/" + tracked_link(delivery).split("/", 3)[3],
        "optout_token": optout_token(member, "sms"),
        "push_token": push_token(member),
        "office_id": pembina_office_banjarbaru.pk,
        "draft_bulletin_id": draft.pk,
        "published_bulletin_id": published.pk,
        "inbox_item_id": inbox_item.pk,
        "member_id": member.pk,
        "term_id": term.pk,
        "group_id": group.pk,
        "public_document_id": public_document.pk,
        "private_document_id": private_document.pk,
        "import_id": member_import.pk,
        "forum_slug": forum.slug,
        "token_id": api_token.pk,
    }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = b"nama,telepon\nAni,081351000222\n"


def _request(client, endpoint: Endpoint, scene: dict) -> object:
    path = endpoint.path.format(**scene)
    method = endpoint.method.lower()
    if method == "get":
        return client.get(path)
    if not path.startswith("/api/"):
        return getattr(client, method)(path, endpoint.data)
    # API writes get a well-formed body, so what answers is the permission check and not
    # the validation of an empty body.
    uploads = {"@pdf": ("file.pdf", PDF), "@csv": ("anggota.csv", CSV)}
    if any(isinstance(value, str) and value in uploads for value in endpoint.data.values()):
        form = {}
        for key, value in endpoint.data.items():
            if isinstance(value, str) and value in uploads:
                name, content = uploads[value]
                form[key] = SimpleUploadedFile(name, content)
            else:
                form[key] = value
        return client.post(path, form)
    body = {
        key: scene[value[1:]] if isinstance(value, str) and value[1:] in scene else value
        for key, value in endpoint.data.items()
    }
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _was_denied(response, anonymous: bool) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return anonymous and response.status_code == 302 and "/akun/masuk/" in response.get("Location", "")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.key)
def test_permission_matrix(client, request, scene, endpoint: Endpoint, actor: str):
    anonymous = actor == "anonymous"
    if not anonymous:
        login(client, request.getfixturevalue(actor))
    response = _request(client, endpoint, scene)
    assert response.status_code < 500, f"{endpoint.key} as {actor}: {response.status_code}"
    denied = _was_denied(response, anonymous)
    if actor in endpoint.allowed:
        assert not denied, f"{actor} should reach {endpoint.key}, got {response.status_code}"
    else:
        assert denied, f"{actor} must not reach {endpoint.key}, got {response.status_code}"
