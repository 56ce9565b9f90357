"""What each role may do with bulletins, registered with the one authorization module.

Pembina publish inside their region subtree (their office's region); pengurus publish for their
own KIM and re-disseminate what lands in its inbox; the national admin may do everything.
"""

from enum import StrEnum

from sikim.accounts.authz import register_role_actions
from sikim.accounts.models import Role


class DisseminationAction(StrEnum):
    PUBLISH = "dissemination.publish"
    VIEW_REACH = "dissemination.view_reach"
    REDISSEMINATE = "dissemination.redisseminate"
    MANAGE_SETTINGS = "dissemination.manage_settings"


PEMBINA_ACTIONS = {
    DisseminationAction.PUBLISH,
    DisseminationAction.VIEW_REACH,
    DisseminationAction.REDISSEMINATE,
    DisseminationAction.MANAGE_SETTINGS,
}
PENGURUS_ACTIONS = {
    DisseminationAction.PUBLISH,
    DisseminationAction.VIEW_REACH,
    DisseminationAction.REDISSEMINATE,
    DisseminationAction.MANAGE_SETTINGS,
}

register_role_actions(Role.PEMBINA, PEMBINA_ACTIONS)
register_role_actions(Role.PENGURUS_KIM, PENGURUS_ACTIONS)
