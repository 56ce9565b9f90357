import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sikim.wilayah.services import SOURCE_DESCRIPTION, region_tree_import


class Command(BaseCommand):
    help = "Load or update Indonesia's region tree (Kemendagri 2025) from the shipped data. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            nargs="*",
            default=None,
            help="Region codes whose subtrees alone are imported, e.g. 63.72 51.01 (default: all of Indonesia).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        last_line = [""]

        def progress(stage: str, done: int, total: int) -> None:
            if total == 0:
                return
            line = f"  {stage}: {done:,}/{total:,} ({done * 100 // total}%)"
            if line != last_line[0]:
                self.stdout.write(line)
                last_line[0] = line

        self.stdout.write(f"Source: {SOURCE_DESCRIPTION}")
        summary = region_tree_import(only_prefixes=options["only"], progress=progress)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions: {summary.created:,} created, {summary.updated:,} updated, "
                f"{summary.unchanged:,} unchanged, {summary.missing_from_source:,} no longer in the source "
                f"({elapsed:.1f} s, peak memory {peak_mb:.0f} MB)."
            )
        )
