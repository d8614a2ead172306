"""``regdesk lines import FILE``, ``regdesk lines classify``, ``regdesk lines benchmark-import --rows N``.

* ``import FILE [--format csv|parquet] [--unit CODE] [--batch-size N] [--encoding ENC] [--no-progress]``: import a
  subscriber base (columns: ``regdesk.subscribers.imports.columns``) for the outlets under the unit (the root unit
  by default), with a progress bar on the terminal (rows/s, ETA) and a summary at the end. Exit code 1 when the
  file could not be read to its end; refused rows are listed but do not change the exit code.
* ``classify [--unit CODE]``: classify every imported line again with the current rules.
* ``benchmark-import --rows N [--format parquet|csv] [--batch-size N] [--database-url URL] [--keep]``: generate a
  synthetic base in a temporary directory, import it into a throw-away SQLite database there (or the database
  given), and print the time, rows/s and the peak memory of the importing process. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regdesk.accounts.models import OrgUnit
from regdesk.subscribers.imports.readers import Position, guess_format
from regdesk.subscribers.models import ImportJob, ImportStatus

BENCHMARK_OUTLETS = ("bench-hall-1", "bench-hall-2", "bench-agent-1")


def _rss_kib() -> int:
    """The resident set size now, in KiB (Linux), or the peak so far elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Command(BaseCommand):
    help = "Import subscriber bases, classify imported lines, benchmark the import."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
        imports = commands.add_parser("import", help="import a subscriber base (CSV or Parquet)")
        imports.add_argument("file")
        imports.add_argument("--format", choices=["csv", "parquet"], help="default: from the file's first bytes")
        imports.add_argument("--unit", help="code of the unit whose outlets the file covers (default: the root)")
        imports.add_argument("--batch-size", type=int)
        imports.add_argument("--encoding", default="utf-8-sig", help="CSV encoding (default UTF-8, BOM allowed)")
        imports.add_argument("--no-progress", action="store_true", help="no progress bar")
        classify = commands.add_parser("classify", help="classify every imported line again")
        classify.add_argument("--unit")
        benchmark = commands.add_parser("benchmark-import", help="time the import of a synthetic base")
        benchmark.add_argument("--rows", type=int, default=100_000)
        benchmark.add_argument("--format", choices=["csv", "parquet"], default="parquet")
        benchmark.add_argument("--batch-size", type=int)
        benchmark.add_argument("--database-url", help="import into this database instead of a throw-away SQLite")
        benchmark.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
        benchmark.add_argument("--keep", action="store_true", help="keep the temporary directory")
        # Internal: the child process of the benchmark.
        benchmark.add_argument("--child", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "classify":
            self._classify(options)
        elif options.get("child"):
            self._benchmark_child(options)
        else:
            self._benchmark(options)

    # --- import ---------------------------------------------------------------------------------------------

    def _unit(self, code: str | None) -> OrgUnit:
        if code:
            unit = OrgUnit.objects.filter(code=code, active=True).first()
            if unit is None:
                raise CommandError(f"no active unit with the code {code!r}", returncode=2)
            return unit
        roots = list(OrgUnit.objects.filter(parent__isnull=True, active=True)[:2])
        if len(roots) != 1:
            raise CommandError("name the unit with --unit CODE", returncode=2)
        return roots[0]

    def _import(self, options: dict[str, Any]) -> None:
        from regdesk.subscribers.imports.services import MAX_BATCH_SIZE, import_job_create, import_job_run
        from regdesk.subscribers.services.errors import RegistrationRefused

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        batch_size = options["batch_size"]
        if batch_size is not None and not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size must be 1 to {MAX_BATCH_SIZE}", returncode=2)
        file_format = options["format"] or guess_format(path)
        unit = self._unit(options["unit"])
        try:
            job = import_job_create(actor=None, unit=unit, file_format=file_format, path=str(path))
        except RegistrationRefused as refused:
            raise CommandError(str(refused.message), returncode=2) from None
        started = time.monotonic()
        progress = None if options["no_progress"] else _ProgressBar(file_format)
        try:
            job = import_job_run(
                job=job,
                path=path,
                batch_size=batch_size,
                encoding=options["encoding"],
                on_progress=progress.update if progress is not None else None,
            )
        finally:
            if progress is not None:
                progress.stop()
        self._summary(job, time.monotonic() - started)
        if job.status != ImportStatus.DONE:
            raise CommandError(f"the import stopped: {job.error_code}", returncode=1)

    def _summary(self, job: ImportJob, elapsed: float) -> None:
        rate = job.rows_read / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            f"import #{job.pk}: {job.status}; rows read {job.rows_read}, lines created {job.rows_created}, "
            f"updated {job.rows_updated}, rows refused {job.rows_failed}; {elapsed:.1f} s, {rate:,.0f} rows/s"
        )
        for group, count in sorted(job.groups.items()):
            self.stdout.write(f"  {group}: {count}")
        errors = list(job.row_errors.all()[:20])
        for error in errors:
            self.stdout.write(f"  row {error.row_number}: {error.field}: {error.code}")
        if job.rows_failed > len(errors):
            self.stdout.write(f"  ... {job.rows_failed - len(errors)} more refused rows (see the desk)")

    def _classify(self, options: dict[str, Any]) -> None:
        from regdesk.subscribers.imports.services import lines_classify

        unit = self._unit(options["unit"]) if options["unit"] else None
        totals = lines_classify(actor=None, unit=unit)
        for group, count in sorted(totals.items()):
            self.stdout.write(f"{group}: {count}")

    # --- benchmark ------------------------------------------------------------------------------------------

    def _benchmark(self, options: dict[str, Any]) -> None:
        from regdesk.subscribers.imports import synthetic

        rows = options["rows"]
        if not 1 <= rows <= 100_000_000:
            raise CommandError("--rows must be 1 to 100000000", returncode=2)
        directory = Path(tempfile.mkdtemp(prefix="regdesk-benchmark-"))
        try:
            source = directory / f"base.{options['format']}"
            started = time.monotonic()
            writer = synthetic.write_parquet if options["format"] == "parquet" else synthetic.write_csv
            writer(source, rows, BENCHMARK_OUTLETS)
            generated = time.monotonic() - started
            self.stdout.write(
                f"generated {rows:,} rows ({source.stat().st_size / 1e6:,.1f} MB {options['format']}) "
                f"in {generated:.1f} s"
            )
            environment = {**os.environ, "REGDESK_VAR_DIR": str(directory / "var")}
            environment.pop("REGDESK_VAULT_KEYS_FILE", None)
            environment["REGDESK_DATABASE_URL"] = options["database_url"] or f"sqlite:///{directory / 'bench.sqlite3'}"
            command = [sys.executable, "-m", "regdesk.cli"]
            subprocess.run([*command, "migrate", "--no-input", "-v", "0"], env=environment, check=True)  # noqa: S603
            child = [*command, "lines", "benchmark-import", "--child", str(source), "--format", options["format"]]
            if options["batch_size"]:
                child += ["--batch-size", str(options["batch_size"])]
            if options["tracemalloc"]:
                child.append("--tracemalloc")
            answer = subprocess.run(child, env=environment, check=True, capture_output=True, text=True)  # noqa: S603
            figures = json.loads(answer.stdout.strip().splitlines()[-1])
            self.stdout.write(
                f"imported {figures['rows']:,} rows in {figures['seconds']:.1f} s: {figures['rows_per_second']:,.0f} "
                f"rows/s; created {figures['created']:,}, refused {figures['refused']:,}"
            )
            self.stdout.write(
                f"memory of the importing process: peak RSS {figures['peak_rss_mib']:.1f} MiB "
                f"(before the import {figures['baseline_rss_mib']:.1f} MiB, "
                f"growth {figures['peak_rss_mib'] - figures['baseline_rss_mib']:.1f} MiB)"
            )
            if figures.get("tracemalloc_peak_mib") is not None:
                self.stdout.write(f"Python allocations (tracemalloc): peak {figures['tracemalloc_peak_mib']:.1f} MiB")
            self.stdout.write(f"groups: {json.dumps(figures['groups'], sort_keys=True)}")
            self.stdout.write(json.dumps(figures, sort_keys=True))
        finally:
            if options["keep"]:
                self.stdout.write(f"kept {directory}")
            else:
                shutil.rmtree(directory, ignore_errors=True)

    def _benchmark_child(self, options: dict[str, Any]) -> None:
        """Runs in the throw-away database: the outlets, then the import, measured."""
        import tracemalloc

        from regdesk.accounts.roles import UnitKind
        from regdesk.subscribers.imports.services import import_job_create, import_job_run
        from regdesk.subscribers.services import outlet_configure

        root = OrgUnit.objects.filter(code="bench-provider").first() or OrgUnit.objects.create(
            code="bench-provider", name="Benchmark provider", kind=UnitKind.PROVIDER
        )
        for code in BENCHMARK_OUTLETS:
            if not OrgUnit.objects.filter(code=code).exists():
                outlet = OrgUnit.objects.create(code=code, name=code, kind=UnitKind.OUTLET, parent=root)
                outlet_configure(actor=None, unit=outlet, channel="agent" if "agent" in code else "own_hall")
        source = Path(options["child"])
        job = import_job_create(actor=None, unit=root, file_format=options["format"], path=str(source))
        baseline = _rss_kib()
        if options["tracemalloc"]:
            tracemalloc.start()
        started = time.monotonic()
        job = import_job_run(job=job, path=source, batch_size=options["batch_size"])
        seconds = time.monotonic() - started
        traced = tracemalloc.get_traced_memory()[1] if options["tracemalloc"] else None
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(
            json.dumps(
                {
                    "rows": job.rows_read,
                    "created": job.rows_created,
                    "refused": job.rows_failed,
                    "status": job.status,
                    "seconds": seconds,
                    "rows_per_second": job.rows_read / seconds if seconds else 0,
                    "baseline_rss_mib": baseline / 1024,
                    "peak_rss_mib": peak / 1024,
                    "tracemalloc_peak_mib": traced / 2**20 if traced is not None else None,
                    "groups": job.groups,
                }
            )
        )


class _ProgressBar:
    """rich's progress bar on standard error: by bytes for CSV (the row count is unknown until the end), by rows
    for Parquet; rows/s and the time left."""

    def __init__(self, file_format: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.started = time.monotonic()
        self.by_rows = file_format == "parquet"
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[rows]:>12,} rows · {task.fields[rate]:>8,.0f} rows/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task("import", total=None, rows=0, rate=0.0)
        self.progress.start()

    def update(self, job: ImportJob, position: Position) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        if self.by_rows and position.rows_total:
            total, completed = position.rows_total, position.rows_read
        else:
            total, completed = position.bytes_total, position.bytes_read
        self.progress.update(
            self.task, total=total, completed=completed, rows=position.rows_read, rate=position.rows_read / elapsed
        )

    def stop(self) -> None:
        self.progress.stop()
