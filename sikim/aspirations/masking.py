"""Masking personal data inside texts shown in public (a pure module).

Citizens write their phone number, email or NIK into the text of a complaint; the public
list, map and tracking page show it masked (UU 27/2022 on personal data protection). The
stored text is left as written: the verifying KIM and the office still read it whole.

- emails: "budi.santoso@gmail.com" → "b***@***"
- Indonesian phone numbers (08…, +62 8…, 62 8…, landlines 0xx…, with spaces, dots or dashes):
  every digit but the prefix and the last two becomes "*", so "0812-3456-7890" → "0***-****-**90"
- NIK-like numbers (16 digits, maybe in groups of four): every digit becomes "*".
"""

import re
from typing import Final

MASK: Final = "*"

_EMAIL: Final = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 16 digits, possibly as 4 groups of 4 separated by a space, dot or dash.
_NIK: Final = re.compile(r"(?<![\d+])(?:\d{16}|\d{4}(?:[ .-]\d{4}){3})(?!\d)")
# +62 / 62 / 0, then a mobile (8…) or landline (area code 2–9…) number; separators allowed.
_PHONE: Final = re.compile(
    r"(?<![\w+])(?:\+62|62(?=[\s.-]?8)|0)(?:[\s.-]?\(?\d\)?){7,13}(?![\w])",
)
_PREFIX: Final = re.compile(r"^(\+62|62|0)")
PHONE_MIN_DIGITS: Final = 9
PHONE_MAX_DIGITS: Final = 15


def _mask_digits(text: str, keep_last: int) -> str:
    total = sum(ch.isdigit() for ch in text)
    seen, out = 0, []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep_last else MASK)
        else:
            out.append(ch)
    return "".join(out)


def _mask_phone(match: re.Match[str]) -> str:
    number = match.group(0)
    digits = sum(ch.isdigit() for ch in number)
    if not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        return number
    prefix = _PREFIX.match(number)
    head = prefix.group(0) if prefix else ""
    rest = number[len(head) :]
    return head + _mask_digits(rest, keep_last=2)


def mask_personal_data(text: str) -> str:
    """`text` with emails, phone numbers and NIK-like numbers masked."""
    if not text:
        return text
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@***", text)
    text = _NIK.sub(lambda m: _mask_digits(m.group(0), keep_last=0), text)
    return _PHONE.sub(_mask_phone, text)
