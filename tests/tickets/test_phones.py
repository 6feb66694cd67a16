"""Normalisation: every way a Chinese number is written comes down to one caller."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tickets.phones import format_phone, is_valid_phone, normalize_phone

MOBILES = [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("138.0013.8000", "13800138000"),
    ("(138)00138000", "13800138000"),
    ("+86 13800138000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("+86-138-0013-8000", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("008613800138000", "13800138000"),
    ("86 13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("(+86)13800138000", "13800138000"),
    ("＋８６ １３８００１３８０００", "13800138000"),  # full-width, as typed with a Chinese IME
    ("１３８－００１３－８０００", "13800138000"),
    ("  13800138000  ", "13800138000"),
    ("tel:13800138000", "13800138000"),
    ("手机：13800138000", "13800138000"),
    ("13800138000转123", "13800138000"),
    ("19912345678", "19912345678"),  # 199 segment
    ("166 6666 8888", "16666668888"),
    ("+86 170 1234 5678", "17012345678"),  # virtual operator
]

LANDLINES = [
    ("010-88886666", "01088886666"),  # Beijing: 3-digit area code, 8-digit number
    ("(010) 8888 6666", "01088886666"),
    ("（010）88886666", "01088886666"),  # full-width brackets
    ("010 8888 6666", "01088886666"),
    ("+86 10 8888 6666", "01088886666"),
    ("+86-10-88886666", "01088886666"),
    ("0086 10 88886666", "01088886666"),
    ("+86 (0)10 8888 6666", "01088886666"),
    ("021-6888 9999", "02168889999"),  # Shanghai
    ("+86 21 68889999", "02168889999"),
    ("020-87654321", "02087654321"),  # Guangzhou
    ("0755-88886666", "075588886666"),  # Shenzhen: 4-digit area code
    ("+86 755 8888 6666", "075588886666"),
    ("86 755 88886666", "075588886666"),
    ("0571-8765432", "05718765432"),  # Hangzhou, 7-digit local number
    ("0898-6666 8888", "089866668888"),  # Hainan
    ("010-88886666-8021", "01088886666"),  # extension after a dash
    ("010-88886666 转 8021", "01088886666"),
    ("021 6888 9999 ext. 12", "02168889999"),
    ("0755-88886666分机302", "075588886666"),
    ("0755-88886666#302", "075588886666"),
]

SERVICE_AND_OTHER = [
    ("400-800-8888", "4008008888"),
    ("400 880 1234", "4008801234"),
    ("800-820-8820", "8008208820"),
    ("95588", "95588"),
    ("12345", "12345"),
    ("10086", "10086"),
    ("+1 415 555 2671", "0014155552671"),  # a foreign number keeps its prefix: not a mainland mobile
    ("+852 9123 4567", "0085291234567"),
    ("", ""),
    (None, ""),
]


@pytest.mark.parametrize(("raw", "expected"), MOBILES + LANDLINES + SERVICE_AND_OTHER)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), MOBILES + LANDLINES + SERVICE_AND_OTHER[:-2])
def test_normalised_numbers_are_valid(raw, expected):
    assert is_valid_phone(normalize_phone(raw))


def test_the_three_ways_of_the_issue_are_one_caller():
    assert len({normalize_phone(x) for x in ("138 0013 8000", "+86 13800138000", "13800138000")}) == 1


@pytest.mark.parametrize("raw", ["1380013800", "123", "abc", "0108888", "23800138000", "8888 6666"])
def test_incomplete_or_wrong_numbers_are_not_valid(raw):
    assert not is_valid_phone(normalize_phone(raw))


@pytest.mark.parametrize(("normalized", "shown"), [
    ("13800138000", "138 0013 8000"),
    ("01088886666", "010-88886666"),
    ("075588886666", "0755-88886666"),
    ("95588", "95588"),
    ("", ""),
])
def test_format_phone(normalized, shown):
    assert format_phone(normalized) == shown


def test_normalising_twice_changes_nothing():
    for raw, expected in MOBILES + LANDLINES + SERVICE_AND_OTHER:
        assert normalize_phone(expected) == expected


@given(st.text(alphabet="0123456789 -+()（）转x#＋", max_size=25))
def test_normalize_is_idempotent_and_digits_only(raw):
    once = normalize_phone(raw)
    assert once == "" or once.isdigit()
    assert normalize_phone(once) == once
