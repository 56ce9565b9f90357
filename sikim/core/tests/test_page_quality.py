"""Every public page: light enough for 3G (< 100 KB without images), every field labelled,
and switchable between Bahasa Indonesia and English."""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from conftest import login

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/wilayah/", "/wilayah/63.72/", "/wilayah/63.72.05.1004/", "/akun/masuk/", "/akun/daftar/"]
PAGE_BUDGET_BYTES = 100 * 1024


class _AssetsAndFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.labels_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.assets.append(attributes["href"] or "")
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"] or "")
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.labels_for.add(attributes["for"] or "")
        if tag in {"input", "select", "textarea"}:
            kind = attributes.get("type", "text")
            if kind not in {"hidden", "submit", "button", "reset", "image"}:
                self.fields.append({**attributes, "_inside_label": "yes" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def _gzipped_size_of_static(url: str) -> int:
    relative = re.sub(r"^/static/", "", url.split("?")[0])
    path = finders.find(relative)
    assert path, f"static file {url} not found"
    return len(gzip.compress(Path(path).read_bytes()))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_is_under_budget_and_labelled(client, regions, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content
    parser = _AssetsAndFields()
    parser.feed(html.decode())
    # WhiteNoise serves compressed static files; the HTML is compressed by the proxy or not at
    # all, so count it uncompressed to stay on the safe side.
    total = len(html) + sum(_gzipped_size_of_static(asset) for asset in parser.assets)
    assert total < PAGE_BUDGET_BYTES, f"{url} weighs {total} bytes"
    for field in parser.fields:
        labelled = (
            field.get("_inside_label")
            or field.get("aria-label")
            or field.get("aria-labelledby")
            or (field.get("id") and field["id"] in parser.labels_for)
        )
        assert labelled, f"{url}: field {field.get('name')!r} has no label"


def test_indonesian_by_default_and_english_on_request(client, regions):
    body = client.get("/").content.decode()
    assert '<html lang="id">' in body
    assert "Masuk" in body
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_error_pages_speak_indonesian(client, regions, stranger):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    login(client, stranger)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


def test_server_error_page_needs_nothing_but_itself():
    template = Path(settings.BASE_DIR) / "templates" / "500.html"
    text = template.read_text()
    assert "{%" not in text and "Terjadi kesalahan" in text
