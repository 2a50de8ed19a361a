"""Printed statements write the amount in words under the figure (terbilang); these are the strings they print."""

import pytest

from jamsosdesa.core.money import terbilang


@pytest.mark.parametrize(("amount", "words"), [
    (1_234_567, "Satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah"),
    (0, "Nol rupiah"),
    (1000, "Seribu rupiah"),
    (100, "Seratus rupiah"),
    (11, "Sebelas rupiah"),
    (16_800, "Enam belas ribu delapan ratus rupiah"),
    (2_000_000_000, "Dua miliar rupiah"),
])
def test_it_writes_rupiah_in_indonesian_words(amount, words):
    assert terbilang(amount) == words


def test_english_printouts_write_english_words():
    assert terbilang(1_234_567, "en") == ("One million, two hundred and thirty-four thousand, five hundred and "
                                          "sixty-seven rupiah")
    assert terbilang(1000, lang="en") == "One thousand rupiah"


@pytest.mark.parametrize("bad", [-1, -16_800, 1.5, "1000", True, None])
def test_it_refuses_a_negative_or_not_whole_amount(bad):
    with pytest.raises(ValueError):
        terbilang(bad)


def test_it_refuses_a_language_it_does_not_print():
    with pytest.raises(ValueError):
        terbilang(1000, "fr")
