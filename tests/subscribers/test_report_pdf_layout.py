"""The PDF's tables: every cell's text stays within its column, and a "（…）" is never split or left alone at the
start of a line (each cell wrapped by reportlab exactly as the document sets it, then measured)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from regdesk.documents.fonts import find_cjk_font, register_cjk_font
from regdesk.rules.realname_rate import RateCount, RateTarget
from regdesk.subscribers.reports.pdf import report_story
from regdesk.subscribers.reports.selectors import RateReport, RateRow, ReportFilters, SeriesPoint, StateRow

# reportlab's default cell padding: 6 pt on the left and 6 pt on the right (the tables keep it).
CELL_PADDING = 12
TARGET = RateTarget(dt.date(2017, 6, 30), Decimal(100))
# Names and codes as long as the demo's and the models allow (a unit's code holds up to 50 characters).
UNITS = [
    RateRow("provider", "华信云网络科技有限公司（演示）", RateCount(5, 9), False, 0, "provider"),
    RateRow("bj-branch", "北京分公司", RateCount(5, 9), False, 1, "branch"),
    RateRow("agent-hengtong", "恒通卡号（代理商，已暂停）", RateCount(0, 2), False, 2, "agent"),
    RateRow("agent-hengtong-shop", "恒通卡号西单店", RateCount(0, 2), False, 3, "outlet"),
    RateRow(
        "agent-xinda-zhongguancun-flagship-store-haidian-01",
        "信达通讯中关村旗舰店（海淀区中关村大街）",
        RateCount(5, 7),
        False,
        3,
    ),
    RateRow("x" * 50, "一个名字非常非常长的营业厅" * 3, RateCount(1, 3), False, 3),
]
CHANNELS = [RateRow("cooperating_hall", "合作营业厅", RateCount(5, 9), False)]
REGIONS = [
    RateRow("110000", "北京市", RateCount(5, 9), False, 0, "省"),
    RateRow("", "无行政区划代码", RateCount(0, 0), None),
]


def report() -> RateReport:
    return RateReport(
        generated_at=timezone.now(),
        as_of=dt.date(2026, 3, 5),
        filters=ReportFilters(unit_ids=frozenset(), date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 5)),
        targets=(TARGET,),
        target=TARGET,
        next_target=None,
        overall=RateCount(5, 9),
        overall_meets=False,
        by_unit=UNITS,
        by_channel=CHANNELS,
        by_region=REGIONS,
        by_state=[StateRow("registered", "已实名登记", 5), StateRow("unit_name", "以单位或经办人名义登记的集团卡", 4)],
        series=[SeriesPoint(dt.date(2026, 3, 5), RateCount(5, 9), Decimal(100), "live")],
    )


def line_texts(paragraph: Paragraph) -> list[tuple[str, float]]:
    """Each line of a wrapped paragraph: its text and the room left on it (negative: it runs over the edge)."""
    lines = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):
            extra, words = line
            lines.append((" ".join(words), extra))
        else:
            text = "".join(getattr(word, "text", "") for word in line.words)
            lines.append((text, line.extraSpace))
    return lines


def cells(story: list[Any]) -> list[tuple[Any, float]]:
    found: list[tuple[Any, float]] = []
    for flowable in story:
        if isinstance(flowable, Table):
            for row in flowable._cellvalues:
                found.extend(zip(row, flowable._colWidths, strict=True))
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_cell_wraps_within_its_column_and_keeps_brackets_together(language: str) -> None:
    font = register_cjk_font(find_cjk_font())
    with translation.override(language):
        story = report_story(report(), font)
    found = cells(story)
    assert len(found) > 50
    texts = []
    for value, width in found:
        room = width - CELL_PADDING
        if not isinstance(value, Paragraph):
            # A plain value is set on one line: it must fit as it is.
            assert stringWidth(str(value), font, 8) <= room, value
            continue
        value.wrap(room, 10_000)
        lines = line_texts(value)
        text = "".join(line for line, _extra in lines)
        texts.append(text)
        for line, extra in lines:
            assert extra >= -0.01, f"{line!r} runs {-extra:.1f} pt over its cell"
            assert not line.lstrip("\u00a0").startswith(("）", ")", "，", "。")), f"{text!r} wraps before {line!r}"
        if "（" in text and text.endswith("）"):
            bracket = text[text.rindex("（") :]
            assert any(bracket in line for line, _extra in lines), f"{bracket!r} is split: {lines!r}"
    # The long code and the long names are there, whole.
    assert any(text.replace("\u00a0", "") == "x" * 50 for text in texts)
    assert any("信达通讯中关村旗舰店（海淀区中关村大街）" in text for text in texts)
