"""Photos sent with an aspiration by message: a Telegram photo or a WhatsApp image with a caption.

The caption is the message text (ASPIRASI <kategori> <teks>); the picture is fetched from the
provider by a task once the aspiration is made (`intake_photos`) and goes through the same checks
as a web upload (re-encoded, metadata stripped). Only the ids in the webhook are trusted, never
its mime type.

- Telegram: `getFile?file_id=…` gives a `file_path`, downloaded from
  `{SIKIM_TELEGRAM_API_URL}/file/bot<token>/<file_path>`. Of the sizes Telegram offers, the
  largest one within the limit is taken.
- WhatsApp Cloud API: `GET {SIKIM_WHATSAPP_API_URL}/<media id>` (Bearer token) gives a short-lived
  `url`, downloaded with the same token.

Every download is bounded: MEDIA_MAX_BYTES (the upload limit for pictures), SIKIM_CHANNEL_TIMEOUT
for the whole transfer, no redirects, and only from an allowed origin: the configured API URL's
own scheme, host and port, plus Meta's media CDN (WHATSAPP_MEDIA_HOSTS, over https) for WhatsApp.
A media URL pointing anywhere else is not fetched (the bearer token never leaves for another host).

Parsing and fetching only: no database. Failures raise MediaUnavailable; `intake_photos` then
tries again later, or leaves the aspiration without the photo.
"""

import http.client
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from sikim.accounts.phone import normalize_phone
from sikim.aspirations.services.intake_format import starts_with_keyword
from sikim.core.uploads import MAX_IMAGE_BYTES

MEDIA_MAX_BYTES: Final = MAX_IMAGE_BYTES
# Where WhatsApp serves media (the `url` of a media lookup), besides the Graph API host itself.
WHATSAPP_MEDIA_HOSTS: Final = frozenset({"lookaside.fbsbx.com"})
_MEDIA_ID: Final = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")
_FILE_PATH: Final = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$")
_CHUNK: Final = 64 * 1024
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
TELEGRAM: Final = "telegram"
WHATSAPP: Final = "whatsapp"


class MediaUnavailable(Exception):
    """The picture could not be fetched (not configured, refused, too large, too slow, not allowed)."""


@dataclass(frozen=True)
class MediaRef:
    """A picture held by the provider: a Telegram file_id or a WhatsApp media id."""

    provider: str  # TELEGRAM or WHATSAPP
    media_id: str
    size: int | None = None  # bytes, when the provider says


@dataclass(frozen=True)
class MediaMessage:
    """A captioned picture from a webhook: what the intake needs to make an aspiration of it."""

    source_ref: str  # Telegram "chat:message_id", WhatsApp wamid
    sender: str  # Telegram chat id, "+62…" on WhatsApp
    caption: str
    media: MediaRef


# --- webhooks -------------------------------------------------------------------------------------
def _size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        return None
    return size if size >= 0 else None


def _largest_photo(sizes: Any) -> MediaRef | None:
    """The largest PhotoSize within MEDIA_MAX_BYTES (by file_size, else by pixels)."""
    best: tuple[int, MediaRef] | None = None
    for item in sizes if isinstance(sizes, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("file_id"), str):
            continue
        size = _size(item.get("file_size"))
        if size is not None and size > MEDIA_MAX_BYTES:
            continue
        pixels = (_size(item.get("width")) or 0) * (_size(item.get("height")) or 0)
        rank = size if size is not None else pixels
        if best is None or rank > best[0]:
            best = (rank, MediaRef(TELEGRAM, item["file_id"][:200], size))
    return best[1] if best is not None else None


def telegram_photo_message(update: Any) -> MediaMessage | None:
    """A private-chat photo whose caption opens with the keyword, or None."""
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict):
        return None
    chat = message.get("chat")
    caption = message.get("caption")
    if not isinstance(chat, dict) or chat.get("type") != "private" or chat.get("id") is None:
        return None
    if not isinstance(caption, str) or not starts_with_keyword(caption):
        return None
    photo = _largest_photo(message.get("photo"))
    if photo is None:
        return None
    chat_id = str(chat["id"])
    message_id = message.get("message_id")
    source_ref = f"{chat_id}:{message_id}" if message_id is not None else f"update:{update.get('update_id')}"
    return MediaMessage(source_ref=source_ref[:120], sender=chat_id, caption=caption, media=photo)


def whatsapp_image_messages(payload: Any) -> list[MediaMessage]:
    """Every image message of a WhatsApp webhook whose caption opens with the keyword."""
    found: list[MediaMessage] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    for entry in payload.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            for item in (value.get("messages") or []) if isinstance(value, dict) else []:
                if not isinstance(item, dict) or item.get("type") != "image" or not item.get("id"):
                    continue
                image = item.get("image")
                if not isinstance(image, dict):
                    continue
                caption, media_id = image.get("caption"), image.get("id")
                phone = normalize_phone(str(item.get("from") or "")[:20])
                if not isinstance(caption, str) or not starts_with_keyword(caption) or not phone:
                    continue
                if not isinstance(media_id, str) or not _MEDIA_ID.match(media_id):
                    continue
                ref = MediaRef(WHATSAPP, media_id, _size(image.get("file_size")))
                found.append(MediaMessage(source_ref=str(item["id"])[:120], sender=phone, caption=caption, media=ref))
    return found


# --- fetching -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Origin:
    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> "_Origin":
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            raise MediaUnavailable("bad port") from None
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise MediaUnavailable("not an http(s) URL")
        return cls(parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme])


def _timeout() -> float:
    return float(getattr(settings, "SIKIM_CHANNEL_TIMEOUT", 10) or 10)


def _get(url: str, *, allowed: set[_Origin], headers: dict[str, str], limit: int) -> bytes:
    """GET `url` (no redirects) from an allowed origin; at most `limit` bytes within the timeout.

    Errors never carry the URL: a Telegram URL holds the bot token.
    """
    origin = _Origin.of(url)
    if origin not in allowed:
        raise MediaUnavailable(f"{origin.host} is not an allowed media host")
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = _timeout()
    deadline = time.monotonic() + timeout
    cls = http.client.HTTPSConnection if origin.scheme == "https" else http.client.HTTPConnection
    connection = cls(origin.host, origin.port, timeout=timeout)
    try:
        connection.request("GET", target, headers={"Accept": "*/*", "User-Agent": "SIKIM", **headers})
        response = connection.getresponse()
        if response.status != 200:
            raise MediaUnavailable(f"{origin.host} answered HTTP {response.status}")
        declared = _size(response.getheader("Content-Length"))
        if declared is not None and declared > limit:
            raise MediaUnavailable(f"{declared} bytes is over the limit")
        data = bytearray()
        while chunk := response.read(_CHUNK):
            data.extend(chunk)
            if len(data) > limit:
                raise MediaUnavailable(f"more than {limit} bytes")
            if time.monotonic() > deadline:
                raise MediaUnavailable(f"{origin.host} took longer than {timeout:g} s")
        return bytes(data)
    except (OSError, http.client.HTTPException) as error:
        raise MediaUnavailable(f"{origin.host}: {type(error).__name__}") from None
    finally:
        connection.close()


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise MediaUnavailable("the lookup did not answer JSON") from None
    if not isinstance(value, dict):
        raise MediaUnavailable("the lookup did not answer an object")
    return value


def _telegram_fetch(ref: MediaRef) -> bytes:
    token = str(getattr(settings, "SIKIM_TELEGRAM_BOT_TOKEN", "") or "")
    api = str(getattr(settings, "SIKIM_TELEGRAM_API_URL", "") or "https://api.telegram.org").rstrip("/")
    if not token:
        raise MediaUnavailable("SIKIM_TELEGRAM_BOT_TOKEN is not set")
    allowed = {_Origin.of(api)}
    lookup = _json(
        _get(
            f"{api}/bot{token}/getFile?{urlencode({'file_id': ref.media_id})}",
            allowed=allowed,
            headers={},
            limit=_CHUNK,
        )
    )
    result = lookup.get("result")
    if not lookup.get("ok") or not isinstance(result, dict):
        raise MediaUnavailable("getFile was refused")
    file_path = result.get("file_path")
    if not isinstance(file_path, str) or not _FILE_PATH.match(file_path) or ".." in file_path.split("/"):
        raise MediaUnavailable("getFile gave no usable file_path")
    size = _size(result.get("file_size"))
    if size is not None and size > MEDIA_MAX_BYTES:
        raise MediaUnavailable(f"{size} bytes is over the limit")
    return _get(f"{api}/file/bot{token}/{quote(file_path)}", allowed=allowed, headers={}, limit=MEDIA_MAX_BYTES)


def _whatsapp_fetch(ref: MediaRef) -> bytes:
    token = str(getattr(settings, "SIKIM_WHATSAPP_TOKEN", "") or "")
    api = str(getattr(settings, "SIKIM_WHATSAPP_API_URL", "") or "https://graph.facebook.com/v21.0").rstrip("/")
    if not token:
        raise MediaUnavailable("SIKIM_WHATSAPP_TOKEN is not set")
    if not _MEDIA_ID.match(ref.media_id):
        raise MediaUnavailable("not a media id")
    headers = {"Authorization": f"Bearer {token}"}
    graph = _Origin.of(api)
    lookup = _json(_get(f"{api}/{quote(ref.media_id)}", allowed={graph}, headers=headers, limit=_CHUNK))
    url = lookup.get("url")
    if not isinstance(url, str):
        raise MediaUnavailable("the media lookup gave no url")
    size = _size(lookup.get("file_size"))
    if size is not None and size > MEDIA_MAX_BYTES:
        raise MediaUnavailable(f"{size} bytes is over the limit")
    cdn = {_Origin("https", host, 443) for host in WHATSAPP_MEDIA_HOSTS}
    return _get(url, allowed={graph, *cdn}, headers=headers, limit=MEDIA_MAX_BYTES)


def media_fetch(ref: MediaRef) -> SimpleUploadedFile:
    """The picture's bytes as an upload for `aspiration_submit`; raises MediaUnavailable."""
    if ref.size is not None and ref.size > MEDIA_MAX_BYTES:
        raise MediaUnavailable(f"{ref.size} bytes is over the limit")
    if ref.provider == TELEGRAM:
        data = _telegram_fetch(ref)
    elif ref.provider == WHATSAPP:
        data = _whatsapp_fetch(ref)
    else:
        raise MediaUnavailable(f"unknown provider {ref.provider!r}")
    if not data:
        raise MediaUnavailable("empty file")
    # The name carries nothing of the sender's; the content type is decided by the image check.
    return SimpleUploadedFile(f"{ref.provider}-foto", data, content_type="application/octet-stream")
