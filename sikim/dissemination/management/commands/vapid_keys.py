from typing import Any

from django.core.management.base import BaseCommand

from sikim.dissemination.channels.webpush import generate_vapid_keys


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for web push, in the environment format. Set both once and keep "
        "them: browsers subscribed with the public key stop receiving when it changes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = generate_vapid_keys()
        self.stdout.write(f"SIKIM_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"SIKIM_VAPID_PRIVATE_KEY={private}")
