"""A synthetic subscriber base for benchmarks and demonstrations: valid-looking numbers and documents, a mix of
the groups of unregistered lines, written row by row (CSV) or in row groups (Parquet) in bounded memory.

Nobody in it exists: names are drawn from common surnames and given-name characters, ID numbers are built with
a correct check character for random birth dates at a few real address codes.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from regdesk.rules.identity.checksums import mod_11_2_check
from regdesk.subscribers.imports.columns import COLUMNS

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰晓东海燕鹏飞宇浩然子涵欣怡梓轩雨桐"
_PLACES = (
    "北京市朝阳区建国路",
    "上海市浦东新区世纪大道",
    "广州市天河区天河路",
    "成都市武侯区人民南路",
    "杭州市西湖区文三路",
)
# Address codes of GB/T 2260 (Beijing Chaoyang, Shanghai Pudong, Guangzhou Tianhe, Chengdu Wuhou, Hangzhou Xihu).
_REGIONS = ("110105", "310115", "440106", "510107", "330106")
_TEMPORARY = ("临时账户", "某某代办", "临时用户", "测试", "未知")
_UNITS = ("华信科技有限公司", "市第一人民医院", "城建集团", "区税务局")
# Shares of the mix, in per mille: registered, temporary, incomplete, owner not user, unit line, invalid ID.
MIX = (700, 80, 80, 50, 50, 40)


def resident_id(rng: random.Random) -> str:
    """A resident identity number with a real address code, birth date and a correct check character."""
    region = rng.choice(_REGIONS)
    birth = f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{region}{birth}{rng.randint(0, 999):03d}"
    return body + mod_11_2_check(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _mobile(serial: int) -> str:
    # 139xxxxxxxx, 138..., 137...: unique for the first 300 million serials.
    return f"{139 - serial // 100_000_000}{serial % 100_000_000:08d}"


def rows(count: int, outlets: Sequence[str], *, seed: int = 20260101) -> Iterator[dict[str, Any]]:
    """``count`` rows of the columns of ``imports.columns``, the groups mixed as in ``MIX``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    cumulative = [sum(MIX[: index + 1]) for index in range(len(MIX))]
    recent_ids: list[str] = []
    for serial in range(count):
        pick = rng.randrange(1000)
        group = next(index for index, bound in enumerate(cumulative) if pick < bound)
        prepaid = rng.random() < 0.7
        row: dict[str, Any] = {
            "number": _mobile(serial),
            "kind": "mobile" if rng.random() < 0.93 else "data_card",
            "payment": "prepaid" if prepaid else "postpaid",
            "status": "active",
            "outlet": outlets[serial % len(outlets)],
            "opened_at": f"{rng.randint(2005, 2016)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "holder_kind": "individual",
            "document_type": "resident_id",
            "document_number": "",
            "name": person_name(rng),
            "address": f"{rng.choice(_PLACES)}{rng.randint(1, 999)}号",
            "installation_address": "",
            "prepaid_balance": f"{rng.randint(0, 20000) / 100:.2f}" if prepaid else "",
            "unit_line": "0",
            "owner_not_user": "0",
        }
        # Some people hold two or three lines: reuse a recent ID now and then.
        if recent_ids and rng.random() < 0.1:
            number = rng.choice(recent_ids)
        else:
            number = resident_id(rng)
            recent_ids = [*recent_ids[-99:], number]
        row["document_number"] = number
        if group == 1:
            row["name"] = rng.choice(_TEMPORARY)
        elif group == 2:
            row[rng.choice(("address", "document_number", "name"))] = ""
        elif group == 3:
            row["owner_not_user"] = "1"
        elif group == 4:
            row["unit_line"] = "1"
            row["name"] = rng.choice(_UNITS)
        elif group == 5:
            body = number[:17]
            row["document_number"] = body + ("0" if number[17] != "0" else "1")
        yield row


def write_csv(path: Path, count: int, outlets: Sequence[str], *, seed: int = 20260101) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in rows(count, outlets, seed=seed):
            writer.writerow(row)


def write_parquet(
    path: Path, count: int, outlets: Sequence[str], *, seed: int = 20260101, row_group_size: int = 50_000
) -> None:
    """Parquet with all columns as strings, written one row group at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in COLUMNS])
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        chunk: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        filled = 0
        for row in rows(count, outlets, seed=seed):
            for name in COLUMNS:
                chunk[name].append(row[name] or None)
            filled += 1
            if filled == row_group_size:
                writer.write_table(pa.table(chunk, schema=schema))
                chunk = {name: [] for name in COLUMNS}
                filled = 0
        if filled:
            writer.write_table(pa.table(chunk, schema=schema))
