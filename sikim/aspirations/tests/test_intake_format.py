"""The keyword format of aspirations sent by SMS, Telegram and WhatsApp (and optionally email)."""

import pytest

from sikim.aspirations.models import Category, Visibility
from sikim.aspirations.services.intake_format import parse_aspiration, starts_with_keyword, village_code


def test_category_name_is_dropped_from_the_text():
    parsed = parse_aspiration("ASPIRASI infrastruktur Jalan di depan SDN 2 berlubang")
    assert parsed is not None
    assert (parsed.category, parsed.text, parsed.region_code) == (
        Category.INFRASTRUKTUR,
        "Jalan di depan SDN 2 berlubang",
        "",
    )


def test_topic_word_chooses_the_category_and_stays_in_the_text():
    parsed = parse_aspiration("aspirasi sampah menumpuk di pasar sejak seminggu")
    assert parsed is not None
    assert (parsed.category, parsed.text) == (Category.LINGKUNGAN, "sampah menumpuk di pasar sejak seminggu")


def test_village_code_flags_and_category_in_any_order():
    parsed = parse_aspiration("ASPIRASI RAHASIA 6372051004 kesehatan: Bidan desa jarang datang.\nMohon dicek.")
    assert parsed is not None
    assert parsed.region_code == "63.72.05.1004"
    assert parsed.visibility == Visibility.CONFIDENTIAL
    assert parsed.category == Category.KESEHATAN
    assert parsed.text == "Bidan desa jarang datang.\nMohon dicek."


def test_default_visibility_is_public_without_the_name():
    parsed = parse_aspiration("LAPOR 63.72.05.1004 ktp belum jadi tiga bulan")
    assert parsed is not None
    assert (parsed.visibility, parsed.category) == (Visibility.PUBLIC_ANONYMOUS, Category.ADMINDUK)


def test_unknown_topic_is_lainnya():
    parsed = parse_aspiration("ASPIRASI Mohon diadakan lomba tujuhbelasan")
    assert parsed is not None
    assert parsed.category == Category.LAINNYA


@pytest.mark.parametrize("text", ["", "ASPIRASI", "Halo admin", "ASPIRASI 63.72.05.1004 RAHASIA kesehatan"])
def test_not_understood(text):
    assert parse_aspiration(text) is None


def test_nothing_without_keyword_unless_optional():
    assert parse_aspiration("Jalan rusak di RT 3") is None
    parsed = parse_aspiration(
        "Jalan rusak di RT 3, desa 63.72.05.1004", keyword_required=False, find_village_anywhere=True
    )
    assert parsed is not None
    assert (parsed.category, parsed.region_code) == (Category.INFRASTRUKTUR, "63.72.05.1004")


def test_keywords():
    assert starts_with_keyword("aspirasi jalan rusak")
    assert starts_with_keyword("/aspirasi@SikimBot jalan rusak")
    assert starts_with_keyword("ADUAN: jalan rusak")
    assert not starts_with_keyword("STOP")
    assert not starts_with_keyword("")
    assert not starts_with_keyword("aspirasinya bagaimana")


def test_village_code_forms():
    assert village_code("63.72.05.1004") == "63.72.05.1004"
    assert village_code("6372051004,") == "63.72.05.1004"
    assert village_code("63.72.05") == ""
    assert village_code("081234567890") == ""
