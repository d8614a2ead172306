"""Streaming readers of subscriber-base files: batches of at most ``batch_size`` rows, in bounded memory.

CSV goes through the ``csv`` module over a buffered text stream (the file is never read whole); Parquet through
``pyarrow.parquet.ParquetFile.iter_batches`` (one record batch at a time; pyarrow holds at most the row group it
reads, so a writer's row-group size bounds its buffers). Each batch is a list of ``(row_number, row)`` where the
row maps column keys to cell values. ``position()`` says how far the reader got, for progress displays.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from regdesk.subscribers.imports.columns import COLUMNS, column_key, missing_columns

Batch = list[tuple[int, dict[str, Any]]]


class FileRefused(Exception):
    """The file cannot be read as a subscriber base: a code, and the row where reading stopped (0: the header)."""

    def __init__(self, code: str, row_number: int = 0) -> None:
        super().__init__(f"{code} at row {row_number}")
        self.code = code
        self.row_number = row_number


@dataclass
class Position:
    rows_read: int = 0
    bytes_read: int = 0
    bytes_total: int = 0
    rows_total: int | None = None


class BaseReader(Protocol):
    position: Position

    def batches(self) -> Iterator[Batch]: ...


class _CountingStream(io.RawIOBase):
    """A binary stream that counts the bytes read through it (progress by bytes for CSV)."""

    def __init__(self, raw: BinaryIO, position: Position) -> None:
        self.raw = raw
        self.position = position

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.position.bytes_read += size
        return size


class CsvReader:
    """A CSV file with a header row (UTF-8 with or without BOM, or ``encoding``)."""

    def __init__(self, path: Path, *, batch_size: int, encoding: str = "utf-8-sig") -> None:
        self.path = path
        self.batch_size = batch_size
        self.encoding = encoding
        self.position = Position(bytes_total=os.path.getsize(path))

    def batches(self) -> Iterator[Batch]:
        with self.path.open("rb") as raw:
            counting = io.BufferedReader(_CountingStream(raw, self.position), buffer_size=1 << 16)
            stream = io.TextIOWrapper(counting, encoding=self.encoding, errors="strict", newline="")
            reader = csv.reader(stream)
            row_number = 0
            try:
                header = next(reader, None)
                if header is None:
                    raise FileRefused("empty")
                missing = missing_columns(header)
                if missing:
                    raise FileRefused("column_missing")
                keys = [column_key(name) for name in header]
                wanted = [(index, key) for index, key in enumerate(keys) if key in COLUMNS]
                batch: Batch = []
                for cells in reader:
                    row_number += 1
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue  # blank line
                    row = {key: cells[index] if index < len(cells) else None for index, key in wanted}
                    batch.append((row_number, row))
                    self.position.rows_read = row_number
                    if len(batch) >= self.batch_size:
                        yield batch
                        batch = []
                if batch:
                    yield batch
            except UnicodeDecodeError:
                raise FileRefused("encoding", row_number + 1) from None
            except csv.Error:
                raise FileRefused("csv_malformed", row_number + 1) from None


class ParquetReader:
    """A Parquet file, read one record batch at a time."""

    def __init__(self, path: Path, *, batch_size: int) -> None:
        self.path = path
        self.batch_size = batch_size
        self.position = Position(bytes_total=os.path.getsize(path))

    def batches(self) -> Iterator[Batch]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(self.path)
        except (pa.ArrowException, OSError):
            raise FileRefused("parquet_unreadable") from None
        with parquet:
            names = list(parquet.schema_arrow.names)
            if missing_columns(names):
                raise FileRefused("column_missing")
            self.position.rows_total = parquet.metadata.num_rows
            by_key = {column_key(name): name for name in names}
            wanted = [(by_key[key], key) for key in COLUMNS if key in by_key]
            row_number = 0
            try:
                for record_batch in parquet.iter_batches(
                    batch_size=self.batch_size, columns=[name for name, _key in wanted], use_threads=False
                ):
                    columns = [record_batch.column(name).to_pylist() for name, _key in wanted]
                    batch: Batch = []
                    keys = [key for _name, key in wanted]
                    for values in zip(*columns, strict=True):
                        row_number += 1
                        batch.append((row_number, dict(zip(keys, values, strict=True))))
                    del columns
                    self.position.rows_read = row_number
                    yield batch
            except pa.ArrowException:
                raise FileRefused("parquet_unreadable", row_number + 1) from None


def open_reader(path: Path, file_format: str, *, batch_size: int, encoding: str = "utf-8-sig") -> BaseReader:
    if file_format == "parquet":
        return ParquetReader(path, batch_size=batch_size)
    return CsvReader(path, batch_size=batch_size, encoding=encoding)


def guess_format(path: Path) -> str:
    """``parquet`` for a file that starts with Parquet's magic bytes, else ``csv``."""
    with path.open("rb") as handle:
        return "parquet" if handle.read(4) == b"PAR1" else "csv"
