"""The plain-text import format: parsing and line-numbered validation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from regdesk.calendars.importing import (
    CalendarEntry,
    CalendarImportError,
    format_schedule,
    parse_calendar_text,
    validate_entries,
)
from regdesk.calendars.models import DayKind
from tests.calendars.samples import BROKEN_2027, SCHEDULE_2027

D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def test_parses_the_sample() -> None:
    parsed = parse_calendar_text(SCHEDULE_2027)
    assert parsed.year == 2027
    assert parsed.source.startswith("国务院办公厅关于2027年")
    assert parsed.entries[0] == CalendarEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦", line=5)
    assert parsed.entries[3].name == "春节"  # the trailing comment is not part of the name
    assert parsed.entries[-1] == CalendarEntry(D(2027, 2, 20), DayKind.WORKDAY, "春节调休", line=13)
    assert len(parsed.entries) == 9


def test_every_problem_is_reported_with_its_line() -> None:
    with pytest.raises(CalendarImportError) as caught:
        parse_calendar_text(BROKEN_2027)
    messages = [str(problem) for problem in caught.value.problems]
    assert messages == [
        "line 3: “2027-02-30” is not a valid date in the form YYYY-MM-DD",
        "line 4: unknown kind “vacation”; expected “holiday” or “workday”",
        "line 5: 2026-12-31 is not in 2027",
        "line 6: 2027-02-10 is a weekday; a make-up working day must be a Saturday or a Sunday",
        "line 7: 2027-01-01 is already listed on line 2",
        "line 8: expected “YYYY-MM-DD holiday|workday [name]”, found “just some words”",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01 holiday 元旦\n", "the header “year: YYYY” is missing"),
        ("year: 27\n2027-01-01 holiday\n", "line 1: the year must be a four-digit year from 2000 to 2199"),
        ("year: 2027\nyear: 2027\n2027-01-01 holiday\n", "line 2: the year is already given on line 1"),
        ("year: 2027\nlanguage: zh\n2027-01-01 holiday\n", "line 2: unknown header “language”"),
        ("year: 2027\n2027-01-09 workday\n", "no public holiday is listed for 2027"),
        ("year: 2027\n", "no public holiday is listed for 2027"),
        ("", "the header “year: YYYY” is missing"),
        (f"year: 2027\n2027-01-01 holiday {'x' * 101}\n", "line 2: the name is longer than 100 characters"),
        ("year: 2027\n2027-1-1 holiday\n", "line 2: “2027-1-1” is not a valid date"),
        ("year: 2027\n２０２７-01-01 holiday\n", "line 2: “２０２７-01-01” is not a valid date"),
    ],
)
def test_single_problems(text: str, message: str) -> None:
    with pytest.raises(CalendarImportError) as caught:
        parse_calendar_text(text)
    assert any(str(problem).startswith(message) for problem in caught.value.problems), caught.value.problems


def test_chinese_kind_words_byte_order_mark_and_full_width_colon() -> None:
    parsed = parse_calendar_text("\ufeffyear：2027\n2027-01-01 休 元旦\n2027-01-09 班\n")
    assert [entry.kind for entry in parsed.entries] == [DayKind.HOLIDAY, DayKind.WORKDAY]


def test_messages_are_translated_to_chinese() -> None:
    with translation.override("zh-hans"), pytest.raises(CalendarImportError) as caught:
        parse_calendar_text("year: 2027\n2027-02-30 holiday\n")
    assert str(caught.value.problems[0]).startswith("第 2 行")


def test_validate_entries_without_lines() -> None:
    problems = validate_entries(
        2027, [CalendarEntry(D(2027, 1, 1), DayKind.HOLIDAY), CalendarEntry(D(2027, 1, 1), DayKind.HOLIDAY)]
    )
    assert [str(problem) for problem in problems] == ["2027-01-01 is listed twice"]
    assert [str(problem) for problem in validate_entries(1999, [CalendarEntry(D(1999, 1, 1), DayKind.HOLIDAY)])] == [
        "the year must be a four-digit year from 2000 to 2199"
    ]


def test_format_schedule_round_trips() -> None:
    parsed = parse_calendar_text(SCHEDULE_2027)
    holidays = {entry.date: entry.name for entry in parsed.entries if entry.kind == DayKind.HOLIDAY}
    workdays = {entry.date: entry.name for entry in parsed.entries if entry.kind == DayKind.WORKDAY}
    again = parse_calendar_text(format_schedule(2027, holidays, workdays, parsed.source))
    assert [(entry.date, entry.kind, entry.name) for entry in again.entries] == [
        (entry.date, entry.kind, entry.name) for entry in parsed.entries
    ]
    assert again.source == parsed.source
