from typing import Any

from django.core.management.base import BaseCommand

from sikim.kim.services.offices import pembina_offices_create_all


class Command(BaseCommand):
    help = "Create the Dinas Kominfo (pembina office) of every province and kabupaten/kota. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        created = pembina_offices_create_all()
        self.stdout.write(self.style.SUCCESS(f"Pembina offices: {created:,} created."))
