"""What each role may do with aspirations, registered with the one authorization module.

- The KIM's pengurus (grant naming the KIM) verify or reject the aspirations of their KIM and
  are the only officials who see a confidential author's identity.
- A pembina (region subtree) sees the aspirations of their region, forwards them to an office
  (or overrides the office the routing rules chose), moderates public texts, and keeps the
  routing rules and service levels of their region.
- An office officer, petugas instansi (grant naming the office), sees the aspirations routed to
  their office and follows them up, answers, or says "bukan wewenang".
- Abuse reports (HANDLE_REPORTS): the verifying KIM's pengurus and the pembina of the region
  see the open reports and the hidden texts in the moderation queue, and hide, show again or
  dismiss there. Hiding outside the queue (the admin) stays with the pembina (MODERATE).
- The author (or the pengurus who filed for them, or a citizen without an account holding the
  secret link of `selectors.author_key`) confirms, rates and reopens: that is checked against
  the aspiration itself in the services, not through a role.

Who may make each state change (`TRANSITION_ACTIONS`):

    diajukan        → diverifikasi, ditolak           VERIFY (pengurus)
    diverifikasi    → diteruskan                      FORWARD (pembina) or the routing rules (system)
    diverifikasi    → ditolak                         VERIFY or FORWARD
    diteruskan      → diteruskan (another office)     FORWARD
    diteruskan, ditindaklanjuti → ditindaklanjuti, dijawab, diverifikasi ("bukan wewenang")   RESPOND (office)
    dijawab         → selesai                         the author, or the system after the waiting period
    dijawab, selesai → diteruskan (reopen, once)      the author
"""

from enum import StrEnum

from sikim.accounts.authz import register_role_actions
from sikim.accounts.models import Role


class AspirationAction(StrEnum):
    VIEW_INTERNAL = "aspiration.view_internal"
    VIEW_IDENTITY = "aspiration.view_identity"
    VERIFY = "aspiration.verify"
    FORWARD = "aspiration.forward"
    RESPOND = "aspiration.respond"
    MODERATE = "aspiration.moderate"
    MANAGE_ROUTING = "aspiration.manage_routing"
    HANDLE_REPORTS = "aspiration.handle_reports"


AUTHOR = "author"
SYSTEM = "system"
TRANSITION_ACTIONS: dict[tuple[str, str], frozenset[str]] = {
    ("diajukan", "diverifikasi"): frozenset({AspirationAction.VERIFY}),
    ("diajukan", "ditolak"): frozenset({AspirationAction.VERIFY}),
    ("diverifikasi", "ditolak"): frozenset({AspirationAction.VERIFY, AspirationAction.FORWARD}),
    ("diverifikasi", "diteruskan"): frozenset({AspirationAction.FORWARD, SYSTEM}),
    ("diteruskan", "diteruskan"): frozenset({AspirationAction.FORWARD}),
    ("ditindaklanjuti", "diteruskan"): frozenset({AspirationAction.FORWARD}),
    ("diteruskan", "ditindaklanjuti"): frozenset({AspirationAction.RESPOND}),
    ("diteruskan", "dijawab"): frozenset({AspirationAction.RESPOND}),
    ("ditindaklanjuti", "dijawab"): frozenset({AspirationAction.RESPOND}),
    ("diteruskan", "diverifikasi"): frozenset({AspirationAction.RESPOND}),
    ("ditindaklanjuti", "diverifikasi"): frozenset({AspirationAction.RESPOND}),
    ("dijawab", "selesai"): frozenset({AUTHOR, SYSTEM}),
    ("dijawab", "diteruskan"): frozenset({AUTHOR}),
    ("selesai", "diteruskan"): frozenset({AUTHOR}),
}

PENGURUS_ACTIONS = {
    AspirationAction.VIEW_INTERNAL,
    AspirationAction.VIEW_IDENTITY,
    AspirationAction.VERIFY,
    AspirationAction.HANDLE_REPORTS,
}
PEMBINA_ACTIONS = {
    AspirationAction.VIEW_INTERNAL,
    AspirationAction.FORWARD,
    AspirationAction.MODERATE,
    AspirationAction.HANDLE_REPORTS,
    AspirationAction.MANAGE_ROUTING,
}
PETUGAS_ACTIONS = {AspirationAction.VIEW_INTERNAL, AspirationAction.RESPOND}

register_role_actions(Role.PENGURUS_KIM, PENGURUS_ACTIONS)
register_role_actions(Role.PEMBINA, PEMBINA_ACTIONS)
register_role_actions(Role.PETUGAS_INSTANSI, PETUGAS_ACTIONS)
