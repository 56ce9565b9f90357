"""/healthz: what load balancers and monitoring ask. 200 when the database and the queue answer."""

from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage


@pytest.fixture
def url() -> str:
    return reverse("core:healthz")


@pytest.mark.django_db
def test_it_is_healthy_when_database_and_queue_answer(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "vendor": connection.vendor},
        "queue": {"ok": True, "backend": type(HUEY.storage).__name__, "pending": 0},
    }


@pytest.mark.django_db
def test_it_refuses_writes(client, url):
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_it_is_unavailable_when_the_queue_does_not_answer(client, url, monkeypatch):
    # A Redis queue on a port where nothing listens: a real connection failure.
    monkeypatch.setattr(HUEY, "storage", RedisStorage(HUEY.name, url="redis://127.0.0.1:1/0"))

    response = client.get(url)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["queue"] == {"ok": False, "error": "ConnectionError"}


@pytest.mark.django_db(transaction=True)
def test_it_is_unavailable_when_the_database_does_not_answer(client, url, monkeypatch, tmp_path: Path):
    # Reconnect to a database that cannot be reached: a file in a folder that does not exist,
    # or a server port where nothing listens. (A transactional test: no open transaction to spoil.)
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "missing" / "db.sqlite3"))
    else:
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    connection.close()
    try:
        response = client.get(url)
    finally:
        connection.close()  # reconnect to the real test database once monkeypatch has undone the damage

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["queue"]["ok"] is True
