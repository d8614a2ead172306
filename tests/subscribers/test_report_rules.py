"""The pure rules of the real-name rate (regdesk.rules.realname_rate): targets, rates, regions, sampled days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules.realname_rate import (
    DEFAULT_TARGETS,
    RateCount,
    RateTarget,
    TargetsError,
    city_code,
    next_target,
    parse_targets,
    province_code,
    sample_days,
    target_at,
    total,
)


def test_the_regulators_targets_take_effect_on_their_dates() -> None:
    assert target_at(DEFAULT_TARGETS, dt.date(2016, 12, 30)) is None
    assert target_at(DEFAULT_TARGETS, dt.date(2016, 12, 31)) == DEFAULT_TARGETS[0]
    assert target_at(DEFAULT_TARGETS, dt.date(2017, 6, 29)).percent == Decimal(95)  # type: ignore[union-attr]
    assert target_at(DEFAULT_TARGETS, dt.date(2017, 6, 30)).percent == Decimal(100)  # type: ignore[union-attr]
    assert target_at(DEFAULT_TARGETS, dt.date(2026, 1, 1)).percent == Decimal(100)  # type: ignore[union-attr]
    assert next_target(DEFAULT_TARGETS, dt.date(2017, 1, 1)) == DEFAULT_TARGETS[1]
    assert next_target(DEFAULT_TARGETS, dt.date(2017, 6, 30)) is None


def test_targets_are_read_from_text_or_pairs_and_sorted() -> None:
    assert parse_targets("2017-06-30:100, 2016-12-31:95") == (
        RateTarget(dt.date(2016, 12, 31), Decimal(95)),
        RateTarget(dt.date(2017, 6, 30), Decimal(100)),
    )
    assert parse_targets([("2020-01-01", 99.5)]) == (RateTarget(dt.date(2020, 1, 1), Decimal("99.5")),)
    assert parse_targets([(dt.date(2020, 1, 1), "98", "notice")])[0].source == "notice"


@pytest.mark.parametrize(
    "value",
    [
        "2016-12-31",
        "2016-13-01:95",
        "2016-12-31:abc",
        "2016-12-31:101",
        "2016-12-31:-1",
        "2016-12-31:NaN",
        "2016-12-31:95,2016-12-31:100",
        [("2016-12-31",)],
        [(dt.datetime(2016, 12, 31, tzinfo=dt.UTC), 95)],
        42,
    ],
)
def test_bad_targets_are_refused(value: object) -> None:
    with pytest.raises(TargetsError):
        parse_targets(value)


def test_a_rate_is_rounded_to_two_decimals_but_never_to_a_full_or_empty_base() -> None:
    assert RateCount(5, 9).percent == Decimal("55.56")
    assert RateCount(2, 3).percent == Decimal("66.67")
    assert RateCount(1, 3).percent == Decimal("33.33")
    assert RateCount(1, 8).percent == Decimal("12.50")
    assert RateCount(99_999, 100_000).percent == Decimal("99.99")
    assert RateCount(1, 100_000).percent == Decimal("0.01")
    assert RateCount(0, 3).percent == Decimal("0.00")
    assert RateCount(0, 0).percent is None
    assert RateCount(0, 0).meets(DEFAULT_TARGETS[1]) is None
    assert RateCount(1, 1).meets(None) is None


def test_counts_add_up_and_refuse_impossible_values() -> None:
    assert total([RateCount(1, 2), RateCount(3, 4)]) == RateCount(4, 6)
    assert RateCount(4, 6).unregistered == 2
    with pytest.raises(ValueError, match="registered"):
        RateCount(3, 2)
    with pytest.raises(ValueError, match="registered"):
        RateCount(-1, 2)


@given(
    registered=st.integers(min_value=0, max_value=10**9),
    extra=st.integers(min_value=0, max_value=10**9),
    percent=st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_target_is_met_exactly_when_the_fraction_reaches_it(registered: int, extra: int, percent: Decimal) -> None:
    count = RateCount(registered, registered + extra)
    target = RateTarget(dt.date(2020, 1, 1), percent)
    if count.total == 0:
        assert count.meets(target) is None
        return
    exact = Fraction(registered, registered + extra) * 100
    assert count.meets(target) is (exact >= Fraction(str(percent)))
    shown = count.percent
    assert shown is not None
    assert abs(Fraction(str(shown)) - exact) <= Fraction(1, 100)
    if abs(Fraction(str(shown)) - exact) > Fraction(1, 200):
        # Only the ends move a figure by more than half a hundredth.
        assert shown in (Decimal("99.99"), Decimal("0.01"))
    assert (shown == Decimal(100)) is (extra == 0)
    assert (shown == Decimal(0)) is (registered == 0)


def test_regions_by_division_code() -> None:
    assert province_code("440305") == "440000"
    assert city_code("440305") == "440300"
    assert city_code("440000") == ""
    assert province_code("") == ""
    assert province_code("44030X") == ""


def test_sampled_days_by_month_end_with_the_end_itself() -> None:
    assert sample_days(dt.date(2025, 12, 15), dt.date(2026, 3, 5), "month") == [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 5),
    ]
    assert sample_days(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "month") == [dt.date(2026, 1, 31)]
    assert sample_days(dt.date(2024, 2, 28), dt.date(2024, 3, 1), "day") == [
        dt.date(2024, 2, 28),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 1),
    ]
    assert sample_days(dt.date(2026, 1, 2), dt.date(2026, 1, 1), "day") == []
    with pytest.raises(ValueError, match="granularity"):
        sample_days(dt.date(2026, 1, 1), dt.date(2026, 1, 2), "week")
