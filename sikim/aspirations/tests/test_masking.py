"""Personal data in public texts is masked; ordinary numbers are left alone."""

import pytest

from sikim.aspirations.masking import mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("hubungi 081234567890 ya", "hubungi 0*********90 ya"),
        ("hubungi 0812-3456-7890 ya", "hubungi 0***-****-**90 ya"),
        ("HP 0812 3456 7890.", "HP 0*** **** **90."),
        ("WA +62 812 3456 7890", "WA +62 *** **** **90"),
        ("WA +62-812-3456-7890", "WA +62-***-****-**90"),
        ("+6281234567890", "+62*********90"),
        ("62812345678901", "62**********01"),
        ("telp (0511) 4772-123", "telp (0***) ****-*23"),
        ("NIK 6372051204900001 saya", "NIK **************** saya"),
        ("NIK: 6372 0512 0490 0001", "NIK: **** **** **** ****"),
        ("email budi.santoso@gmail.com.", "email b***@***."),
        ("surel: siti_aminah+kim@banjarbarukota.go.id", "surel: s***@***"),
    ],
)
def test_masks(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Dana Rp 62.000.000 untuk tahun 2026",
        "jalan sepanjang 120 meter di RT 05 RW 02",
        "sejak 17-03-2026 pukul 10.00",
        "ada 62 rumah terdampak",
        "nomor surat 045/123/2026",
        "",
    ],
)
def test_leaves_ordinary_numbers(text):
    assert mask_personal_data(text) == text


def test_several_in_one_text():
    text = "Saya Budi (NIK 6372051204900001), HP 085212345678, email budi@example.id."
    masked = mask_personal_data(text)
    assert "6372051204900001" not in masked and "085212345678" not in masked and "budi@example.id" not in masked
    assert masked.startswith("Saya Budi (NIK ")
