"""The public bulletin feed: what it holds, where it shows (home, region, KIM, /diseminasi/) and
its RSS/Atom feeds."""

from datetime import timedelta

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sikim.dissemination.models import (
    Bulletin,
    BulletinCategory,
    BulletinStatus,
    BulletinTarget,
    InboxStatus,
    KimInboxItem,
    Priority,
)
from sikim.dissemination.selectors_public import (
    FEED_BOX_SIZE,
    public_bulletins,
    public_bulletins_for_kim,
    public_bulletins_for_region,
)
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.tests.bulletin_fixtures import member
from sikim.kim.models import DisseminationGroup, Kim, KimStatus

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ATOM = "{http://www.w3.org/2005/Atom}"


def bulletin(publisher, title, *, status=BulletinStatus.PUBLISHED, ago=timedelta(hours=1), targets=(), **fields):
    """A bulletin row as the services leave it (published `ago` before now), with its targets."""
    kind = {"PembinaOffice": "pembina_office", "Kim": "kim", "KimForum": "forum"}[type(publisher).__name__]
    published = status in (BulletinStatus.PUBLISHED, BulletinStatus.EXPIRED)
    fields.setdefault("body_html", f"<p>Isi {title}</p>")
    row = Bulletin.objects.create(
        **{kind: publisher},
        title=title,
        body_markdown=title,
        region_code=publisher.region_id,
        status=status,
        published_at=timezone.now() - ago if published else None,
        publish_at=timezone.now() + timedelta(days=1) if status == BulletinStatus.SCHEDULED else None,
        **fields,
    )
    for target in targets:
        BulletinTarget.objects.create(bulletin=row, **target)
    return row


@pytest.fixture
def office(pembina_office_banjarbaru):
    return pembina_office_banjarbaru


# --- What the feed holds -------------------------------------------------------------------
def test_only_published_and_still_valid_bulletins_newest_first(office):
    older = bulletin(office, "Lama", ago=timedelta(days=2))
    newer = bulletin(office, "Baru", ago=timedelta(hours=1))
    still_valid = bulletin(
        office, "Masih berlaku", ago=timedelta(hours=5), valid_until=timezone.now() + timedelta(days=1)
    )
    bulletin(office, "Draf", status=BulletinStatus.DRAFT)
    bulletin(office, "Terjadwal", status=BulletinStatus.SCHEDULED)
    bulletin(office, "Kedaluwarsa", status=BulletinStatus.EXPIRED)
    bulletin(
        office,
        "Lewat masa berlaku",
        valid_from=timezone.now() - timedelta(days=3),
        valid_until=timezone.now() - timedelta(minutes=1),
    )
    assert list(public_bulletins()) == [newer, still_valid, older]


def test_category_filter(office):
    health = bulletin(office, "Posyandu", category=BulletinCategory.KESEHATAN)
    bulletin(office, "Musrenbang", category=BulletinCategory.PEMBANGUNAN)
    assert list(public_bulletins(category=BulletinCategory.KESEHATAN)) == [health]


def test_a_kim_feed_is_what_the_village_was_told(office, kim_guntung_paikat, kim_ekasari):
    own = bulletin(kim_guntung_paikat, "Kerja bakti RT 03")
    from_above = bulletin(office, "Imunisasi polio", targets=[{"region_id": "63.72"}])
    KimInboxItem.objects.create(bulletin=from_above, kim=kim_guntung_paikat, status=InboxStatus.RECEIVED)
    not_received = bulletin(office, "Untuk kelurahan lain", targets=[{"region_id": "63.72.05.1001"}])
    other_kim = bulletin(kim_ekasari, "Panen kakao")
    feed = set(public_bulletins_for_kim(kim_guntung_paikat))
    assert feed == {own, from_above}
    assert not_received not in feed and other_kim not in feed


def test_publishing_from_above_puts_the_bulletin_in_the_kim_feed(office, kim_guntung_paikat, pembina_banjarbaru):
    member(kim_guntung_paikat)
    draft = bulletin_create(
        actor=pembina_banjarbaru, publisher=office, title="Jadwal vaksinasi", body_markdown="Senin", regions=["63.72"]
    )
    assert not public_bulletins_for_kim(kim_guntung_paikat).exists()
    bulletin_publish(actor=pembina_banjarbaru, bulletin=draft)
    assert list(public_bulletins_for_kim(kim_guntung_paikat)) == [draft]


def test_a_region_feed_holds_what_concerns_the_region(office, kim_guntung_paikat, pembina_office_jembrana):
    province_wide = bulletin(office, "Seluruh provinsi", targets=[{"region_id": "63"}])
    city_wide = bulletin(office, "Seluruh kota", targets=[{"region_id": "63.72"}])
    one_village = bulletin(office, "Satu kelurahan", targets=[{"region_id": "63.72.05.1004"}])
    other_village = bulletin(office, "Kelurahan lain", targets=[{"region_id": "63.72.05.1001"}])
    by_kim_target = bulletin(office, "Untuk KIM", targets=[{"kim": kim_guntung_paikat}])
    group = DisseminationGroup.objects.create(kim=kim_guntung_paikat, name="RT 03")
    by_group_target = bulletin(office, "Untuk RT", targets=[{"group": group}])
    by_the_kim = bulletin(kim_guntung_paikat, "Dari KIM", targets=[{"kim": kim_guntung_paikat}])
    elsewhere = bulletin(pembina_office_jembrana, "Jembrana", targets=[{"region_id": "51.01"}])

    village = set(public_bulletins_for_region("63.72.05.1004"))
    assert village == {province_wide, city_wide, one_village, by_kim_target, by_group_target, by_the_kim}
    district = set(public_bulletins_for_region("63.72.05"))
    assert district == village | {other_village}
    assert set(public_bulletins_for_region("63")) == district
    assert set(public_bulletins_for_region("51")) == {elsewhere}
    # Another kabupaten of the same province hears only what was aimed at the whole province.
    assert set(public_bulletins_for_region("63.71")) == {province_wide}


def test_a_region_feed_has_no_duplicates_and_honours_the_category(office):
    both = bulletin(
        office,
        "Dua target",
        category=BulletinCategory.KESEHATAN,
        targets=[{"region_id": "63.72.05"}, {"region_id": "63.72.05.1004"}],
    )
    assert list(public_bulletins_for_region("63.72")) == [both]
    assert list(public_bulletins_for_region("63.72", category=BulletinCategory.KESEHATAN)) == [both]
    assert not public_bulletins_for_region("63.72", category=BulletinCategory.EKONOMI).exists()


# --- The feed boxes on other pages -----------------------------------------------------------
def test_home_shows_the_latest_with_emergencies_marked(client, office):
    for n in range(FEED_BOX_SIZE + 2):
        bulletin(office, f"Pengumuman {n}", ago=timedelta(hours=10 + n))
    bulletin(office, "Banjir di Landasan Ulin", priority=Priority.EMERGENCY, ago=timedelta(minutes=5))
    body = client.get("/", **EN).content.decode()
    assert "Banjir di Landasan Ulin" in body and "⚠ Emergency" in body
    assert "Pengumuman 0" in body and "Pengumuman 3" in body
    assert "Pengumuman 4" not in body  # five in the box, the newest first
    assert 'href="/diseminasi/">See all bulletins' in body
    assert '<link rel="alternate" type="application/rss+xml"' in body and 'href="/diseminasi/rss/"' in body


def test_region_page_shows_its_bulletins(client, office, pembina_office_jembrana):
    bulletin(office, "Imunisasi di Banjarbaru", targets=[{"region_id": "63.72"}])
    bulletin(pembina_office_jembrana, "Upacara di Jembrana", targets=[{"region_id": "51.01"}])
    body = client.get("/wilayah/63.72.05.1004/", **EN).content.decode()
    assert "Imunisasi di Banjarbaru" in body and "Upacara di Jembrana" not in body
    assert 'href="/diseminasi/wilayah/63.72.05.1004/rss/"' in body


def test_kim_profile_shows_its_feed(client, office, kim_guntung_paikat):
    own = bulletin(kim_guntung_paikat, "Kerja bakti Minggu")
    received = bulletin(office, "Vaksinasi", priority=Priority.URGENT)
    KimInboxItem.objects.create(bulletin=received, kim=kim_guntung_paikat)
    bulletin(office, "Tidak sampai ke sini")
    body = client.get("/kim/kim-guntung-paikat/", **EN).content.decode()
    assert f'href="/diseminasi/buletin/{own.pk}/"' in body and "Kerja bakti Minggu" in body
    assert "Vaksinasi" in body and "Urgent" in body
    assert "Tidak sampai ke sini" not in body


@pytest.mark.parametrize("url", ["/", "/wilayah/63.72/", "/kim/kim-guntung-paikat/"])
def test_feed_boxes_take_one_query_whatever_the_data(client, office, kim_guntung_paikat, url):
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        row = bulletin(office, f"B{n}", targets=[{"region_id": "63.72"}, {"kim": kim_guntung_paikat}])
        KimInboxItem.objects.create(bulletin=row, kim=kim_guntung_paikat)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --- /diseminasi/ ---------------------------------------------------------------------------
def test_feed_page_filters_by_category_and_region(client, office, pembina_office_jembrana):
    bulletin(office, "Posyandu Banjarbaru", category=BulletinCategory.KESEHATAN, targets=[{"region_id": "63.72"}])
    bulletin(office, "Pasar murah Banjarbaru", category=BulletinCategory.EKONOMI, targets=[{"region_id": "63.72"}])
    bulletin(pembina_office_jembrana, "Posyandu Jembrana", category=BulletinCategory.KESEHATAN)
    body = client.get("/diseminasi/", {"kategori": "kesehatan"}, **EN).content.decode()
    assert "Posyandu Banjarbaru" in body and "Posyandu Jembrana" in body and "Pasar murah" not in body
    body = client.get("/diseminasi/", {"kategori": "kesehatan", "wilayah": "63.72"}, **EN).content.decode()
    assert "Posyandu Banjarbaru" in body and "Posyandu Jembrana" not in body and "Pasar murah" not in body
    # The region select drills down: the chosen region, its ancestors and its children.
    assert '<option value="63.72" selected>' in body and '<option value="63">' in body
    assert '<option value="63.72.05">' in body
    assert 'href="/diseminasi/wilayah/63.72/rss/"' in body


def test_feed_page_of_a_kim(client, office, kim_guntung_paikat):
    own = bulletin(kim_guntung_paikat, "Rapat pengurus")
    bulletin(office, "Bukan untuk KIM ini")
    body = client.get("/diseminasi/", {"kim": "kim-guntung-paikat"}, **EN).content.decode()
    assert own.title in body and "Bukan untuk KIM ini" not in body
    assert 'href="/diseminasi/kim/kim-guntung-paikat/rss/"' in body


@pytest.mark.parametrize(
    "query",
    [
        {"kategori": "tidak-ada"},
        {"wilayah": "99.99"},
        {"wilayah": "x" * 5000},
        {"wilayah": "63.72'; DROP TABLE"},
        {"kim": "tidak-ada"},
        {"page": "-1"},
        {"page": "999999"},
        {"page": "abc"},
    ],
)
def test_feed_page_survives_bad_filters(client, office, query):
    bulletin(office, "Tetap tampil")
    response = client.get("/diseminasi/", query, **EN)
    assert response.status_code == 200
    assert "Tetap tampil" in response.content.decode()


def test_feed_page_paginates_with_the_filters_kept(client, office):
    for n in range(25):
        bulletin(office, f"Kesehatan {n}", category=BulletinCategory.KESEHATAN, ago=timedelta(minutes=n + 1))
    body = client.get("/diseminasi/", {"kategori": "kesehatan"}, **EN).content.decode()
    assert "Kesehatan 19" in body and "Kesehatan 20" not in body
    assert 'href="?kategori=kesehatan&amp;page=2"' in body
    body = client.get("/diseminasi/", {"kategori": "kesehatan", "page": 2}, **EN).content.decode()
    assert "Kesehatan 24" in body and "Kesehatan 0<" not in body


def test_feed_page_is_light_and_bounded(client, office, django_assert_max_num_queries):
    for n in range(40):
        bulletin(office, f"Buletin {n}", body_html="<p>" + "kata " * 400 + "</p>")
    with django_assert_max_num_queries(6):
        response = client.get("/diseminasi/", {"wilayah": "63.72"})
    assert len(response.content) < 60 * 1024


def test_public_page_of_a_corrected_bulletin_points_to_the_correction(client, office):
    original = bulletin(office, "Jadwal lama", ago=timedelta(hours=3))
    correction = bulletin(office, "Jadwal baru", corrects=original)
    body = client.get(f"/diseminasi/buletin/{original.pk}/", **EN).content.decode()
    assert "This bulletin has been corrected" in body and f"/diseminasi/buletin/{correction.pk}/" in body
    body = client.get(f"/diseminasi/buletin/{correction.pk}/", **EN).content.decode()
    assert "Correction" in body and f"/diseminasi/buletin/{correction.pk}/cetak.pdf" in body


def test_unpublished_bulletins_have_no_public_page(client, office):
    for status in (BulletinStatus.DRAFT, BulletinStatus.SCHEDULED, BulletinStatus.EXPIRED):
        row = bulletin(office, f"Tidak publik {status}", status=status)
        assert client.get(f"/diseminasi/buletin/{row.pk}/").status_code == 404


# --- RSS and Atom ----------------------------------------------------------------------------
def _rss_items(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    return [{child.tag: child.text or "" for child in item} for item in channel.findall("item")]


def test_rss_items_carry_markers_link_body_date_and_category(client, office):
    original = bulletin(office, "Jadwal posyandu", ago=timedelta(hours=2), category=BulletinCategory.KESEHATAN)
    correction = bulletin(
        office, "Jadwal posyandu diubah", corrects=original, priority=Priority.EMERGENCY, ago=timedelta(hours=1)
    )
    bulletin(office, "Draf rahasia", status=BulletinStatus.DRAFT)
    items = _rss_items(client.get("/diseminasi/rss/", **EN))
    assert [item["title"] for item in items] == ["[CORRECTION] [EMERGENCY] Jadwal posyandu diubah", "Jadwal posyandu"]
    first = items[0]
    assert first["link"] == f"http://testserver/diseminasi/buletin/{correction.pk}/"
    assert first["description"] == "<p>Isi Jadwal posyandu diubah</p>"
    assert first["category"] == "Government"
    assert first["pubDate"].endswith(("+0700", "+0000"))
    assert items[1]["category"] == "Health"


def test_rss_is_indonesian_by_default(client, office):
    bulletin(office, "Siaga banjir", priority=Priority.URGENT)
    response = client.get("/diseminasi/rss/")
    assert b"<language>id</language>" in response.content


def test_atom_feed(client, office):
    row = bulletin(office, "Atom", priority=Priority.URGENT)
    response = client.get("/diseminasi/atom/", **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["[URGENT] Atom"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver/diseminasi/buletin/{row.pk}/"
    assert entries[0].findtext(f"{ATOM}summary") == "<p>Isi Atom</p>"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_scoped_feeds(client, office, kim_guntung_paikat, pembina_office_jembrana, kind):
    own = bulletin(kim_guntung_paikat, "Dari KIM", category=BulletinCategory.SOSIAL_BUDAYA)
    city = bulletin(office, "Untuk kota", targets=[{"region_id": "63.72"}], category=BulletinCategory.KESEHATAN)
    bulletin(pembina_office_jembrana, "Jembrana", targets=[{"region_id": "51.01"}])

    def titles(url: str) -> set[str]:
        response = client.get(url, **EN)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        if kind == "rss":
            return {item.findtext("title") or "" for item in root.iter("item")}
        return {entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")}

    assert titles(f"/diseminasi/kim/kim-guntung-paikat/{kind}/") == {own.title}
    assert titles(f"/diseminasi/wilayah/63.72/{kind}/") == {own.title, city.title}
    assert titles(f"/diseminasi/wilayah/51/{kind}/") == {"Jembrana"}
    assert titles(f"/diseminasi/kategori/kesehatan/{kind}/") == {city.title}


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    "path",
    ["kim/tidak-ada", "kim/kim-usulan", "wilayah/99.99", "wilayah/" + "9" * 300, "kategori/tidak-ada"],
)
def test_unknown_scopes_are_not_found(client, regions, kim_guntung_paikat, path, kind):
    Kim.objects.create(
        name="KIM Usulan",
        slug="kim-usulan",
        region_id="63.72.05.1001",
        pembina_office=kim_guntung_paikat.pembina_office,
        status=KimStatus.DIUSULKAN,
    )
    assert client.get(f"/diseminasi/{path}/{kind}/").status_code == 404


def test_feed_queries_are_bounded(client, office, django_assert_max_num_queries):
    for n in range(40):
        bulletin(office, f"B{n}", targets=[{"region_id": "63.72"}])
    with django_assert_max_num_queries(3):
        response = client.get("/diseminasi/wilayah/63.72/rss/")
    assert response.content.count(b"<item>") == 30
