"""The web app manifest and icons: SIKIM on a phone's home screen, and in a notification."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def _static_file(url: str) -> str:
    assert url.startswith("/static/"), url
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return str(path)


def test_the_manifest_names_sikim_and_opens_the_home_page(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=86400" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "SIKIM"
    assert manifest["name"] == "SIKIM — Kelompok Informasi Masyarakat"  # the default language
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["lang"] == "id"
    assert manifest["theme_color"] == "#0172ad"


def test_every_icon_of_the_manifest_is_there_at_its_size(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]
    assert {icon["purpose"] for icon in icons} == {"any", "maskable"}
    for icon in icons:
        path = _static_file(icon["src"])
        if icon["type"] == "image/svg+xml":
            assert icon["sizes"] == "any" and "<svg" in Path(path).read_text(encoding="utf-8")
            continue
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_it_speaks_english_to_an_english_browser(client):
    manifest = client.get("/manifest.webmanifest", headers={"Accept-Language": "en"}).json()
    assert manifest["lang"] == "en"
    assert manifest["name"] == "SIKIM — Community Information Groups"


def test_every_page_links_the_manifest_and_the_icons(client):
    body = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert '<meta name="theme-color" content="#0172ad">' in body
    for href in ("/static/img/sikim-icon.svg", "/static/img/sikim-192.png", "/static/img/apple-touch-icon.png"):
        assert f'href="{href}"' in body
        _static_file(href)


def test_the_notification_badge_is_the_sign_alone_on_transparency():
    """Android paints a badge from its alpha channel: a background would make a white square."""
    with Image.open(_static_file("/static/img/sikim-badge-96.png")) as badge:
        alpha = badge.convert("RGBA").getchannel("A")
        assert alpha.getpixel((0, 0)) == 0 and alpha.getpixel((48, 48)) == 255
