"""Demo data for `manage.py seed_demo` (which `make run` calls): known accounts for every role.

Each domain app adds its own demo data in `sikim/<app>/demo.py`, for example a KIM and its
pengurus:

    from sikim.core.demo import DemoAccount, demo_seeder

    @demo_seeder(order=200)
    def seed_kims() -> list[DemoAccount]:
        kim, _ = Kim.objects.get_or_create(...)   # idempotent: a second run changes nothing
        ...
        return [DemoAccount(role=Role.PENGURUS_KIM, label="Ketua KIM Guntung Paikat", login=..., password=...)]

`seed_demo` imports every installed app's `demo` module (the way the admin discovers
`admin.py`) and runs the seeders by `order`, each in its own transaction. Seeders that depend on
another app's demo data use a larger `order` (people are 100).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from sikim.accounts.models import Role, RoleGrant, User
from sikim.accounts.services import role_grant, user_register
from sikim.wilayah.models import Region


class DemoSeedError(Exception):
    """The demo data cannot be created, e.g. because the regions have not been imported."""


@dataclass(frozen=True)
class DemoAccount:
    role: str  # a sikim.accounts.models.Role value
    label: str  # who this is, e.g. "Pembina Kota Banjarbaru"
    login: str  # email or phone number
    password: str


Seeder = Callable[[], list[DemoAccount]]

_seeders: dict[str, tuple[int, Seeder]] = {}


def demo_seeder(*, order: int = 500) -> Callable[[Seeder], Seeder]:
    """Register a function that creates demo data (idempotently) and returns the accounts it made."""

    def register(seeder: Seeder) -> Seeder:
        _seeders[f"{seeder.__module__}.{seeder.__qualname__}"] = (order, seeder)
        return seeder

    return register


def registered_seeders() -> list[Seeder]:
    autodiscover_modules("demo")
    return [seeder for _name, (_order, seeder) in sorted(_seeders.items(), key=lambda item: (item[1][0], item[0]))]


def demo_seed_all() -> list[DemoAccount]:
    """Run every registered seeder; returns the demo accounts to show people."""
    accounts: list[DemoAccount] = []
    for seeder in registered_seeders():
        with transaction.atomic():
            accounts.extend(seeder())
    return accounts


# --- People -------------------------------------------------------------------------------
# The accounts every later app builds on. They belong with sikim.accounts; they live here
# until that app has a demo module of its own.

DEMO_PASSWORD = "sikim-demo"  # noqa: S105 - a published demo password, refused in production


@dataclass(frozen=True)
class _DemoPerson:
    label: str
    full_name: str
    email: str
    role: str
    region: str | None = None
    phone: str | None = None
    home_region: str | None = None


def _demo_people() -> list[_DemoPerson]:
    """The national administrator first: they create everyone else."""
    return [
        _DemoPerson("Admin nasional", "Admin Nasional", "admin@demo.sikim.test", Role.NATIONAL_ADMIN),
        _DemoPerson(
            "Pembina Provinsi Kalimantan Selatan", "Dewi Lestari", "pembina.kalsel@demo.sikim.test", Role.PEMBINA, "63"
        ),
        _DemoPerson(
            "Pembina Kota Banjarbaru", "Rahmat Hidayat", "pembina.banjarbaru@demo.sikim.test", Role.PEMBINA, "63.72"
        ),
        _DemoPerson(
            "Pembina Kabupaten Jembrana", "Made Sudarsana", "pembina.jembrana@demo.sikim.test", Role.PEMBINA, "51.01"
        ),
        _DemoPerson(
            "Warga Kelurahan Guntung Paikat",
            "Siti Aminah",
            "warga.guntungpaikat@demo.sikim.test",
            Role.WARGA,
            "63.72.05.1004",
            phone="+6281200000005",
            home_region="63.72.05.1004",
        ),
    ]


@demo_seeder(order=100)
def seed_people() -> list[DemoAccount]:
    """The demo people, through the accounts services (so they have an audit trail), as the admin."""
    people = _demo_people()
    needed = {code for person in people for code in (person.region, person.home_region) if code}
    regions = Region.objects.in_bulk(needed)
    if missing := sorted(needed - set(regions)):
        raise DemoSeedError(
            f"Regions {', '.join(missing)} are not in the database. "
            "Load the region tree first: python manage.py import_wilayah"
        )

    admin_person, *others = people
    admin = _demo_user(admin_person, actor=None, regions=regions)
    if not (admin.is_staff and admin.is_superuser):
        # The first administrator has no one above them to grant the role: like `createsuperuser`.
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    accounts = []
    for person, user in [(admin_person, admin)] + [(p, _demo_user(p, actor=admin, regions=regions)) for p in others]:
        region = regions[person.region] if person.region else None
        if not RoleGrant.objects.filter(user=user, role=person.role, region=region, revoked_at=None).exists():
            role_grant(actor=admin, user=user, role=person.role, region=region)
        accounts.append(DemoAccount(role=person.role, label=person.label, login=person.email, password=DEMO_PASSWORD))
    return accounts


def _demo_user(person: _DemoPerson, *, actor: User | None, regions: dict[str, Region]) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        # The password is set only when the account is created: hashing is slow on purpose, and a
        # second `make run` must start in seconds.
        user = user_register(
            actor=actor,
            full_name=person.full_name,
            email=person.email,
            phone=person.phone,
            password=DEMO_PASSWORD,
            home_region=regions[person.home_region] if person.home_region else None,
        )
    return user
