"""Generate a national-scale synthetic KIM registry, for benchmarks and load tests.

    python manage.py generate_national --kims 12000 --members 1000000 --seed 1

KIMs go to villages picked deterministically (by `--seed`) from the whole region tree (so
load the full tree first: `python manage.py import_wilayah`), with sectors, formations, map
points near their province's centre for most of them, members (people and organisations,
inserted in batches with `executemany`, never one ORM save per row, and never all in memory),
a board term and kelompok desiminasi for every formed KIM, and a Forum KIM for some
kabupaten/kota. The same seed gives the same data.

Every generated row is marked: KIM, office and forum slugs start with "nas-", registration
numbers with "NAS-". The command refuses to run on a database that already holds generated
rows unless `--reset`, which deletes them first (and nothing else). No audit events are
written: this is synthetic data, not anybody's action.
"""

import random
import time
from collections import defaultdict
from datetime import date, timedelta
from typing import Any, Final

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from sikim.forums.models import ForumBoardPosition, ForumLevel, ForumMembership, KimForum
from sikim.kim.demo import FIRST_NAMES, LAST_NAMES, OCCUPATIONS, ORGANISATIONS, jittered_point
from sikim.kim.models import (
    BoardPosition,
    BoardPositionKind,
    BoardTerm,
    DisseminationGroup,
    Formation,
    Kim,
    KimDocument,
    KimMember,
    KimSector,
    KimStatus,
    KimStatusChange,
    MemberImport,
    PembinaOffice,
    Sector,
)
from sikim.wilayah.models import Region, RegionLevel

PREFIX: Final = "nas-"
NUMBER_PREFIX: Final = "NAS-"
BATCH: Final = 10_000
# Share of generated KIMs in each status (the rest are active).
STATUS_SHARES: Final = (
    (KimStatus.DIUSULKAN, 0.06),
    (KimStatus.DIBENTUK, 0.09),
    (KimStatus.TERDAFTAR, 0.15),
    (KimStatus.TIDAK_AKTIF, 0.08),
    (KimStatus.DIBUBARKAN, 0.02),
)
REGISTERED: Final = {KimStatus.TERDAFTAR, KimStatus.AKTIF, KimStatus.TIDAK_AKTIF, KimStatus.DIBUBARKAN}
SECTORS: Final = [s.value for s in Sector if s != Sector.LAINNYA]
MEMBER_COLUMNS: Final = (
    "kim_id",
    "kind",
    "name",
    "organisation_type",
    "phone",
    "email",
    "gender",
    "age_group",
    "occupation",
    "sector",
    "preferred_channel",
    "consent_email",
    "consent_sms",
    "consent_whatsapp",
    "consent_telegram",
    "joined_on",
    "is_active",
    "created_at",
    "updated_at",
)
AGE_GROUPS: Final = ("18_29", "30_44", "45_59", "60plus", "u18")
AGE_WEIGHTS: Final = (30, 35, 22, 10, 3)
# Members a board and the kelompok desiminasi are drawn from (the first ones of each KIM).
CORE_MEMBERS: Final = 12


def _generated_kims() -> Any:
    return Kim.objects.filter(slug__startswith=PREFIX)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Children first. Table names come from the models' _meta (never from input); the slug
# pattern is a query parameter.
DELETE_STATEMENTS: Final = (
    "DELETE FROM {forum_board} WHERE forum_id IN ({forum_ids})",
    "DELETE FROM {forum_membership} WHERE forum_id IN ({forum_ids})",
    "DELETE FROM {forum_membership} WHERE kim_id IN ({kim_ids})",
    "UPDATE {forum_board} SET from_kim_id = NULL WHERE from_kim_id IN ({kim_ids})",
    "DELETE FROM {forum} WHERE slug LIKE %s",
    "DELETE FROM {board_position} WHERE term_id IN (SELECT id FROM {board_term} WHERE kim_id IN ({kim_ids}))",
    "DELETE FROM {board_term} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {group_members} WHERE disseminationgroup_id IN (SELECT id FROM {group} WHERE kim_id IN ({kim_ids}))",
    "DELETE FROM {group} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {member} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {member_import} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {document} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {facilitators} WHERE formation_id IN (SELECT id FROM {formation} WHERE kim_id IN ({kim_ids}))",
    "DELETE FROM {formation} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {status_change} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {sector} WHERE kim_id IN ({kim_ids})",
    "DELETE FROM {kim} WHERE slug LIKE %s",
    "DELETE FROM {office} WHERE slug LIKE %s AND id NOT IN "
    "(SELECT pembina_office_id FROM {kim} WHERE pembina_office_id IS NOT NULL)",
)


def _sql(template: str, **extra: str) -> str:
    tables = {
        "forum": _table(KimForum),
        "forum_board": _table(ForumBoardPosition),
        "forum_membership": _table(ForumMembership),
        "board_position": _table(BoardPosition),
        "board_term": _table(BoardTerm),
        "group": _table(DisseminationGroup),
        "group_members": _table(DisseminationGroup.members.through),
        "member": _table(KimMember),
        "member_import": _table(MemberImport),
        "document": _table(KimDocument),
        "facilitators": _table(Formation.facilitators.through),
        "formation": _table(Formation),
        "status_change": _table(KimStatusChange),
        "sector": _table(KimSector),
        "kim": _table(Kim),
        "office": _table(PembinaOffice),
    }
    tables["kim_ids"] = f"SELECT id FROM {tables['kim']} WHERE slug LIKE %s"  # noqa: S608 - a table name
    tables["forum_ids"] = f"SELECT id FROM {tables['forum']} WHERE slug LIKE %s"  # noqa: S608 - a table name
    return template.format(**tables, **extra)


def delete_generated(stdout: Any = None) -> int:
    """Delete every generated row (and only those) with set-based statements, no row by row."""
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for template in DELETE_STATEMENTS:
            sql = _sql(template)
            cursor.execute(sql, [f"{PREFIX}%"] * sql.count("%s"))
            deleted += max(cursor.rowcount, 0)
    if stdout is not None:
        stdout.write(f"  deleted {deleted:,} generated rows")
    return deleted


class Generator:
    def __init__(self, *, kims: int, members: int, seed: int, stdout: Any) -> None:
        self.kim_count = kims
        self.member_count = members
        self.rng = random.Random(seed)  # noqa: S311 - deterministic synthetic data
        self.stdout = stdout
        self.now = timezone.now()
        self.today = timezone.localdate()

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # --- Villages, offices, KIMs ------------------------------------------------------------

    def pick_villages(self) -> list[tuple[str, str, str]]:
        taken = set(Kim.objects.values_list("region_id", flat=True))
        villages = [
            row
            for row in Region.objects.filter(level=RegionLevel.DESA_KELURAHAN)
            .order_by("code")
            .values_list("code", "name", "kind")
            .iterator(chunk_size=20_000)
            if row[0] not in taken
        ]
        if not villages:
            raise CommandError(
                "There are no villages to put KIMs in. Load the regions: python manage.py import_wilayah"
            )
        provinces = {code[:2] for code, _name, _kind in villages}
        if len(provinces) < 30:
            self.say(
                f"  note: only {len(provinces)} provinces are loaded; for the national data set run "
                "`python manage.py import_wilayah` first."
            )
        if self.kim_count > len(villages):
            raise CommandError(f"Only {len(villages):,} villages have no KIM yet; ask for at most that many KIMs.")
        return self.rng.sample(villages, self.kim_count)

    def offices(self, kabupaten_codes: set[str]) -> dict[str, int]:
        """The Dinas Kominfo of every kabupaten/kota that gets KIMs (created where missing)."""
        existing = dict(PembinaOffice.objects.filter(region_id__in=kabupaten_codes).values_list("region_id", "id"))
        missing = Region.objects.filter(code__in=kabupaten_codes - set(existing)).values_list("code", "name")
        PembinaOffice.objects.bulk_create(
            [
                PembinaOffice(
                    region_id=code,
                    slug=f"{PREFIX}diskominfo-{code.replace('.', '-')}",
                    name=f"Dinas Komunikasi dan Informatika {name}",
                )
                for code, name in missing
            ],
            batch_size=1000,
        )
        return dict(PembinaOffice.objects.filter(region_id__in=kabupaten_codes).values_list("region_id", "id"))

    def status(self) -> str:
        roll = self.rng.random()
        for status, share in STATUS_SHARES:
            if roll < share:
                return status
            roll -= share
        return KimStatus.AKTIF

    def create_kims(self, villages: list[tuple[str, str, str]]) -> list[Kim]:
        kabupaten = {code[:5] for code, _n, _k in villages}
        offices = self.offices(kabupaten)
        numbers: dict[str, int] = defaultdict(int)
        kims: list[Kim] = []
        for code, name, kind in villages:
            status = self.status()
            area = code[:5]
            number = None
            if status in REGISTERED:
                numbers[area] += 1
                number = f"{NUMBER_PREFIX}{area}-{numbers[area]:05d}"
            point = jittered_point(self.rng, code, spread=0.8) if self.rng.random() < 0.7 else (None, None)
            label = "Kelurahan" if kind == "kelurahan" else "Desa"
            kims.append(
                Kim(
                    name=f"KIM {name}",
                    slug=f"{PREFIX}{code.replace('.', '-')}",
                    region_id=code,
                    pembina_office_id=offices.get(area),
                    status=status,
                    registration_number=number,
                    registered_at=self.now if number else None,
                    about=f"Kelompok Informasi Masyarakat {label} {name}. (Data sintetis nasional.)",
                    latitude=point[0],
                    longitude=point[1],
                )
            )
        created: list[Kim] = []
        for start in range(0, len(kims), 2000):
            created += Kim.objects.bulk_create(kims[start : start + 2000])
        # SQLite and PostgreSQL both return the new ids; fetch them if a backend did not.
        if created and created[0].pk is None:
            ids = dict(_generated_kims().values_list("slug", "id"))
            for kim in created:
                kim.pk = kim.id = ids[kim.slug]
        return created

    def create_details(self, kims: list[Kim]) -> None:
        sectors, formations = [], []
        for kim in kims:
            for sector in self.rng.sample(SECTORS, k=self.rng.randint(1, 3)):
                sectors.append(KimSector(kim_id=kim.pk, sector=sector))
            if kim.status != KimStatus.DIUSULKAN:
                held_on = date(2012, 1, 1) + timedelta(days=self.rng.randrange(0, 12 * 365))
                formations.append(
                    Formation(
                        kim_id=kim.pk,
                        held_on=held_on,
                        place=f"Balai desa {kim.name[4:]}",
                        facilitator_names="Dinas Komunikasi dan Informatika",
                        attendees_count=self.rng.randint(12, 80),
                        decree_number=f"{self.rng.randint(1, 400):03d}/SK/KIM/{held_on.year}",
                        decree_date=held_on,
                        decree_issued_by="Kepala desa/lurah",
                    )
                )
        KimSector.objects.bulk_create(sectors, batch_size=BATCH)
        Formation.objects.bulk_create(formations, batch_size=BATCH)

    # --- Members ----------------------------------------------------------------------------

    def member_counts(self, kims: list[Kim]) -> list[int]:
        """How many members each KIM gets: skewed (a few large KIMs, many small), summing exactly."""
        weights = [0.0 if kim.status == KimStatus.DIUSULKAN else self.rng.lognormvariate(0, 0.8) for kim in kims]
        total = sum(weights) or 1.0
        counts = [int(self.member_count * w / total) for w in weights]
        eligible = [i for i, w in enumerate(weights) if w > 0] or list(range(len(kims)))
        for n in range(self.member_count - sum(counts)):
            counts[eligible[n % len(eligible)]] += 1
        return counts

    def insert_members(self, kims: list[Kim], counts: list[int]) -> None:
        columns = ", ".join(connection.ops.quote_name(c) for c in MEMBER_COLUMNS)
        placeholders = ", ".join(["%s"] * len(MEMBER_COLUMNS))
        sql = _sql(
            "INSERT INTO {member} ({columns}) VALUES ({placeholders})", columns=columns, placeholders=placeholders
        )
        stamp = connection.ops.adapt_datetimefield_value(self.now)
        rng = self.rng
        batch: list[tuple[Any, ...]] = []
        done, started = 0, time.perf_counter()
        with connection.cursor() as cursor:
            for kim, count in zip(kims, counts, strict=True):
                joined = connection.ops.adapt_datefield_value(self.today - timedelta(days=rng.randrange(0, 3000)))
                village = kim.name[4:]
                for index in range(count):
                    row: tuple[Any, ...]
                    if index >= 3 and rng.random() < 0.03:
                        template, organisation_type, sector = rng.choice(ORGANISATIONS)
                        row = (
                            kim.pk, "organisation", template.format(v=village)[:150], organisation_type, None, "",
                            "", "", "", sector, "web", False, False, False, False, joined, True, stamp, stamp,
                        )  # fmt: skip
                    else:
                        occupation, sector = rng.choice(OCCUPATIONS)
                        has_phone = rng.random() < 0.6
                        # +62 8 + KIM id + member index: well formed and unique within the KIM.
                        phone = f"+628{kim.pk % 100_000:05d}{index:06d}" if has_phone else None
                        row = (
                            kim.pk, "person", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "", phone, "",
                            rng.choice("lp"), rng.choices(AGE_GROUPS, AGE_WEIGHTS)[0], occupation, sector,
                            "sms" if has_phone and rng.random() < 0.3 else "web", False, has_phone, has_phone,
                            False, joined, rng.random() > 0.02, stamp, stamp,
                        )  # fmt: skip
                    batch.append(row)
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        done += len(batch)
                        batch.clear()
                        if done % 100_000 == 0:
                            rate = done / max(time.perf_counter() - started, 1e-6)
                            self.say(f"  members: {done:,}/{self.member_count:,} ({rate:,.0f}/s)")
            if batch:
                cursor.executemany(sql, batch)
                done += len(batch)
        rate = done / max(time.perf_counter() - started, 1e-6)
        self.say(f"  members: {done:,} inserted ({rate:,.0f}/s)")

    # --- Boards and groups --------------------------------------------------------------------

    def core_members(self) -> dict[int, list[int]]:
        """The first few person members of every generated KIM (one windowed query)."""
        sql = _sql(
            "SELECT kim_id, id FROM (SELECT m.kim_id, m.id, ROW_NUMBER() OVER "
            "(PARTITION BY m.kim_id ORDER BY m.id) AS rn FROM {member} m "
            "WHERE m.kind = 'person' AND m.kim_id IN ({kim_ids})) t WHERE rn <= {core}",
            core=str(CORE_MEMBERS),
        )
        core: dict[int, list[int]] = defaultdict(list)
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"{PREFIX}%"])
            for kim_id, member_id in cursor.fetchall():
                core[kim_id].append(member_id)
        for ids in core.values():
            ids.sort()
        return core

    def create_boards_and_groups(self, kims: list[Kim], core: dict[int, list[int]]) -> None:
        terms, groups = [], []
        for kim in kims:
            ids = core.get(kim.pk, [])
            if kim.status == KimStatus.DIUSULKAN or len(ids) < 3:
                continue
            starts_on = self.today - timedelta(days=self.rng.randrange(30, 1500))
            terms.append(BoardTerm(kim_id=kim.pk, starts_on=starts_on, decree_number=f"{kim.pk}/SK-PENGURUS"))
            for number in range(1, self.rng.randint(1, 3) + 1):
                groups.append(DisseminationGroup(kim_id=kim.pk, name=f"Kelompok Desiminasi Dusun {number}"))
        terms = BoardTerm.objects.bulk_create(terms, batch_size=BATCH)
        positions = []
        for term in terms:
            ids = core[term.kim_id]
            positions += [
                BoardPosition(term_id=term.pk, member_id=ids[0], position=BoardPositionKind.KETUA),
                BoardPosition(term_id=term.pk, member_id=ids[1], position=BoardPositionKind.SEKRETARIS),
                BoardPosition(term_id=term.pk, member_id=ids[2], position=BoardPositionKind.BENDAHARA),
            ]
            if len(ids) > 3:
                positions.append(
                    BoardPosition(
                        term_id=term.pk, member_id=ids[3], position=BoardPositionKind.SEKSI, section_name="Diseminasi"
                    )
                )
        BoardPosition.objects.bulk_create(positions, batch_size=BATCH)
        groups = DisseminationGroup.objects.bulk_create(groups, batch_size=BATCH)
        through = DisseminationGroup.members.through
        by_kim: dict[int, list[DisseminationGroup]] = defaultdict(list)
        for group in groups:
            by_kim[group.kim_id].append(group)
        links, coordinators = [], []
        for kim_id, kim_groups in by_kim.items():
            ids = core[kim_id]
            for offset, group in enumerate(kim_groups):
                chosen = ids[offset :: len(kim_groups)]
                group.coordinator_id = chosen[0]
                coordinators.append(group)
                links += [through(disseminationgroup_id=group.pk, kimmember_id=member_id) for member_id in chosen]
        DisseminationGroup.objects.bulk_update(coordinators, ["coordinator"], batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        self.say(f"  board terms: {len(terms):,}, positions: {len(positions):,}, kelompok desiminasi: {len(groups):,}")

    # --- Forums -----------------------------------------------------------------------------

    def create_forums(self, kims: list[Kim]) -> None:
        """A Forum KIM for about a third of the kabupaten/kota with at least five generated KIMs."""
        public = {KimStatus.DIBENTUK, KimStatus.TERDAFTAR, KimStatus.AKTIF, KimStatus.TIDAK_AKTIF}
        by_kabupaten: dict[str, list[Kim]] = defaultdict(list)
        for kim in kims:
            if kim.status in public:
                by_kabupaten[kim.region_id[:5]].append(kim)
        taken = set(KimForum.objects.filter(level=ForumLevel.KABUPATEN_KOTA).values_list("region_id", flat=True))
        chosen = [
            code
            for code in sorted(by_kabupaten)
            if len(by_kabupaten[code]) >= 5 and code not in taken and self.rng.random() < 0.35
        ]
        names = dict(Region.objects.filter(code__in=chosen).values_list("code", "name"))
        forums = KimForum.objects.bulk_create(
            [
                KimForum(
                    name=f"Forum KIM {names[code]}",
                    slug=f"{PREFIX}forum-{code.replace('.', '-')}",
                    level=ForumLevel.KABUPATEN_KOTA,
                    region_id=code,
                    about=f"Forum Komunikasi KIM {names[code]}. (Data sintetis nasional.)",
                    formed_on=date(2015, 1, 1) + timedelta(days=self.rng.randrange(0, 3000)),
                )
                for code in chosen
            ]
        )
        memberships, seats = [], []
        for forum in forums:
            members = by_kabupaten[str(forum.region_id)]
            memberships += [
                ForumMembership(forum_id=forum.pk, kim_id=kim.pk, joined_on=forum.formed_on) for kim in members
            ]
            for position in ("Ketua", "Sekretaris", "Bendahara"):
                seats.append(
                    ForumBoardPosition(
                        forum_id=forum.pk,
                        person_name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                        position=position,
                        from_kim_id=self.rng.choice(members).pk,
                        starts_on=forum.formed_on or self.today,
                    )
                )
        ForumMembership.objects.bulk_create(memberships, batch_size=BATCH)
        ForumBoardPosition.objects.bulk_create(seats, batch_size=BATCH)
        self.say(f"  forums: {len(forums):,} with {len(memberships):,} member KIMs")

    def run(self) -> None:
        started = time.perf_counter()
        villages = self.pick_villages()
        kims = self.create_kims(villages)
        self.say(f"  KIMs: {len(kims):,} in {len({k.region_id[:2] for k in kims})} provinces")
        self.create_details(kims)
        self.insert_members(kims, self.member_counts(kims))
        self.create_boards_and_groups(kims, self.core_members())
        self.create_forums(kims)
        self.say(f"  done in {time.perf_counter() - started:.1f} s")


class Command(BaseCommand):
    help = (
        "Generate a national-scale synthetic KIM registry (KIMs, members, boards, forums) over the real "
        "region tree. Deterministic by --seed. Marked with the slug prefix 'nas-'; --reset removes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kims", type=int, default=12_000, help="How many KIMs (default 12,000).")
        parser.add_argument("--members", type=int, default=1_000_000, help="How many members in all (default 1M).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--reset", action="store_true", help="Delete previously generated rows first (only those).")

    def handle(self, *args: Any, **options: Any) -> None:
        kims, members = options["kims"], options["members"]
        if kims < 1 or members < 0:
            raise CommandError("--kims must be at least 1 and --members at least 0.")
        if _generated_kims().exists():
            if not options["reset"]:
                raise CommandError(
                    "This database already holds generated national data (slugs starting with 'nas-'). "
                    "Run again with --reset to replace it."
                )
            self.stdout.write("Deleting the previously generated data…")
            delete_generated(self.stdout)
        elif options["reset"]:
            delete_generated(self.stdout)  # offices or forums left from an interrupted run
        self.stdout.write(f"Generating {kims:,} KIMs and {members:,} members (seed {options['seed']})…")
        with transaction.atomic():
            Generator(kims=kims, members=members, seed=options["seed"], stdout=self.stdout).run()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("National data generated."))


__all__ = ["delete_generated"]
