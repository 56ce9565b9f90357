"""Reads for managing the KIM registry, already limited to what the viewer may manage.

A pembina manages the KIMs inside their region subtree; a pengurus manages their own KIM.
Everything else answers "not found" (404), so an outsider cannot even learn a KIM is there.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.accounts.models import Role, RoleGrant, User
from sikim.kim.models import Kim, KimDocument, KimMember, KimStatus, KimStatusChange, PembinaOffice
from sikim.kim.permissions import KimAction
from sikim.wilayah.models import Region, subtree_q


def _kim_scope(user: AnyUser, action: str) -> Q | None:
    """The filter for KIMs `user` may do `action` to; None means every KIM."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    by_region = authz.region_scope_q(user, action, "region_id")
    if not by_region:  # Q(): a national admin (or a superuser) reaches every KIM
        return None
    kim_type = ContentType.objects.get_for_model(Kim)
    own = authz.organisation_ids(user, action, kim_type.pk)
    return by_region | Q(pk__in=own) if own else by_region


def kims_for_action(user: AnyUser, action: str) -> QuerySet[Kim]:
    """KIMs `user` may do `action` to (a pembina: their subtree; a pengurus: their KIM)."""
    scope = _kim_scope(user, action)
    kims = Kim.objects.all() if scope is None else Kim.objects.filter(scope)
    return kims.select_related("region", "pembina_office")


def kims_manageable_by(user: AnyUser) -> QuerySet[Kim]:
    """KIMs whose management pages `user` may open: they may at least edit the profile."""
    return kims_for_action(user, KimAction.EDIT_PROFILE)


def kim_for_manage(user: AnyUser, slug: str) -> Kim:
    """One KIM the user manages, or 404 (never 403: outsiders must not learn it exists)."""
    kim = kims_manageable_by(user).filter(slug=slug).first()
    if kim is None:
        raise Http404
    return kim


@dataclass
class Worklist:
    """The pembina's (or pengurus') desk: what waits for them, by lifecycle step."""

    awaiting_formation: list[Kim] = field(default_factory=list)
    awaiting_registration: list[Kim] = field(default_factory=list)
    village_warnings: list[Kim] = field(default_factory=list)
    running: list[Kim] = field(default_factory=list)
    dissolved: list[Kim] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.awaiting_formation) + len(self.awaiting_registration) + len(self.running) + len(self.dissolved)


def kim_worklist(user: AnyUser) -> Worklist:
    """Every KIM the user manages, sorted into the steps of the lifecycle (one query)."""
    worklist = Worklist()
    for kim in kims_manageable_by(user).order_by("region_id", "name"):
        if kim.status == KimStatus.DIUSULKAN:
            worklist.awaiting_formation.append(kim)
        elif kim.status == KimStatus.DIBENTUK:
            worklist.awaiting_registration.append(kim)
        elif kim.status == KimStatus.DIBUBARKAN:
            worklist.dissolved.append(kim)
        else:
            worklist.running.append(kim)
        if kim.has_village_sibling and kim.status != KimStatus.DIBUBARKAN:
            worklist.village_warnings.append(kim)
    return worklist


def kim_village_siblings(kim: Kim) -> QuerySet[Kim]:
    """The other KIMs (not dissolved) of the same desa/kelurahan."""
    return (
        Kim.objects.filter(region_id=kim.region_id)
        .exclude(pk=kim.pk)
        .exclude(status=KimStatus.DIBUBARKAN)
        .order_by("name")
    )


def kim_status_history(kim: Kim) -> QuerySet[KimStatusChange]:
    return kim.status_changes.select_related("actor").order_by("-changed_at", "-id")


def kim_documents_for_manage(kim: Kim) -> QuerySet[KimDocument]:
    """All of a KIM's documents, internal ones included (callers have checked access)."""
    return kim.documents.select_related("uploaded_by").order_by("kind", "-created_at", "-id")


def kim_document_for_manage(user: AnyUser, kim: Kim, document_id: int) -> KimDocument:
    """A document of a KIM the user may manage documents of, or 404."""
    if not authz.can(user, KimAction.MANAGE_DOCUMENTS, kim):
        raise Http404
    document = kim.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def region_by_code(code: str) -> Region | None:
    code = (code or "").strip()
    if not code or len(code) > 13:
        return None
    return Region.objects.filter(code=code).first()


def pembina_office_for_region(region: Region) -> PembinaOffice | None:
    """The Dinas Kominfo fostering a village: its kabupaten/kota's, else its province's."""
    codes = region.ancestor_codes()[:2]
    offices = {office.region_id: office for office in PembinaOffice.objects.filter(region_id__in=codes)}
    for code in reversed(codes):
        if code in offices:
            return offices[code]
    return None


def pembina_staff_for(kim: Kim) -> QuerySet[User]:
    """People holding a pembina grant whose region covers the KIM (they are told of its changes)."""
    parts = kim.region_id.split(".")
    covering = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    user_ids = RoleGrant.objects.filter(role=Role.PEMBINA, revoked_at__isnull=True, region_id__in=covering).values_list(
        "user_id", flat=True
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def pengurus_of(kim: Kim) -> QuerySet[User]:
    """People holding a pengurus grant for this KIM."""
    kim_type = ContentType.objects.get_for_model(Kim)
    user_ids = RoleGrant.objects.filter(
        role=Role.PENGURUS_KIM, revoked_at__isnull=True, organisation_type=kim_type, organisation_id=kim.pk
    ).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def facilitator_choices(kim: Kim) -> QuerySet[User]:
    """Dinas Kominfo officers who may be named as facilitators of this KIM's formation."""
    return pembina_staff_for(kim)


# --- Admin -------------------------------------------------------------------------------


def pembina_offices_for_admin(user: AnyUser) -> QuerySet[PembinaOffice]:
    """Offices shown in the admin: a national admin sees all, a pembina those in their region."""
    if authz.is_national_admin(user):
        return PembinaOffice.objects.select_related("region")
    codes = authz.granted_region_codes(user, KimAction.VIEW_INTERNAL) or []
    q = Q(pk__in=[])
    for code in codes:
        q |= subtree_q("region_id", code)
        # A pembina of a kabupaten/kota also sees the office of their province above them.
        q |= Q(region_id__in=Region(code=code).ancestor_codes())
    return PembinaOffice.objects.filter(q).select_related("region")


def kim_members_for_admin(user: AnyUser) -> QuerySet[KimMember]:
    """Members with personal data: only for those who may see it (their subtree or KIM)."""
    scope = _kim_scope(user, KimAction.VIEW_PERSONAL_DATA)
    members = KimMember.objects.all() if scope is None else KimMember.objects.filter(kim__in=Kim.objects.filter(scope))
    return members.select_related("kim", "kim__region")


def kim_documents_for_admin(user: AnyUser) -> QuerySet[KimDocument]:
    scope = _kim_scope(user, KimAction.MANAGE_DOCUMENTS)
    documents = (
        KimDocument.objects.all() if scope is None else KimDocument.objects.filter(kim__in=Kim.objects.filter(scope))
    )
    return documents.select_related("kim", "uploaded_by")
