"""Read one raw email on stdin and take it in as an aspiration (for an MTA pipe).

Postfix, for example (master.cf):

    sikim unix - n n - - pipe
      flags=Rq user=sikim argv=/srv/sikim/.venv/bin/python /srv/sikim/manage.py receive_email

The exit status is 0 when the message was handled (an aspiration, a duplicate, a help reply, or an
auto-reply ignored) and non-zero when it is too large, so the MTA bounces it with the reason.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sikim.aspirations.services.intake import EMAIL_MAX_BYTES, EmailTooLarge, email_intake


class Command(BaseCommand):
    help = "Take in one raw RFC 822 email from stdin as an aspiration (reply by email)."

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read(EMAIL_MAX_BYTES + 1)
        try:
            outcome = email_intake(raw=raw)
        except EmailTooLarge:
            raise CommandError(f"Message larger than {EMAIL_MAX_BYTES} bytes: refused.") from None
        code = outcome.aspiration.code if outcome.aspiration is not None else "-"
        self.stdout.write(f"{outcome.result} {code}")
