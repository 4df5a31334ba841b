"""Free text rules: control characters stripped when stored, long values cut when quoted, date limits."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cobranca.core.date_range import check_day, check_moment
from cobranca.core.errors import InputError, Problem
from cobranca.core.text import cut, has_control, strip_controls
from cobranca.promises.status import check_promise_date, latest_promise_date


def test_strip_controls_keeps_line_feeds_and_tabs_only_in_multi_line_text():
    text = "a\x00b\x1b[1mc\r\nd\re\tf\x7fg\x85h\u202ei\u2066j"
    assert strip_controls(text) == "ab[1mc\nd\ne\tfghij"
    assert strip_controls(text, multiline=False) == "ab[1mc d e fghij"
    assert strip_controls("Olá, ção 😀 \u200d") == "Olá, ção 😀 \u200d"  # letters, emoji and joiners stay


@given(st.text())
def test_stripped_text_has_no_control_character(text):
    assert not has_control(strip_controls(text, multiline=False))
    assert not has_control(strip_controls(text).replace("\n", "").replace("\t", ""))


def test_cut_shows_at_most_sixty_characters_on_one_line():
    assert cut("x" * 100_000) == "x" * 60 + "…"
    assert cut("curto") == "curto"
    assert cut("a\r\nb") == "a b"
    assert str(Problem(2, "Valor", "9" * 5000, "não é um valor")).count("9") == 60


def test_dates_outside_1900_to_2100_are_refused():
    assert check_day(date(1900, 1, 1), "--as-of") == date(1900, 1, 1)
    assert check_day(date(2100, 12, 31), "--as-of") == date(2100, 12, 31)
    with pytest.raises(InputError, match="--as-of 01/01/0001 fora do intervalo aceito"):
        check_day(date(1, 1, 1), "--as-of")
    with pytest.raises(InputError, match="--now 31/12/9999"):
        check_moment(datetime(9999, 12, 31, 23, 59), "--now")


def test_promise_dates_at_most_one_year_ahead_even_from_a_leap_day():
    assert latest_promise_date(date(2028, 2, 29)) == date(2029, 2, 28)
    assert latest_promise_date(date(2026, 12, 7)) == date(2027, 12, 7)
    check_promise_date(date(2027, 12, 7), date(2026, 12, 7))
    with pytest.raises(ValueError, match="no máximo um ano"):
        check_promise_date(date(2027, 12, 8), date(2026, 12, 7))
