"""Search input nobody should be able to break a page or the API with."""

BAD_QUERIES = [
    "",
    " ",
    "x" * 10_000,
    "🌾🌾",
    "'; DROP TABLE wilayah_region; --",
    "%",
    "_",
    "%_%",
    "\\",
    # A NUL character is refused for every request with a 400 (sikim/core/tests/test_nul_bytes.py).
    "Guntung\u200bPaikat",
]
