"""The printable bulletin: an A4 PDF for the village notice board, with a QR code to the web page."""

import io
import re
import threading
import urllib.request
import zlib
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import qrcode
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone, translation
from PIL import Image

from sikim.dissemination.models import Bulletin, BulletinCategory, BulletinStatus, Priority
from sikim.dissemination.printing import bulletin_print_html, html_to_pdf

pytestmark = pytest.mark.django_db

SITE = "https://sikim.banjarbarukota.go.id"


@pytest.fixture
def published(pembina_office_banjarbaru) -> Bulletin:
    return Bulletin.objects.create(
        pembina_office=pembina_office_banjarbaru,
        title="Imunisasi Polio Serentak",
        body_markdown="Bawa buku KIA.",
        body_html="<p>Bawa <strong>buku KIA</strong> ke posyandu.</p>",
        category=BulletinCategory.KESEHATAN,
        priority=Priority.URGENT,
        region_code="63.72",
        status=BulletinStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        valid_from=timezone.now() - timedelta(hours=1),
        valid_until=timezone.now() + timedelta(days=7),
    )


def _pdf_streams(pdf: bytes) -> bytes:
    """The PDF's streams, inflated (WeasyPrint compresses pages and object streams)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return pdf + b"\n".join(out)


def _dark_modules_in_svg(svg: str) -> set[tuple[int, int]]:
    """The dark modules an SvgPathImage draws: one unit square "Mx,yH…V…H…z" per module."""
    return {(int(float(x)), int(float(y))) for x, y in re.findall(r"M([\d.]+),([\d.]+)H", svg)}


def _dark_modules_of(data: str) -> set[tuple[int, int]]:
    """The QR matrix of `data`, straight from the encoder (the same defaults, border 2)."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    code.make(fit=True)
    return {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark}


def test_the_pdf_is_an_a4_page_titled_with_the_bulletin(client, published):
    response = client.get(f"/diseminasi/buletin/{published.pk}/cetak.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="buletin-sikim-{published.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    inflated = _pdf_streams(response.content)
    assert b"/MediaBox [0 0 595.275591 841.889764]" in inflated  # A4 in points
    assert b"/Title (Imunisasi Polio Serentak)" in inflated


@override_settings(SITE_URL=SITE)
def test_the_printed_page_holds_everything_for_the_notice_board(published):
    with translation.override("en"):
        html = bulletin_print_html(published)
    url = f"{SITE}/diseminasi/buletin/{published.pk}/"
    assert "<h1>Imunisasi Polio Serentak</h1>" in html
    assert "Dinas Komunikasi dan Informatika Kota Banjarbaru" in html
    assert "Health" in html and "Urgent" in html
    assert "<p>Bawa <strong>buku KIA</strong> ke posyandu.</p>" in html
    assert published.valid_until is not None
    assert timezone.localtime(published.valid_until).strftime("%Y") in html
    assert f'<p class="url">{url}</p>' in html
    assert "Source: SIKIM" in html
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert _dark_modules_in_svg(svg) == _dark_modules_of(url)
    assert _dark_modules_in_svg(svg) != _dark_modules_of(f"{SITE}/diseminasi/buletin/{published.pk + 1}/")


def test_the_printout_speaks_indonesian_by_default(client, published):
    html = bulletin_print_html(published)
    assert "Kesehatan" in html


def test_a_correction_and_an_emergency_are_marked(published):
    published.priority = Priority.EMERGENCY
    published.save()
    correction = Bulletin.objects.create(
        pembina_office=published.pembina_office,
        title="Ralat jadwal",
        body_markdown="x",
        body_html="<p>x</p>",
        region_code="63.72",
        status=BulletinStatus.PUBLISHED,
        published_at=timezone.now(),
        priority=Priority.EMERGENCY,
        corrects=published,
    )
    with translation.override("en"):
        html = bulletin_print_html(correction)
    assert 'class="banner banner-emergency">Emergency' in html
    assert 'class="banner banner-correction">Correction' in html


def test_the_picture_is_embedded(client, published):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    published.image.save("poster.png", ContentFile(buffer.getvalue()), save=True)
    html = bulletin_print_html(published)
    assert '<img src="data:image/png;base64,' in html
    pdf = client.get(f"/diseminasi/buletin/{published.pk}/cetak.pdf").content
    assert b"/Subtype /Image" in _pdf_streams(pdf)


def test_a_missing_picture_file_is_skipped(client, published):
    published.image.name = "dissemination/images/hilang.png"
    published.save()
    assert "data:image" not in bulletin_print_html(published)
    assert client.get(f"/diseminasi/buletin/{published.pk}/cetak.pdf").status_code == 200


@pytest.mark.parametrize("status", [BulletinStatus.DRAFT, BulletinStatus.SCHEDULED, BulletinStatus.EXPIRED])
def test_only_published_bulletins_print(client, published, status):
    published.status = status
    published.publish_at = timezone.now() + timedelta(days=1)
    published.save()
    assert client.get(f"/diseminasi/buletin/{published.pk}/cetak.pdf").status_code == 404


def test_an_unknown_bulletin_does_not_print(client, regions):
    assert client.get("/diseminasi/buletin/999999/cetak.pdf").status_code == 404


def test_the_public_page_links_to_the_printout(client, published):
    body = client.get(f"/diseminasi/buletin/{published.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/diseminasi/buletin/{published.pk}/cetak.pdf"' in body
    assert "Print for the notice board" in body


# --- Rendering never leaves the machine --------------------------------------------------------
class _CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{color:red}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join()


def test_remote_and_local_files_are_never_fetched(http_server, tmp_path):
    base, hits = http_server
    picture = tmp_path / "local.png"
    Image.new("RGB", (10, 10)).save(picture)
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body><p>x</p>'
        f'<img src="{base}/remote.png"><img src="file://{picture}"></body></html>'
    )
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert hits == []
    assert b"/Subtype /Image" not in _pdf_streams(pdf)
    # The same server is reachable, so it was the fetcher that refused, not the network.
    with urllib.request.urlopen(f"{base}/probe.css") as answer:  # noqa: S310 - our own 127.0.0.1 server
        assert answer.status == 200
    assert hits == ["/probe.css"]
