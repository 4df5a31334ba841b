"""Legal contact hours: parsing the setting, the company's time zone, the edges of each window, holidays."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cobranca.contacting.hours import DEFAULT_CONTACT_HOURS, contact_hours, parse_contact_hours, parse_timezone
from cobranca.core.errors import InputError
from cobranca.settings import parse_setting, warning_for

SP = ZoneInfo("America/Sao_Paulo")
HOURS = contact_hours()  # the default: seg-sex 08:00-20:00; sab 08:00-14:00 in America/Sao_Paulo


def sp(*args) -> datetime:
    return datetime(*args, tzinfo=SP)


def test_default_setting_parses_to_weekday_and_saturday_windows():
    windows = parse_contact_hours(DEFAULT_CONTACT_HOURS)
    assert windows[0] == windows[4] == ((time(8), time(20)),)
    assert windows[5] == ((time(8), time(14)),)
    assert 6 not in windows


def test_accents_case_lists_and_24h_end_are_accepted():
    windows = parse_contact_hours("SEG,qua 09:00-12:00; seg 13:00-24:00; Sáb 10:00-11:00")
    assert windows[0] == ((time(9), time(12)), (time(13), time(23, 59, 59, 999999)))
    assert windows[2] == ((time(9), time(12)),)
    assert windows[5] == ((time(10), time(11)),)


def test_livre_lifts_the_limit():
    assert parse_contact_hours(" Livre ") is None
    free = contact_hours("livre")
    assert free.unlimited and free.is_allowed(sp(2026, 12, 6, 3, 0))  # a Sunday at 3 a.m.


@pytest.mark.parametrize("text", [
    "", "sempre", "seg-sex", "seg-sex 8-20", "seg-sex 20:00-08:00", "sex-seg 08:00-20:00", "xyz 08:00-10:00",
    "seg 08:00-25:00", "seg 08:00-12:00; seg 11:00-13:00", "seg 08:60-09:00", ";",
])
def test_bad_schedules_are_refused_with_a_pt_br_reason(text):
    with pytest.raises(ValueError) as err:
        parse_contact_hours(text)
    assert str(err.value)  # the reason is shown after the value
    with pytest.raises(InputError, match="Valor inválido para contact_hours"):
        parse_setting("contact_hours", text)


def test_timezone_setting_is_strict():
    assert parse_timezone("America/Manaus") == ZoneInfo("America/Manaus")
    for bad in ["", "Brasil/Rio", "../etc/passwd", "/etc/localtime", "America/São_Paulo"]:
        with pytest.raises(InputError, match="fuso horário"):
            parse_setting("timezone", bad)


def test_livre_warns_and_the_default_does_not():
    assert "livre" in warning_for("contact_hours", "livre")
    assert warning_for("contact_hours", DEFAULT_CONTACT_HOURS) is None


@pytest.mark.parametrize(("moment", "allowed"), [
    (sp(2026, 11, 30, 7, 59), False),   # Monday before 8h
    (sp(2026, 11, 30, 8, 0), True),
    (sp(2026, 11, 30, 19, 59), True),   # weekday edges
    (sp(2026, 11, 30, 20, 0), False),
    (sp(2026, 12, 5, 13, 59), True),    # Saturday edges
    (sp(2026, 12, 5, 14, 0), False),
    (sp(2026, 12, 6, 10, 0), False),    # Sunday
    (sp(2026, 12, 25, 10, 0), False),   # Christmas, a Friday
    (sp(2026, 12, 24, 19, 59), True),   # Christmas Eve is not a national holiday
])
def test_edges_of_the_default_window(moment, allowed):
    assert HOURS.is_allowed(moment) is allowed


def test_utc_clock_is_read_in_the_company_time_zone():
    # 22:59 UTC on a Monday is 19:59 in São Paulo (UTC-3): allowed; 23:00 UTC is 20:00 there: refused
    assert HOURS.is_allowed(datetime(2026, 11, 30, 22, 59, tzinfo=UTC))
    assert not HOURS.is_allowed(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))
    # 11:30 UTC on a Saturday is 08:30 in São Paulo but 07:30 in Manaus (UTC-4)
    saturday = datetime(2026, 12, 5, 11, 30, tzinfo=UTC)
    assert HOURS.is_allowed(saturday)
    assert not contact_hours(DEFAULT_CONTACT_HOURS, "America/Manaus").is_allowed(saturday)


@pytest.mark.parametrize(("moment", "expected"), [
    (sp(2026, 11, 30, 19, 59), sp(2026, 11, 30, 19, 59)),  # allowed: itself
    (sp(2026, 11, 30, 20, 0), sp(2026, 12, 1, 8, 0)),      # Monday evening -> Tuesday 8h
    (sp(2026, 11, 30, 6, 0), sp(2026, 11, 30, 8, 0)),      # early morning -> same day 8h
    (sp(2026, 12, 4, 20, 0), sp(2026, 12, 5, 8, 0)),       # Friday evening -> Saturday 8h
    (sp(2026, 12, 5, 14, 0), sp(2026, 12, 7, 8, 0)),       # Saturday 14h -> Monday (Sunday closed)
    (sp(2026, 12, 6, 12, 0), sp(2026, 12, 7, 8, 0)),       # Sunday -> Monday
    (sp(2026, 12, 24, 20, 0), sp(2026, 12, 26, 8, 0)),     # Christmas Eve evening -> Saturday 26th (25th closed)
    (sp(2026, 9, 5, 14, 0), sp(2026, 9, 8, 8, 0)),         # Saturday before Monday 7 September -> Tuesday
])
def test_next_allowed_skips_nights_sundays_and_holidays(moment, expected):
    assert HOURS.next_allowed(moment) == expected


def test_next_allowed_of_a_utc_moment_is_in_company_time():
    nxt = HOURS.next_allowed(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # 20:30 in São Paulo
    assert nxt == sp(2026, 12, 1, 8, 0)
    assert nxt.astimezone(UTC) == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)


def test_refusal_names_the_reason_and_the_next_allowed_moment():
    assert HOURS.refusal(sp(2026, 11, 30, 10, 0)) is None
    text = HOURS.refusal(sp(2026, 12, 25, 10, 0))
    assert "feriado nacional" in text and "26/12/2026 às 08:00" in text
    with pytest.raises(InputError, match=r"Próximo horário permitido: 01/12/2026 às 08:00"):
        HOURS.check(sp(2026, 11, 30, 20, 0))


def test_a_sunday_window_can_be_configured_but_holidays_stay_closed():
    hours = contact_hours("dom 10:00-12:00")
    assert hours.is_allowed(sp(2026, 12, 6, 10, 0))
    assert not hours.is_allowed(sp(2026, 11, 30, 10, 0))  # Monday has no window
    assert hours.next_allowed(sp(2026, 12, 6, 12, 0)) == sp(2026, 12, 13, 10, 0)


def test_formatting_parsed_windows_round_trips():
    from cobranca.contacting.hours import format_contact_hours

    text = format_contact_hours(parse_contact_hours("seg-ter 08:00-12:00; seg 13:00-24:00; sab 08:00-14:00"))
    assert text == "seg 08:00-12:00; seg 13:00-24:00; ter 08:00-12:00; sab 08:00-14:00"
    assert parse_contact_hours(text) == parse_contact_hours("seg-ter 08:00-12:00; seg 13:00-24:00; sab 08:00-14:00")
    assert format_contact_hours(None) == "livre"


def test_the_typed_setting_prints_as_text_that_parses_back():
    for text in (DEFAULT_CONTACT_HOURS, "livre", "dom 10:00-12:00"):
        value = parse_setting("contact_hours", text)
        assert parse_setting("contact_hours", str(value)) == value
