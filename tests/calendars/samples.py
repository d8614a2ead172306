"""Schedules in the import format used by several tests (2027 is not in the chinesecalendar package)."""

SCHEDULE_2027 = """\
# A test schedule for 2027 in the import format.
year: 2027
source: 国务院办公厅关于2027年部分节假日安排的通知（测试）

2027-01-01 holiday 元旦
2027-02-06 holiday 春节
2027-02-07 holiday 春节
2027-02-08 holiday 春节   # Monday
2027-02-09 holiday 春节
2027-02-10 holiday 春节
2027-02-11 holiday 春节
2027-02-12 holiday 春节
2027-02-20 workday 春节调休
"""

BROKEN_2027 = """\
year: 2027
2027-01-01 holiday 元旦
2027-02-30 holiday 春节
2027-02-08 vacation 春节
2026-12-31 holiday 元旦
2027-02-10 workday 春节调休
2027-01-01 holiday 元旦
just some words
"""
