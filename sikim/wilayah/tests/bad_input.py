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
    "\x00",
    "Guntung\u200bPaikat",
]
