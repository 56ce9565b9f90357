"""Who may see who asked. Every page, API, export and notification asks here.

The requester's name, identity number, address, phone and email are personal data that UU 14/2008
makes the body collect (Pasal 22 ayat (1)). They are seen by:

- the body's PPID (a `ppid` grant naming that body) — they must answer the requester;
- the requester themselves (their account) and the KIM pengurus who filed for them.

Nobody else: not a pembina, not a national administrator, not the atasan PPID, not the public.
They see the name masked ("S*** A*****") and nothing else.
"""

from dataclasses import dataclass

from sikim.accounts.authz import AnyUser
from sikim.kip.models import InformationRequest
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import is_own, is_ppid_of


@dataclass(frozen=True)
class RequesterIdentity:
    name: str
    id_number: str
    address: str
    phone: str
    email: str


def may_see_identity(request: InformationRequest, user: AnyUser) -> bool:
    return is_own(request, user) or is_ppid_of(user, request.body_id, KipAction.VIEW_IDENTITY)


def mask_name(name: str) -> str:
    """ "Siti Aminah" → "S*** A*****": the initials, for lists seen by people who may not know who asked."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split() if word)


def requester_display(request: InformationRequest, user: AnyUser) -> str:
    if may_see_identity(request, user):
        return request.requester_name
    return mask_name(request.requester_name)


def requester_identity(request: InformationRequest, user: AnyUser) -> RequesterIdentity | None:
    """The whole identity for the body's PPID and the requester; None for everyone else."""
    if not may_see_identity(request, user):
        return None
    return RequesterIdentity(
        name=request.requester_name,
        id_number=request.requester_id_number,
        address=request.requester_address,
        phone=request.requester_phone,
        email=request.requester_email,
    )
