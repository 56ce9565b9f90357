from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sikim.accounts.models import ORGANISATION_SCOPED_ROLES, Role
from sikim.core.demo import DemoSeedError, demo_seed_all


class Command(BaseCommand):
    help = (
        "Create the demo accounts (one per role, known passwords) and every app's demo data "
        "(sikim/<app>/demo.py). Safe to run again. Refused in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo creates accounts with published passwords; it never runs in production.")
        try:
            accounts = demo_seed_all()
        except DemoSeedError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write("Demo accounts:")
        width = max((len(account.label) for account in accounts), default=0)
        for account in accounts:
            self.stdout.write(f"  {account.label:<{width}}  {account.login:<38}  password: {account.password}")
        seeded = {account.role for account in accounts}
        waiting = [role for role in Role if role not in seeded]
        if waiting:
            names = ", ".join(str(role.label) for role in waiting)
            why = (
                "their organisations (KIM, office, public body) come with later apps"
                if set(waiting) <= ORGANISATION_SCOPED_ROLES
                else "no app seeds them yet"
            )
            self.stdout.write(f"  No demo account yet for: {names} — {why}.")
