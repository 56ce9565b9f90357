"""Who may see who wrote an aspiration. Every page, API, export and notification asks here.

- The author (and the KIM pengurus who filed it for them) always see their own identity.
- The pengurus of the verifying KIM (a grant naming that KIM) see it always: they verify it.
- Confidential: nobody else. Not the office, not the pembina, not a national administrator,
  not the public.
- Public without name: officials who may see the case (the pembina of the region, the office
  it is routed to) see the name; the public does not.
- Public: the name is public. Phone and email are never public: only the author, the verifying
  KIM's pengurus and, for a case that is not confidential, a pembina allowed to see personal
  data of the region.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.authz import Action, AnyUser
from sikim.aspirations.models import Aspiration, Visibility
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.author_key import AuthorKeyHolder
from sikim.kim.models import Kim


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


def is_own(aspiration: Aspiration, user: AnyUser) -> bool:
    """The author, or the pengurus who filed the aspiration on the author's behalf, or (for a
    citizen without an account) whoever opened the aspiration's secret link."""
    if isinstance(user, AuthorKeyHolder):
        return user.aspiration_id == aspiration.pk and aspiration.author_id is None
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk in {aspiration.author_id, aspiration.filed_by_id}


def is_verifying_pengurus(aspiration: Aspiration, user: AnyUser) -> bool:
    """Holds an active grant naming the aspiration's KIM with the identity action (a pengurus).

    Only grants naming the KIM count: a region-wide or national role never reaches a
    confidential identity through this check.
    """
    kim_type = ContentType.objects.get_for_model(Kim).pk
    return aspiration.kim_id in authz.organisation_ids(user, AspirationAction.VIEW_IDENTITY, kim_type)


def _real_name(aspiration: Aspiration) -> str:
    if aspiration.author_id is not None and aspiration.author is not None:
        return aspiration.author.full_name or aspiration.contact_name or _("Citizen")
    return aspiration.contact_name or _("Citizen")


def may_see_identity(aspiration: Aspiration, user: AnyUser) -> bool:
    if is_own(aspiration, user) or is_verifying_pengurus(aspiration, user):
        return True
    if aspiration.visibility == Visibility.CONFIDENTIAL:
        return False
    if aspiration.visibility == Visibility.PUBLIC:
        return True
    return authz.can(user, AspirationAction.VIEW_INTERNAL, aspiration)


def author_display(aspiration: Aspiration, user: AnyUser) -> str:
    """The author's name as `user` may see it, or a neutral label."""
    if may_see_identity(aspiration, user):
        return _real_name(aspiration)
    if aspiration.visibility == Visibility.CONFIDENTIAL:
        return _("Confidential citizen")
    return _("Anonymous citizen")


def author_contact(aspiration: Aspiration, user: AnyUser) -> Contact | None:
    """Name, phone and email for following up, or None when `user` may not have them."""
    allowed = is_own(aspiration, user) or is_verifying_pengurus(aspiration, user)
    if not allowed and aspiration.visibility != Visibility.CONFIDENTIAL:
        allowed = authz.can(user, Action.USER_VIEW_PERSONAL_DATA, aspiration)
    if not allowed:
        return None
    author = aspiration.author if aspiration.author_id is not None else None
    return Contact(
        name=_real_name(aspiration),
        phone=aspiration.contact_phone or (author.phone if author is not None and author.phone else ""),
        email=aspiration.contact_email or (author.email if author is not None and author.email else ""),
    )
