"""SMS segmentation: how many parts a text costs, GSM-7 or UCS-2 (3GPP TS 23.038 / 23.040).

- GSM-7: 160 septets in a single SMS, 153 per part of a concatenated one (the user data header
  takes 7). Characters of the extension table (``^{}\\[~]|€`` and form feed) take two septets
  (escape + character) and are never split across parts.
- UCS-2 (anything outside the GSM-7 alphabet, e.g. emoji or Javanese script): 70 UTF-16 code
  units in a single SMS, 67 per part; a surrogate pair (an emoji) takes two units and is never
  split across parts.
"""

from dataclasses import dataclass
from enum import StrEnum

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "\f^{}\\[~]|€"
_GSM7_BASIC_SET = frozenset(GSM7_BASIC) - {"\x1b"}
_GSM7_EXTENSION_SET = frozenset(GSM7_EXTENSION)

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


class SmsEncoding(StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True)
class SmsSegmentation:
    encoding: SmsEncoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(char in _GSM7_BASIC_SET or char in _GSM7_EXTENSION_SET for char in text)


def _char_units(text: str, encoding: SmsEncoding) -> list[int]:
    if encoding is SmsEncoding.GSM7:
        return [2 if char in _GSM7_EXTENSION_SET else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _pack(units: list[int], per_part: int) -> int:
    """Parts needed when characters may not be split across parts."""
    parts, used = 1, 0
    for size in units:
        if used + size > per_part:
            parts += 1
            used = 0
        used += size
    return parts


def segment(text: str) -> SmsSegmentation:
    encoding = SmsEncoding.GSM7 if is_gsm7(text) else SmsEncoding.UCS2
    units = _char_units(text, encoding)
    total = sum(units)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if encoding is SmsEncoding.GSM7 else (UCS2_SINGLE, UCS2_MULTI)
    segments = 1 if total <= single else _pack(units, multi)
    return SmsSegmentation(encoding=encoding, units=total, segments=segments)


def fit(text: str, *, suffix: str = "", max_segments: int, ellipsis: str = "...") -> str:
    """`text` + `suffix`, with `text` shortened (ending in `ellipsis`) so the whole fits `max_segments`.

    The suffix (a link) is kept whole. The encoding is decided by the full text, so shortening
    never changes the price class in a surprising way.
    """
    whole = text + suffix
    if segment(whole).segments <= max_segments:
        return whole
    low, high = 0, len(text)
    while low < high:  # the longest prefix that still fits
        middle = (low + high + 1) // 2
        candidate = text[:middle].rstrip() + ellipsis + suffix
        if segment(candidate).segments <= max_segments:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ellipsis + suffix
