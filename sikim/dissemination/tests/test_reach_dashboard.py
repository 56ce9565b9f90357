"""The reach pages: one bulletin per channel and per region, the region dashboard and its
exports, the live fan-out progress, and the reach shown in the KIM inbox."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import BANJARBARU, GUNTUNG_PAIKAT, login
from sikim.audit.models import AuditEvent
from sikim.dissemination.models import (
    Bulletin,
    BulletinStatus,
    Delivery,
    DeliveryStatus,
    FanOutRun,
    KimInboxItem,
)
from sikim.dissemination.selectors_reach import bulletin_region_reach, fanout_live, region_dashboard
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.inbox import kim_dissemination_setting_set
from sikim.dissemination.services.offline import offline_report_record
from sikim.dissemination.tests import bulletin_fixtures
from sikim.dissemination.tests.bulletin_fixtures import member

kim_landasan = bulletin_fixtures.kim_landasan  # a shared fixture

pytestmark = pytest.mark.django_db

GP_KECAMATAN = GUNTUNG_PAIKAT[:8]


def _published(bulletin: Bulletin, *, days_ago: int = 1) -> Bulletin:
    """Scene setup: mark a draft published without fanning it out (the deliveries are made by hand)."""
    published_at = timezone.now() - datetime.timedelta(days=days_ago)
    Bulletin.objects.filter(pk=bulletin.pk).update(status=BulletinStatus.PUBLISHED, published_at=published_at)
    bulletin.refresh_from_db()
    return bulletin


def _deliver(bulletin, kim, *pairs):
    """One member per (channel, status) pair... or several pairs for one member (a tuple of pairs)."""
    for pair in pairs:
        someone = member(kim)
        for channel, status in pair if isinstance(pair[0], tuple) else (pair,):
            Delivery.objects.create(bulletin=bulletin, member=someone, channel=channel, status=status)


def _report(actor, bulletin, kim, people, name="Masjid Al-Falah"):
    return offline_report_record(
        actor=actor,
        bulletin=bulletin,
        kim=kim,
        place_type="mosque",
        place_name=name,
        held_on=datetime.date(2026, 11, 20),
        people_reached=people,
    )


@pytest.fixture
def scene(pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, kim_landasan):
    """A city bulletin: 6 deliveries to Guntung Paikat, 2 to Landasan, two offline reports."""
    bulletin = bulletin_create(
        actor=pembina_banjarbaru,
        publisher=pembina_office_banjarbaru,
        title="=Vaksinasi polio",
        body_markdown="Di puskesmas.",
        category="kesehatan",
        regions=[BANJARBARU],
    )
    bulletin = _published(bulletin)
    for kim in (kim_guntung_paikat, kim_landasan):
        KimInboxItem.objects.create(bulletin=bulletin, kim=kim)
    S = DeliveryStatus  # noqa: N806
    _deliver(
        bulletin,
        kim_guntung_paikat,
        ("email", S.READ),
        (("email", S.DELIVERED), ("sms", S.SENT)),
        ("email", S.FAILED),
        ("sms", S.QUEUED),
    )
    _deliver(bulletin, kim_landasan, ("email", S.SENT), ("telegram", S.READ))
    _report(pembina_banjarbaru, bulletin, kim_guntung_paikat, 120, name="=HYPERLINK(evil)")
    _report(pembina_banjarbaru, bulletin, kim_landasan, 30)
    return bulletin


def _by_code(rows):
    return {row.code: row.figures for row in rows}


# --- one bulletin -------------------------------------------------------------------------
def test_bulletin_region_breakdown_is_one_level_below_the_publisher(scene, kim_landasan):
    rows = bulletin_region_reach(scene)
    codes = [row.code for row in rows]
    assert all(len(code) == 8 and code.startswith("63.72.") for code in codes)  # the kecamatan of the city
    assert GP_KECAMATAN in codes and kim_landasan.region_id[:8] in codes
    figures = _by_code(rows)
    gp = figures[GP_KECAMATAN]
    landasan_kec = kim_landasan.region_id[:8]
    assert landasan_kec != GP_KECAMATAN  # the scene spans two kecamatan
    assert gp.statuses == {"queued": 1, "sending": 0, "sent": 1, "delivered": 1, "read": 1, "failed": 1}
    assert (gp.reached_online, gp.offline_people, gp.total_reached) == (3, 120, 123)
    landasan = figures[landasan_kec]
    assert (landasan.reached_online, landasan.offline_people, landasan.total_reached) == (2, 30, 32)
    assert sum(f.total_reached for f in figures.values()) == 155
    assert sum(f.deliveries for f in figures.values()) == 7


def test_reach_page_shows_charts_per_channel_and_region(client, pembina_banjarbaru, scene):
    login(client, pembina_banjarbaru)
    response = client.get(reverse("dissemination:reach", kwargs={"pk": scene.pk}))
    assert response.status_code == 200
    assert response.context["reach"]["total_reached"] == 155
    assert response.context["reach"]["reached_online"] == 5
    html = response.content.decode()
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # charts need no JavaScript
    channels = response.context["channel_chart"]
    rows = {row.key: {bar.key: bar.value for bar in row.bars} for row in channels.rows}
    assert rows["email"]["read"] == 1 and rows["email"]["failed"] == 1 and rows["sms"]["queued"] == 1
    assert rows["offline"] == {"people": 150}
    # the largest bar is full length; the numbers are real text beside each bar
    assert max(bar.percent for row in channels.rows for bar in row.bars) == 100
    assert re.search(r'<data class="reach-bar-value" value="150">150</data>', html)
    regions = response.context["region_chart"]
    assert {row.key for row in regions.rows} >= {GP_KECAMATAN}
    assert reverse("dissemination:region_reach") in html
    assert "=HYPERLINK(evil)" in html  # shown as text on the page


def test_every_messaging_channel_appears(client, pembina_banjarbaru, scene, monkeypatch):
    """A channel added to MESSAGING_CHANNELS (web push, or any later one) shows on both reach pages
    without touching the reach code."""
    from sikim.dissemination import selectors, selectors_reach

    channels = [*selectors.MESSAGING_CHANNELS, "pigeon"]
    monkeypatch.setattr(selectors, "MESSAGING_CHANNELS", channels)
    monkeypatch.setattr(selectors_reach, "MESSAGING_CHANNELS", channels)
    login(client, pembina_banjarbaru)
    response = client.get(reverse("dissemination:reach", kwargs={"pk": scene.pk}))
    assert "pigeon" in {row.key for row in response.context["channel_chart"].rows}
    assert 'id="reach-pigeon"' in response.content.decode()
    dashboard = _dashboard(client)
    assert dashboard.context["dashboard"].channels["pigeon"]["total"] == 0
    assert "pigeon" in {row.key for row in dashboard.context["channel_chart"].rows}


def test_reach_page_queries_are_bounded(
    client, pembina_banjarbaru, scene, kim_guntung_paikat, django_assert_max_num_queries
):
    login(client, pembina_banjarbaru)
    url = reverse("dissemination:reach", kwargs={"pk": scene.pk})
    with django_assert_max_num_queries(12):
        client.get(url)
    _deliver(scene, kim_guntung_paikat, *[("whatsapp", DeliveryStatus.READ)] * 20)
    with django_assert_max_num_queries(12):
        assert client.get(url).context["reach"]["channels"]["whatsapp"]["read"] == 20


# --- the region dashboard -----------------------------------------------------------------
def _dashboard(client, **query):
    return client.get(reverse("dissemination:region_reach"), query)


def test_pembina_sees_their_city_by_default(client, pembina_banjarbaru, scene, kim_landasan):
    login(client, pembina_banjarbaru)
    response = _dashboard(client)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.period.code == BANJARBARU
    assert dashboard.bulletin_count == 1
    assert dashboard.totals.deliveries == 7
    assert (dashboard.totals.reached_online, dashboard.totals.offline_people) == (5, 150)
    assert dashboard.totals.total_reached == 155
    assert dashboard.channels["email"]["read"] == 1 and dashboard.channels["telegram"]["read"] == 1
    assert {row.code[:5] for row in dashboard.regions} == {BANJARBARU}  # per kecamatan
    [item] = dashboard.bulletins
    assert (item.bulletin, item.figures.total_reached) == (scene, 155)
    html = response.content.decode()
    assert 'id="total-reached"' in html and "155" in html
    # the kecamatan bars link one level down, keeping the period
    gp_row = next(row for row in response.context["region_chart"].rows if row.key == GP_KECAMATAN)
    assert f"region={GP_KECAMATAN}" in gp_row.href and "date_from=" in gp_row.href


def test_drill_down_to_a_kecamatan(client, pembina_banjarbaru, scene, kim_landasan):
    login(client, pembina_banjarbaru)
    response = _dashboard(client, region=GP_KECAMATAN)
    dashboard = response.context["dashboard"]
    figures = _by_code(dashboard.regions)
    assert all(len(code) == 13 for code in figures)  # per kelurahan
    gp = figures[GUNTUNG_PAIKAT]
    assert (gp.reached_online, gp.statuses["failed"], gp.statuses["queued"], gp.offline_people) == (3, 1, 1, 120)
    assert dashboard.totals.total_reached == 123  # Landasan lies in another kecamatan
    assert [region.code for region, _href in response.context["up_links"]] == [BANJARBARU]


def test_period_and_category_filter(client, pembina_banjarbaru, pembina_office_banjarbaru, scene, kim_guntung_paikat):
    old = _published(
        bulletin_create(
            actor=pembina_banjarbaru,
            publisher=pembina_office_banjarbaru,
            title="Lama",
            body_markdown="x",
            category="pertanian",
            kims=[kim_guntung_paikat],
        ),
        days_ago=45,
    )
    _deliver(old, kim_guntung_paikat, ("email", DeliveryStatus.READ))
    login(client, pembina_banjarbaru)
    assert _dashboard(client).context["dashboard"].bulletin_count == 1  # the last 30 days
    since = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    wide = _dashboard(client, date_from=since).context["dashboard"]
    assert (wide.bulletin_count, wide.totals.deliveries) == (2, 8)
    farming = _dashboard(client, date_from=since, category="pertanian").context["dashboard"]
    assert (farming.bulletin_count, farming.totals.deliveries) == (1, 1)
    backwards = _dashboard(client, date_from="2026-02-01", date_to="2026-01-01")
    assert backwards.status_code == 200 and backwards.context["form"].errors["date_to"]
    for bad in ({"date_from": "kemarin"}, {"date_to": "9999-12-31"}, {"category": "casino"}, {"region": "x'--"}):
        assert _dashboard(client, **bad).status_code == 200


@pytest.mark.parametrize("actor_name", ["outsider", "ketua_guntung_paikat", "stranger", "warga_guntung_paikat"])
def test_others_cannot_see_banjarbaru(client, request, actor_name, scene):
    login(client, request.getfixturevalue(actor_name))
    for name in ("region_reach", "region_reach_csv", "region_reach_xlsx"):
        response = client.get(reverse(f"dissemination:{name}"), {"region": BANJARBARU})
        assert response.status_code in (403, 404), name
    assert not AuditEvent.objects.filter(action="dissemination.region_reach_export").exists()


def test_outsider_sees_only_his_own_region(client, outsider, scene):
    login(client, outsider)
    response = _dashboard(client)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.period.code == "51.01"
    assert dashboard.bulletin_count == 0 and dashboard.totals.deliveries == 0
    assert "Vaksinasi" not in response.content.decode()


def test_unknown_region_is_404_and_anonymous_goes_to_login(client, national_admin, scene):
    assert Client().get(reverse("dissemination:region_reach")).status_code == 302
    login(client, national_admin)
    assert _dashboard(client, region="99.99").status_code == 404


def test_national_admin_sees_the_country_and_any_region(client, national_admin, scene):
    login(client, national_admin)
    country = _dashboard(client).context["dashboard"]
    assert country.period.region is None
    assert all(len(row.code) == 2 for row in country.regions)  # per province
    assert _by_code(country.regions)["63"].total_reached == 155
    city = _dashboard(client, region=BANJARBARU).context["dashboard"]
    assert city.totals.total_reached == 155


def test_dashboard_queries_are_bounded(
    client, pembina_banjarbaru, pembina_office_banjarbaru, scene, kim_guntung_paikat, django_assert_max_num_queries
):
    login(client, pembina_banjarbaru)
    with django_assert_max_num_queries(16):
        assert _dashboard(client).status_code == 200
    for i in range(5):
        more = _published(
            bulletin_create(
                actor=pembina_banjarbaru,
                publisher=pembina_office_banjarbaru,
                title=f"Buletin {i}",
                body_markdown="x",
                kims=[kim_guntung_paikat],
            )
        )
        _deliver(more, kim_guntung_paikat, ("email", DeliveryStatus.SENT), ("sms", DeliveryStatus.FAILED))
        KimInboxItem.objects.create(bulletin=more, kim=kim_guntung_paikat)
        _report(pembina_banjarbaru, more, kim_guntung_paikat, 5)
    with django_assert_max_num_queries(16):
        response = _dashboard(client)
    assert response.context["dashboard"].bulletin_count == 6


def test_csv_and_xlsx_exports_match_the_page(client, pembina_banjarbaru, scene):
    login(client, pembina_banjarbaru)
    page = _dashboard(client).context["dashboard"]
    response = client.get(reverse("dissemination:region_reach_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="jangkauan-63.72-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["region", BANJARBARU]
    assert ["bulletins", "1"] in rows
    total = next(r for r in rows if r and r[0] == "total")
    header = next(r for r in rows if r and r[0] == "region_code")
    assert int(total[header.index("total_reached") - 1]) == page.totals.total_reached == 155
    gp = next(r for r in rows if r and r[0] == GP_KECAMATAN)
    assert int(gp[header.index("reached_online")]) == _by_code(page.regions)[GP_KECAMATAN].reached_online
    bulletin_row = next(r for r in rows if r and r[0] == str(scene.pk))
    assert bulletin_row[2] == "'=Vaksinasi polio"  # no formula injection

    xlsx = client.get(reverse("dissemination:region_reach_xlsx"), {"category": "kesehatan"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [v for v in values if v and v[0] == "category"][0][:2] == ["category", "kesehatan"]
    xlsx_total = next(v for v in values if v and v[0] == "total")
    assert xlsx_total[header.index("total_reached") - 1] == 155
    assert next(v for v in values if v and v[0] == scene.pk)[2] == "'=Vaksinasi polio"
    assert AuditEvent.objects.filter(action="dissemination.region_reach_export").count() == 2


def test_region_dashboard_selector_without_deliveries(pembina_office_banjarbaru, regions):
    from sikim.dissemination.selectors_reach import ReachPeriod

    today = timezone.localdate()
    dashboard = region_dashboard(ReachPeriod(regions.get(pk=BANJARBARU), today, today))
    assert dashboard.bulletin_count == 0 and dashboard.totals.total_reached == 0
    assert len(dashboard.regions) == regions.filter(parent_id=BANJARBARU).count()


# --- live progress ------------------------------------------------------------------------
def test_progress_polls_while_sending_and_stops_when_done(
    client, pembina_banjarbaru, pembina_office_banjarbaru, ketua_guntung_paikat, kim_guntung_paikat,
    fake_smtp, django_capture_on_commit_callbacks,
):  # fmt: skip
    kim_dissemination_setting_set(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, mode="automatic", default_note="")
    member(kim_guntung_paikat, mail=True)
    member(kim_guntung_paikat, mail=True)
    bulletin = bulletin_create(
        actor=pembina_banjarbaru,
        publisher=pembina_office_banjarbaru,
        title="Kerja bakti",
        body_markdown="Minggu pagi.",
        kims=[kim_guntung_paikat],
    )
    with django_capture_on_commit_callbacks() as callbacks:
        bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    login(client, pembina_banjarbaru)
    progress_url = reverse("dissemination:manage_progress", kwargs={"pk": bulletin.pk})
    # published, the fan-out task not run yet: the run is pending, so the page polls
    assert fanout_live(bulletin)["running"]
    detail = client.get(reverse("dissemination:manage_detail", kwargs={"pk": bulletin.pk})).content.decode()
    assert 'hx-trigger="every 2s"' in detail and progress_url in detail
    assert 'hx-trigger="every 2s"' in client.get(progress_url).content.decode()
    for callback in callbacks:  # the fan-out runs (tasks run at once in tests) and sends to the fake SMTP
        callback()
    assert len(fake_smtp.messages) == 2
    run = FanOutRun.objects.get(bulletin=bulletin, kim__isnull=True)
    assert (run.created, run.total) == (2, 2)
    final = client.get(progress_url)
    html = final.content.decode()
    assert final.status_code == 200
    assert "hx-trigger" not in html and "hx-get" not in html
    assert 'data-running="false"' in html
    assert final.context["progress"]["statuses"]["sent"] == 2
    assert re.search(r'data-status="sent">[^<]*<strong>2</strong>', html)
    detail = client.get(reverse("dissemination:manage_detail", kwargs={"pk": bulletin.pk})).content.decode()
    assert "hx-trigger" not in detail
    assert reverse("dissemination:reach", kwargs={"pk": bulletin.pk}) in detail
    assert reverse("dissemination:reach_xlsx", kwargs={"pk": bulletin.pk}) in detail


def test_progress_keeps_polling_while_a_delivery_is_queued(client, pembina_banjarbaru, scene):
    FanOutRun.objects.create(bulletin=scene, status="sending", total=7, created=7)
    login(client, pembina_banjarbaru)
    url = reverse("dissemination:manage_progress", kwargs={"pk": scene.pk})
    assert 'hx-trigger="every 2s"' in client.get(url).content.decode()  # one SMS still queued
    Delivery.objects.filter(bulletin=scene, status=DeliveryStatus.QUEUED).update(status=DeliveryStatus.FAILED)
    assert "hx-trigger" not in client.get(url).content.decode()


def test_progress_is_404_for_outsiders(client, outsider, scene):
    login(client, outsider)
    assert client.get(reverse("dissemination:manage_progress", kwargs={"pk": scene.pk})).status_code == 404


# --- the KIM inbox --------------------------------------------------------------------------
def test_inbox_shows_reach_and_links(
    client, ketua_guntung_paikat, kim_guntung_paikat, scene, django_assert_max_num_queries
):
    login(client, ketua_guntung_paikat)
    url = reverse("dissemination:inbox", kwargs={"slug": kim_guntung_paikat.slug})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    [(item, reach)] = response.context["rows"]
    # four members got messages; two were reached (read; delivered and sent), one failed, one queued
    assert reach == {"members": 2, "offline_people": 120}
    assert response.context["member_count"] == 4
    html = response.content.decode()
    assert (
        reverse("dissemination:offline_report", kwargs={"slug": kim_guntung_paikat.slug, "bulletin_pk": scene.pk})
        in html
    )
    assert reverse("dissemination:public_detail", kwargs={"pk": scene.pk}) in html


# --- in the browser ---------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_region_dashboard_on_a_phone(page, scene, pembina_banjarbaru, kim_guntung_paikat):
    """At 360 px: no sideways scrolling, the numbers beside the bars, a kecamatan bar leads one level down."""
    from playwright.sync_api import expect

    from sikim.core.tests.browser import fits_the_phone, log_in

    log_in(page, pembina_banjarbaru)
    page.goto(reverse("dissemination:region_reach"))
    expect(page.locator("#total-reached strong")).to_have_text("155")
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")
    gp_row = page.locator(f'#chart-regions [data-key="{GP_KECAMATAN}"]')
    expect(gp_row.locator(".reach-bar-value").first).to_have_text("3")
    gp_row.get_by_role("link").click()
    expect(page.locator(f'#chart-regions [data-key="{GUNTUNG_PAIKAT}"]')).to_be_visible()
    expect(page.locator("#total-reached strong")).to_have_text("123")
    assert fits_the_phone(page)
    page.screenshot(path="/tmp/region-reach.png", full_page=True)  # noqa: S108 (looked at by people)
