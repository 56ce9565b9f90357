"""Reads of information requests, already limited to what the reader may see.

Inside SIKIM: `requests_visible_to` — the body's PPID their body's requests, a pembina those of
the bodies in their region, the atasan PPID their body's objections, a requester (or the KIM
pengurus who filed for them) their own. Anything else answers "not found" (404), so a PPID of
another body cannot learn a request exists. Writes check the same rules in the services.
"""

import re
from typing import Final

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.kip.models import AtasanPpid, InformationRequest
from sikim.kip.permissions import KipAction
from sikim.offices.models import GovernmentOffice

TRACKING_REGEX: Final = re.compile(r"^KIP-\d{4}-[0-9A-Z]{4,8}$")


def _office_type_id() -> int:
    return ContentType.objects.get_for_model(GovernmentOffice).pk


def _related(requests: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    return requests.select_related("body", "body__region", "decision", "objection", "objection__dispute")


def body_ids_for(user: AnyUser, action: str) -> set[int]:
    """Bodies whose grant names them for `action` (a PPID's own office)."""
    return authz.organisation_ids(user, action, _office_type_id())


def is_ppid_of(user: AnyUser, body_id: int, action: str = KipAction.DECIDE) -> bool:
    """A PPID of this very body (a grant naming it). Region-wide and national roles are not."""
    return body_id in body_ids_for(user, action)


def atasan_body_ids(user: AnyUser) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(AtasanPpid.objects.filter(user_id=user.pk, revoked_at__isnull=True).values_list("body_id", flat=True))


def is_atasan_ppid(user: AnyUser, body_id: int) -> bool:
    return body_id in atasan_body_ids(user)


def is_own(request: InformationRequest, user: AnyUser) -> bool:
    """The requester's account, or the KIM pengurus who filed the request for them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk in {request.requester_user_id, request.filed_by_id}


def _scope(user: AnyUser, action: str) -> Q | None:
    """Requests `user` may do `action` to through a role; None means every request."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    by_region = authz.region_scope_q(user, action, "body__region_id")
    if not by_region:  # Q(): a national admin or a superuser
        return None
    bodies = body_ids_for(user, action)
    return by_region | Q(body_id__in=bodies) if bodies else by_region


def requests_for_action(user: AnyUser, action: str) -> QuerySet[InformationRequest]:
    scope = _scope(user, action)
    requests = InformationRequest.objects.all() if scope is None else InformationRequest.objects.filter(scope)
    return _related(requests)


def requests_visible_to(user: AnyUser) -> QuerySet[InformationRequest]:
    """Every request `user` may open inside SIKIM: their role's, their objections to answer, their own."""
    scope = _scope(user, KipAction.VIEW_INTERNAL)
    if scope is None:
        return _related(InformationRequest.objects.all())
    if user.is_authenticated:
        scope |= Q(requester_user_id=user.pk) | Q(filed_by_id=user.pk)
        atasan = atasan_body_ids(user)
        if atasan:
            scope |= Q(body_id__in=atasan)
    return _related(InformationRequest.objects.filter(scope))


def request_for(user: AnyUser, pk: int) -> InformationRequest:
    """One request `user` may open, or 404 (never 403: outsiders must not learn it exists)."""
    found = requests_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def normalise_tracking_code(code: str) -> str:
    code = (code or "").strip().upper()[:20]
    return code if TRACKING_REGEX.match(code) else ""


def request_for_tracking(code: str) -> InformationRequest:
    """A registered request by its tracking code, for the public tracking page (no identity there)."""
    normalised = normalise_tracking_code(code)
    found = _related(InformationRequest.objects.filter(tracking_code=normalised)).first() if normalised else None
    if found is None:
        raise Http404
    return found
