"""Reads for a KIM's members, board, kelompok desiminasi and member imports, scoped to who asks.

Who sees what:
- the KIM's pengurus and its pembina (and national administrators) see the member list with
  personal data (phone, email) — `KimAction.VIEW_PERSONAL_DATA`;
- anggota of the KIM see counts only (`KimAction.VIEW_INTERNAL`), the board and the names of
  the kelompok desiminasi, never a member's phone or email;
- anyone else gets a 404: the member pages of a KIM do not exist for them.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sikim.accounts.authz import AnyUser, can, organisation_ids, region_scope_q
from sikim.kim.models import (
    BoardPosition,
    BoardPositionKind,
    BoardTerm,
    DisseminationGroup,
    Kim,
    KimMember,
    MemberImport,
    MemberKind,
    Sector,
)
from sikim.kim.permissions import KimAction

# --- The KIM and what the viewer may do there ------------------------------------------------


def kim_for_internal_pages(user: AnyUser, slug: str) -> Kim:
    """The KIM behind a members/board/groups page, or 404 unless the user belongs to it or fosters it."""
    kim = Kim.objects.select_related("region").filter(slug=slug).first()
    if kim is None or not can(user, KimAction.VIEW_INTERNAL, kim):
        raise Http404
    return kim


def can_list_members(user: AnyUser, kim: Kim) -> bool:
    """The list of members (names and all) is for the pengurus and the pembina, not for anggota."""
    return can(user, KimAction.VIEW_PERSONAL_DATA, kim) or can(user, KimAction.MANAGE_MEMBERS, kim)


def personal_data_visible(user: AnyUser, kim: Kim) -> bool:
    """Whether `user` may see the phone numbers and email addresses of `kim`'s members."""
    return can(user, KimAction.VIEW_PERSONAL_DATA, kim)


# --- Members --------------------------------------------------------------------------------


def members_visible_to(user: AnyUser, kim: Kim | None = None) -> QuerySet[KimMember]:
    """The members `user` may list: of one KIM, or (kim=None) of every KIM they manage or foster."""
    if kim is not None:
        if not can_list_members(user, kim):
            return KimMember.objects.none()
        return KimMember.objects.filter(kim=kim)
    region_q = region_scope_q(user, KimAction.VIEW_PERSONAL_DATA, "kim__region_id")
    if not region_q.children and not region_q.negated:
        # Q() means everything (a national administrator).
        return KimMember.objects.all()
    kim_type = ContentType.objects.get_for_model(Kim)
    kim_ids = organisation_ids(user, KimAction.VIEW_PERSONAL_DATA, kim_type.pk)
    return KimMember.objects.filter(region_q | Q(kim_id__in=kim_ids))


def member_get(user: AnyUser, kim: Kim, member_id: int) -> KimMember:
    """One member of `kim` that `user` may see, or 404."""
    member = members_visible_to(user, kim).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def members_filtered(
    user: AnyUser,
    kim: Kim,
    *,
    search: str = "",
    sector: str = "",
    kind: str = "",
    active: bool | None = True,
) -> QuerySet[KimMember]:
    """The member list with its search box and filters. Phone and email are searched only for
    viewers who may see them."""
    members = members_visible_to(user, kim)
    search = " ".join(search.split())[:100]
    if search:
        condition = Q(name__icontains=search) | Q(occupation__icontains=search)
        if personal_data_visible(user, kim):
            condition |= Q(email__icontains=search)
            digits = "".join(ch for ch in search if ch.isdigit()).lstrip("0")
            if digits.startswith("62"):
                digits = digits[2:]
            if len(digits) >= 3:
                condition |= Q(phone__contains=digits)
        members = members.filter(condition)
    if sector:
        members = members.filter(sector=sector)
    if kind:
        members = members.filter(kind=kind)
    if active is not None:
        members = members.filter(is_active=active)
    return members.order_by("name", "id")


@dataclass(frozen=True)
class SectorCount:
    sector: str
    label: str
    count: int


@dataclass(frozen=True)
class MemberCounts:
    total: int
    people: int
    organisations: int
    by_sector: list[SectorCount]


def member_counts(kim: Kim) -> MemberCounts:
    """Active members by sector and kind, in one query. Counts only: fine for anggota to see.

    `kim` must come from `kim_for_internal_pages` (or be otherwise checked by the caller).
    """
    rows = KimMember.objects.filter(kim=kim, is_active=True).values("sector", "kind").annotate(n=Count("id")).order_by()
    by_sector: dict[str, int] = {}
    people = organisations = 0
    for row in rows:
        by_sector[row["sector"]] = by_sector.get(row["sector"], 0) + row["n"]
        if row["kind"] == MemberKind.ORGANISATION:
            organisations += row["n"]
        else:
            people += row["n"]
    labels = dict(Sector.choices)
    sectors = [
        SectorCount(sector=code, label=str(labels.get(code, "")) if code else "", count=count)
        for code, count in by_sector.items()
    ]
    sectors.sort(key=lambda item: (-item.count, item.label))
    return MemberCounts(total=people + organisations, people=people, organisations=organisations, by_sector=sectors)


def member_choices(kim: Kim) -> QuerySet[KimMember]:
    """The members a form may pick (board positions, kelompok desiminasi): active, of this KIM only."""
    return KimMember.objects.filter(kim=kim, is_active=True).order_by("name", "id")


# --- Board ----------------------------------------------------------------------------------


def board_terms(kim: Kim) -> list[BoardTerm]:
    """Every board term of `kim`, newest first, with its positions and their members (2 queries)."""
    positions = BoardPosition.objects.select_related("member").order_by("section_name", "id")
    terms = list(
        BoardTerm.objects.filter(kim=kim).order_by("-starts_on").prefetch_related(Prefetch("positions", positions))
    )
    order = {kind: index for index, kind in enumerate(BoardPositionKind.values)}
    for term in terms:
        # ketua, wakil ketua, sekretaris, bendahara, then the seksi by name.
        term.ordered_positions = sorted(term.positions.all(), key=lambda p: order.get(p.position, 99))  # type: ignore[attr-defined]
    return terms


def board_term_get(kim: Kim, term_id: int) -> BoardTerm:
    term = BoardTerm.objects.filter(kim=kim, pk=term_id).select_related("kim").first()
    if term is None:
        raise Http404
    return term


def board_current_term(terms: list[BoardTerm], today: date | None = None) -> BoardTerm | None:
    """The term running today, out of `board_terms()`."""
    today = today or timezone.localdate()
    for term in terms:
        if term.starts_on <= today and (term.ends_on is None or today < term.ends_on):
            return term
    return None


# --- Kelompok desiminasi ----------------------------------------------------------------------


def dissemination_groups(kim: Kim, *, with_members: bool) -> QuerySet[DisseminationGroup]:
    """The KIM's kelompok desiminasi with their member counts; names only when `with_members`."""
    groups = (
        DisseminationGroup.objects.filter(kim=kim)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True), distinct=True))
        .order_by("name")
    )
    if with_members:
        groups = groups.select_related("coordinator").prefetch_related(
            Prefetch("members", KimMember.objects.order_by("name", "id"))
        )
    return groups


def dissemination_group_get(kim: Kim, group_id: int) -> DisseminationGroup:
    group = DisseminationGroup.objects.filter(kim=kim, pk=group_id).select_related("coordinator").first()
    if group is None:
        raise Http404
    return group


# --- Imports --------------------------------------------------------------------------------


def member_import_get(user: AnyUser, kim: Kim, import_id: int) -> MemberImport:
    """One import of `kim`, for those who may manage its members; 404 for anyone else."""
    if not can(user, KimAction.MANAGE_MEMBERS, kim):
        raise Http404
    member_import = MemberImport.objects.filter(kim=kim, pk=import_id).first()
    if member_import is None:
        raise Http404
    return member_import


def member_imports_recent(user: AnyUser, kim: Kim, limit: int = 10) -> list[MemberImport]:
    if not can(user, KimAction.MANAGE_MEMBERS, kim):
        return []
    return list(MemberImport.objects.filter(kim=kim).order_by("-created_at")[:limit])
