"""What each role may do with government offices, registered with the one authorization module.

A pembina manages the offices inside their region subtree (and names their officers through
`sikim.accounts.services.role_grant`); a national administrator manages every office. An
officer (petugas instansi) may see their own office's internal pages.
"""

from enum import StrEnum

from sikim.accounts.authz import register_role_actions
from sikim.accounts.models import Role


class OfficeAction(StrEnum):
    MANAGE = "office.manage"
    VIEW_INTERNAL = "office.view_internal"


register_role_actions(Role.PEMBINA, {OfficeAction.MANAGE, OfficeAction.VIEW_INTERNAL})
register_role_actions(Role.PETUGAS_INSTANSI, {OfficeAction.VIEW_INTERNAL})
register_role_actions(Role.PPID, {OfficeAction.VIEW_INTERNAL})
