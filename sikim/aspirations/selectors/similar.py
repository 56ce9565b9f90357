"""Similar aspirations in the same village and category, suggested before submitting.

Cheap and bounded: the most recent public cases of the last 90 days in the same
desa/kelurahan and category (at most `CANDIDATES` rows, one indexed query), scored by how many
meaningful words of the new title and text they share. Confidential, hidden and rejected cases
are never suggested.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.utils import timezone

from sikim.aspirations.models import PUBLIC_STATES, Aspiration, AspirationState, Visibility

WINDOW_DAYS: Final = 90
CANDIDATES: Final = 200
MIN_WORD_LENGTH: Final = 4
MIN_SHARED_WORDS: Final = 2
# Common Indonesian words that say nothing about the problem.
STOPWORDS: Final = frozenset(
    {
        "yang", "dan", "atau", "dengan", "untuk", "dari", "pada", "dalam", "tidak", "sudah", "belum", "akan",
        "karena", "sangat", "mohon", "tolong", "kami", "saya", "warga", "kita", "mereka", "sejak", "sampai",
        "bapak", "ibu", "juga", "agar", "segera", "lagi", "masih", "banyak", "setiap", "hari", "bulan",
        "tahun", "minggu", "ada", "ini", "itu", "bisa", "dapat", "harus", "kelurahan", "desa",
    }
)  # fmt: skip
_WORD: Final = re.compile(r"[^\W\d_]+", re.UNICODE)


def keywords(text: str) -> set[str]:
    return {w for w in (m.lower() for m in _WORD.findall(text or "")) if len(w) >= MIN_WORD_LENGTH} - STOPWORDS


@dataclass(frozen=True)
class Similar:
    aspiration: Aspiration
    shared_words: int


def similar_aspirations(
    *, region_code: str, category: str, text: str, now: datetime | None = None, limit: int = 5
) -> list[Similar]:
    """Up to `limit` recent public aspirations sharing words with `text`, the closest first."""
    words = keywords(text[:10_000])
    if not words:
        return []
    since = (now or timezone.now()) - timedelta(days=WINDOW_DAYS)
    candidates = (
        Aspiration.objects.filter(
            region_id=region_code,
            category=category,
            submitted_at__gte=since,
            is_hidden=False,
            state__in=[AspirationState.DIAJUKAN, *PUBLIC_STATES],
        )
        .exclude(visibility=Visibility.CONFIDENTIAL)
        .only("id", "code", "title", "text", "state", "submitted_at", "support_count", "region_id", "category")
        .order_by("-submitted_at", "-id")[:CANDIDATES]
    )
    scored = []
    for candidate in candidates:
        shared = len(words & keywords(f"{candidate.title} {candidate.text}"))
        if shared >= min(MIN_SHARED_WORDS, len(words)):
            scored.append(Similar(candidate, shared))
    scored.sort(key=lambda s: (-s.shared_words, -s.aspiration.submitted_at.timestamp()))
    return scored[:limit]
