"""Indonesian phone numbers, always stored as +62…"""

from lokal import parse_phone


def normalize_phone(raw: str) -> str | None:
    """ "0812-3456-7890", "62812…", "+62 812…" → "+6281234567890"; None when it is not a valid number."""
    if not raw or len(raw) > 40:
        return None
    parsed = parse_phone(raw)
    if not parsed.valid or not parsed.e164 or not parsed.e164.startswith("+62"):
        return None
    return parsed.e164


def looks_like_phone(identifier: str) -> bool:
    stripped = identifier.strip()
    return bool(stripped) and "@" not in stripped and any(ch.isdigit() for ch in stripped)
