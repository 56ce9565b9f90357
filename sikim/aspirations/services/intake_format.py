"""The keyword format of an aspiration sent by message (SMS, Telegram, WhatsApp; optional in email).

In the spirit of LAPOR!'s SMS 1708, one line a citizen can type on any phone:

    ASPIRASI <kategori> <teks>
    ASPIRASI <kode desa> <kategori> <teks>          e.g. ASPIRASI 63.72.05.1004 jalan Jalan berlubang…
    ASPIRASI <kategori> RAHASIA <teks>              confidential (only the verifying KIM sees the sender)

The keyword may also be ADUAN, LAPOR or USUL (or `/aspirasi` on Telegram). The village code
(Kemendagri, with or without dots) and the flags RAHASIA / ANONIM may come in any order before the
text. The category is a category's name (dropped from the text) or, failing that, the first word of
the text that names a topic ("sampah", "jalan", "ktp"; kept in the text); else "lainnya". A
message sent without a flag is public without the sender's name: a phone number or chat is
personal data, and a citizen who typed one line never chose to be named in public.

Parsing only: no database, no side effects.
"""

import re
from dataclasses import dataclass
from typing import Final

from sikim.aspirations.models import Category, Visibility

KEYWORDS: Final = frozenset({"aspirasi", "/aspirasi", "aduan", "lapor", "usul"})
_TELEGRAM_COMMAND: Final = re.compile(r"^/aspirasi(?:@\w+)?$", re.IGNORECASE)
_VILLAGE_DOTTED: Final = re.compile(r"^(\d{2})\.(\d{2})\.(\d{2})\.(\d{4})$")
_VILLAGE_DIGITS: Final = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{4})$")
_VILLAGE_ANYWHERE: Final = re.compile(r"(?<![\d.])(\d{2}\.\d{2}\.\d{2}\.\d{4})(?![\d.])")
_PUNCTUATION: Final = ".,:;!?()[]\"'#*"

# Flags: who may see the aspiration.
CONFIDENTIAL_FLAGS: Final = frozenset({"rahasia", "#rahasia", "privat", "pribadi"})
ANONYMOUS_FLAGS: Final = frozenset({"anonim", "#anonim", "tanpanama", "#tanpanama", "tanpa-nama"})
DEFAULT_VISIBILITY: Final = Visibility.PUBLIC_ANONYMOUS

# A category's own names: the word is dropped from the text.
CATEGORY_NAMES: Final[dict[str, str]] = {
    "infrastruktur": Category.INFRASTRUKTUR,
    "transportasi": Category.TRANSPORTASI,
    "kesehatan": Category.KESEHATAN,
    "pendidikan": Category.PENDIDIKAN,
    "lingkungan": Category.LINGKUNGAN,
    "air_listrik": Category.AIR_LISTRIK,
    "air-listrik": Category.AIR_LISTRIK,
    "airlistrik": Category.AIR_LISTRIK,
    "adminduk": Category.ADMINDUK,
    "kependudukan": Category.ADMINDUK,
    "sosial": Category.SOSIAL,
    "ekonomi": Category.EKONOMI,
    "pertanian": Category.PERTANIAN,
    "perikanan": Category.PERTANIAN,
    "keamanan": Category.KEAMANAN,
    "ketertiban": Category.KEAMANAN,
    "pelayanan": Category.PELAYANAN,
    "lainnya": Category.LAINNYA,
    "lain-lain": Category.LAINNYA,
}
# Words that name a topic: they choose the category and stay in the text.
CATEGORY_SYNONYMS: Final[dict[str, str]] = {
    **dict.fromkeys(
        ["jalan", "jembatan", "drainase", "selokan", "got", "gorong-gorong", "trotoar", "irigasi"],
        Category.INFRASTRUKTUR,
    ),
    **dict.fromkeys(
        ["transport", "angkutan", "angkot", "bus", "lalu-lintas", "lalulintas", "parkir", "macet"],
        Category.TRANSPORTASI,
    ),
    **dict.fromkeys(
        ["sehat", "puskesmas", "posyandu", "rumah-sakit", "bpjs", "obat", "dokter", "bidan", "stunting"],
        Category.KESEHATAN,
    ),
    **dict.fromkeys(["sekolah", "guru", "beasiswa", "pip", "paud", "madrasah"], Category.PENDIDIKAN),
    **dict.fromkeys(["sampah", "banjir", "limbah", "polusi", "pencemaran", "pohon", "longsor"], Category.LINGKUNGAN),
    **dict.fromkeys(["air", "listrik", "pdam", "pln", "lampu", "pju"], Category.AIR_LISTRIK),
    **dict.fromkeys(["ktp", "e-ktp", "kk", "akta", "akte", "dukcapil", "kia"], Category.ADMINDUK),
    **dict.fromkeys(["bansos", "bantuan", "pkh", "blt", "sembako", "disabilitas", "lansia"], Category.SOSIAL),
    **dict.fromkeys(["umkm", "usaha", "pekerjaan", "loker", "pasar", "modal", "harga"], Category.EKONOMI),
    **dict.fromkeys(["tani", "petani", "pupuk", "sawah", "nelayan", "ikan", "ternak", "panen"], Category.PERTANIAN),
    **dict.fromkeys(["aman", "kamtibmas", "pencurian", "maling", "narkoba", "tawuran", "judi"], Category.KEAMANAN),
    **dict.fromkeys(["layanan", "pungli", "antrean", "antrian", "izin", "perizinan"], Category.PELAYANAN),
}
# How far into the text a topic word is looked for.
SYNONYM_WINDOW: Final = 12


@dataclass(frozen=True)
class ParsedAspiration:
    category: str
    text: str
    region_code: str  # "" when the message does not name a village
    visibility: str


def _word(token: str) -> str:
    return token.strip(_PUNCTUATION).lower()


def village_code(token: str) -> str:
    """ "63.72.05.1004" or "6372051004" → "63.72.05.1004"; "" when the token is not a village code."""
    token = token.strip(_PUNCTUATION.replace(".", ""))
    match = _VILLAGE_DOTTED.match(token) or _VILLAGE_DIGITS.match(token)
    return ".".join(match.groups()) if match else ""


def starts_with_keyword(text: str) -> bool:
    """Does the message open with ASPIRASI (or a synonym, or Telegram's /aspirasi command)?"""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return _word(first) in KEYWORDS or bool(_TELEGRAM_COMMAND.match(first))


def _topic(words: list[str]) -> str:
    for token in words[:SYNONYM_WINDOW]:
        word = _word(token)
        if word in CATEGORY_SYNONYMS:
            return CATEGORY_SYNONYMS[word]
    return ""


def parse_aspiration(
    text: str, *, keyword_required: bool = True, find_village_anywhere: bool = False
) -> ParsedAspiration | None:
    """The aspiration a message carries, or None when it cannot be understood (no keyword, no text).

    With `find_village_anywhere` (email), a dotted village code anywhere in the text counts too.
    """
    tokens = text.split()
    if tokens and (_word(tokens[0]) in KEYWORDS or _TELEGRAM_COMMAND.match(tokens[0])):
        tokens = tokens[1:]
    elif keyword_required:
        return None
    category = region = ""
    visibility: str = DEFAULT_VISIBILITY
    while tokens:
        word = _word(tokens[0])
        if not region and (code := village_code(tokens[0])):
            region = code
        elif word in CONFIDENTIAL_FLAGS:
            visibility = Visibility.CONFIDENTIAL
        elif word in ANONYMOUS_FLAGS:
            visibility = visibility if visibility == Visibility.CONFIDENTIAL else Visibility.PUBLIC_ANONYMOUS
        elif not category and word in CATEGORY_NAMES:
            category = CATEGORY_NAMES[word]
        else:
            break
        tokens = tokens[1:]
    # The text keeps its line breaks: cut the leading words off the original, not the token list.
    body = _rest_of(text, tokens)
    if not body:
        return None
    if not region and find_village_anywhere and (found := _VILLAGE_ANYWHERE.search(text)):
        region = found.group(1)
    category = category or _topic(tokens) or Category.LAINNYA
    return ParsedAspiration(category=category, text=body, region_code=region, visibility=visibility)


def _rest_of(text: str, remaining: list[str]) -> str:
    """The original text from the first of the `remaining` tokens on (line breaks kept)."""
    if not remaining:
        return ""
    skipped = len(text.split()) - len(remaining)
    rest = text.lstrip()
    for _index in range(skipped):
        parts = rest.split(maxsplit=1)
        rest = parts[1] if len(parts) > 1 else ""
    return rest.strip()
