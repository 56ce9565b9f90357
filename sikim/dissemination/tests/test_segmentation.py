import pytest

from sikim.dissemination.channels.segmentation import SmsEncoding, fit, is_gsm7, segment


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", SmsEncoding.GSM7, 0, 1),
        ("a" * 160, SmsEncoding.GSM7, 160, 1),
        ("a" * 161, SmsEncoding.GSM7, 161, 2),
        ("a" * 306, SmsEncoding.GSM7, 306, 2),
        ("a" * 307, SmsEncoding.GSM7, 307, 3),
        # Extension-table characters count double: 80 euro signs fill one SMS exactly.
        ("€" * 80, SmsEncoding.GSM7, 160, 1),
        ("€" * 81, SmsEncoding.GSM7, 162, 2),
        # ... and are not split across parts: 152 + "{" does not fit 153.
        ("a" * 152 + "{" + "a" * 10, SmsEncoding.GSM7, 164, 2),
        ("a" * 152 + "{" + "a" * 152, SmsEncoding.GSM7, 306, 3),
        ("Rp 5.000 @ pasar; Ñandù £ ¥ §", SmsEncoding.GSM7, 29, 1),
        ("a" * 70 + "ê", SmsEncoding.UCS2, 71, 2),
        ("ê" * 70, SmsEncoding.UCS2, 70, 1),
        ("ê" * 134, SmsEncoding.UCS2, 134, 2),
        ("ê" * 135, SmsEncoding.UCS2, 135, 3),
        # An emoji is a surrogate pair: two UTF-16 units, never split.
        ("🌊" * 35, SmsEncoding.UCS2, 70, 1),
        ("a" * 66 + "🌊", SmsEncoding.UCS2, 68, 1),
        ("a" * 66 + "🌊" + "aaa", SmsEncoding.UCS2, 71, 2),
        ("a" * 66 + "🌊" + "a" * 66, SmsEncoding.UCS2, 134, 3),
    ],
)
def test_segment(text, encoding, units, segments):
    result = segment(text)
    assert (result.encoding, result.units, result.segments) == (encoding, units, segments)


def test_gsm7_alphabet():
    assert is_gsm7("Halo warga! Info: 08.00-10.00 (Sabtu) ~ [ok] |€|")
    assert not is_gsm7("Halo ê")
    assert not is_gsm7("ꦲꦏ꧀ꦱꦫ")  # Javanese script
    assert not is_gsm7("`")  # the backtick is not in GSM-7


def test_fit_keeps_a_text_that_fits():
    assert fit("Halo", suffix=" https://s.test/1", max_segments=1) == "Halo https://s.test/1"


@pytest.mark.parametrize("max_segments", [1, 2, 3])
def test_fit_cuts_the_text_and_keeps_the_link_whole(max_segments):
    text = fit("kata " * 400, suffix=" https://s.test/b/1", max_segments=max_segments)
    assert text.endswith("... https://s.test/b/1")
    assert segment(text).segments == max_segments
    # As long as possible: one character more would not fit.
    assert segment("x" + text).segments > max_segments or text.startswith("kata " * 60)


def test_fit_in_ucs2():
    text = fit("🌊 banjir " * 100, suffix=" https://s.test/b/1", max_segments=2)
    assert segment(text).encoding is SmsEncoding.UCS2
    assert segment(text).segments == 2
    assert text.endswith("https://s.test/b/1")
