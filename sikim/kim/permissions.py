"""What each role may do in the KIM registry, registered with the one authorization module.

Pembina act inside their region subtree; pengurus act for their own KIM (their grant names
the KIM as its organisation); anggota may see their KIM's internal pages but no one's
personal data.
"""

from enum import StrEnum

from sikim.accounts.authz import register_role_actions
from sikim.accounts.models import Role


class KimAction(StrEnum):
    RECORD_FORMATION = "kim.record_formation"
    REGISTER = "kim.register"
    CHANGE_STATUS = "kim.change_status"
    EDIT_PROFILE = "kim.edit_profile"
    VIEW_INTERNAL = "kim.view_internal"
    VIEW_PERSONAL_DATA = "kim.view_personal_data"
    MANAGE_MEMBERS = "kim.manage_members"
    MANAGE_BOARD = "kim.manage_board"
    MANAGE_GROUPS = "kim.manage_groups"
    MANAGE_DOCUMENTS = "kim.manage_documents"
    MANAGE_PEMBINA_OFFICE = "kim.manage_pembina_office"
    MANAGE_FORUM = "forum.manage"


PEMBINA_ACTIONS = {
    KimAction.RECORD_FORMATION,
    KimAction.REGISTER,
    KimAction.CHANGE_STATUS,
    KimAction.EDIT_PROFILE,
    KimAction.VIEW_INTERNAL,
    KimAction.VIEW_PERSONAL_DATA,
    KimAction.MANAGE_MEMBERS,
    KimAction.MANAGE_BOARD,
    KimAction.MANAGE_GROUPS,
    KimAction.MANAGE_DOCUMENTS,
    KimAction.MANAGE_FORUM,
}
PENGURUS_ACTIONS = {
    KimAction.EDIT_PROFILE,
    KimAction.VIEW_INTERNAL,
    KimAction.VIEW_PERSONAL_DATA,
    KimAction.MANAGE_MEMBERS,
    KimAction.MANAGE_BOARD,
    KimAction.MANAGE_GROUPS,
    KimAction.MANAGE_DOCUMENTS,
}
ANGGOTA_ACTIONS = {KimAction.VIEW_INTERNAL}

register_role_actions(Role.PEMBINA, PEMBINA_ACTIONS)
register_role_actions(Role.PENGURUS_KIM, PENGURUS_ACTIONS)
register_role_actions(Role.ANGGOTA_KIM, ANGGOTA_ACTIONS)
register_role_actions(Role.NATIONAL_ADMIN, {KimAction.MANAGE_PEMBINA_OFFICE})
