"""What each role may do with information requests, registered with the one authorization module.

- The body's PPID (a `ppid` grant naming the office) registers, extends and decides the body's
  requests, keeps its Daftar Informasi Publik, records Komisi Informasi disputes, and is the only
  official who sees a requester's identity (`VIEW_IDENTITY` counts only through a grant naming
  the body: `sikim.kip.selectors.identity`).
- A pembina (region subtree) sees the requests of the bodies in their region and their
  statistics, never the requester's identity.
- A KIM pengurus (grant naming the KIM) may file a request on behalf of a citizen.
- The atasan PPID answers objections: an appointment kept in `sikim.kip.models.AtasanPpid`
  (there is no such role in `sikim.accounts`), checked in `is_atasan_ppid`.
- A national administrator keeps the KIP calendar (cuti bersama, added and removed dates).
- The requester (their account, or the pengurus who filed for them) files the objection and
  sees their own request: checked against the request itself, not through a role.
"""

from enum import StrEnum

from sikim.accounts.authz import register_role_actions
from sikim.accounts.models import Role


class KipAction(StrEnum):
    VIEW_INTERNAL = "kip.view_internal"
    VIEW_IDENTITY = "kip.view_identity"
    DECIDE = "kip.decide"
    VIEW_STATS = "kip.view_stats"
    FILE_FOR_CITIZEN = "kip.file_for_citizen"
    MANAGE_REGISTER = "kip.manage_register"
    MANAGE_ATASAN = "kip.manage_atasan"
    MANAGE_CALENDAR = "kip.manage_calendar"


PPID_ACTIONS = {
    KipAction.VIEW_INTERNAL,
    KipAction.VIEW_IDENTITY,
    KipAction.DECIDE,
    KipAction.VIEW_STATS,
    KipAction.MANAGE_REGISTER,
}
PEMBINA_ACTIONS = {KipAction.VIEW_INTERNAL, KipAction.VIEW_STATS, KipAction.MANAGE_ATASAN}

register_role_actions(Role.PPID, PPID_ACTIONS)
register_role_actions(Role.PEMBINA, PEMBINA_ACTIONS)
register_role_actions(Role.PENGURUS_KIM, {KipAction.FILE_FOR_CITIZEN})
register_role_actions(Role.NATIONAL_ADMIN, {KipAction.MANAGE_CALENDAR})
