"""Writes for the kelompok desiminasi: the KIM's sub-groups at dusun/RW level.

Names are free text ("RT 03 / RW 02", "Dusun Mekar"). The coordinator and the members are
members of the same KIM; anyone else is refused. The coordinator is always one of the members.
"""

from collections.abc import Iterable
from typing import Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sikim.accounts.authz import AnyUser, require
from sikim.audit.services import audit_record
from sikim.kim.models import DisseminationGroup, Kim, KimMember
from sikim.kim.permissions import KimAction

GROUP_NAME_MAX_LENGTH: Final = 150
MAX_GROUP_MEMBERS: Final = 5000


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


def _clean_name(kim: Kim, name: object, exclude_pk: int | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({"name": _("Enter the name of the group, for example “RT 03 / RW 02” or “Dusun Mekar”.")})
    name = " ".join(name.split())
    if len(name) > GROUP_NAME_MAX_LENGTH:
        raise ValidationError({"name": _("At most %(max)d characters.") % {"max": GROUP_NAME_MAX_LENGTH}})
    others = DisseminationGroup.objects.filter(kim=kim, name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"name": _("This KIM already has a group with this name.")})
    return name


def _check_members(kim: Kim, coordinator: KimMember | None, members: list[KimMember]) -> None:
    errors: dict[str, list[str]] = {}
    # No names in these messages: the caller may not see other KIMs' members.
    if coordinator is not None and coordinator.kim_id != kim.pk:
        errors["coordinator"] = [_("The coordinator must be a member of this KIM.")]
    if any(member.kim_id != kim.pk for member in members):
        errors["members"] = [_("Only members of this KIM can be in its groups.")]
    if len(members) > MAX_GROUP_MEMBERS:
        errors.setdefault("members", []).append(_("A group has at most %(max)d members.") % {"max": MAX_GROUP_MEMBERS})
    if errors:
        raise ValidationError(errors)


def _member_list(coordinator: KimMember | None, members: Iterable[KimMember]) -> list[KimMember]:
    by_pk = {member.pk: member for member in members}
    if coordinator is not None:
        by_pk.setdefault(coordinator.pk, coordinator)
    return list(by_pk.values())


def _snapshot(group: DisseminationGroup, member_ids: list[int]) -> dict[str, object]:
    return {"name": group.name, "coordinator_id": group.coordinator_id, "member_ids": sorted(member_ids)}


def _save(group: DisseminationGroup) -> None:
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise ValidationError({"name": _("This KIM already has a group with this name.")}) from None


@transaction.atomic
def dissemination_group_create(
    *,
    actor: AnyUser,
    kim: Kim,
    name: str,
    coordinator: KimMember | None = None,
    members: Iterable[KimMember] = (),
) -> DisseminationGroup:
    """Create a kelompok desiminasi of `kim`, with a coordinator and members drawn from the KIM."""
    require(actor, KimAction.MANAGE_GROUPS, kim)
    name = _clean_name(kim, name)
    member_list = _member_list(coordinator, members)
    _check_members(kim, coordinator, member_list)
    group = DisseminationGroup(kim=kim, name=name, coordinator=coordinator)
    _save(group)
    group.members.set(member_list)
    audit_record(
        actor=actor,
        action="kim.dissemination_group_create",
        obj=group,
        region_code=kim.region_id,
        after=_snapshot(group, [member.pk for member in member_list]),
    )
    return group


@transaction.atomic
def dissemination_group_update(
    *,
    actor: AnyUser,
    group: DisseminationGroup,
    name: str | _Unset = UNSET,
    coordinator: KimMember | None | _Unset = UNSET,
    members: Iterable[KimMember] | _Unset = UNSET,
) -> DisseminationGroup:
    """Rename a group, change its coordinator or its members."""
    kim = group.kim
    require(actor, KimAction.MANAGE_GROUPS, kim)
    current_ids = list(group.members.values_list("pk", flat=True))
    before = _snapshot(group, current_ids)
    if not isinstance(name, _Unset):
        group.name = _clean_name(kim, name, exclude_pk=group.pk)
    if not isinstance(coordinator, _Unset):
        group.coordinator = coordinator
    new_coordinator = group.coordinator
    if isinstance(members, _Unset):
        member_list = _member_list(new_coordinator, KimMember.objects.filter(pk__in=current_ids))
    else:
        member_list = _member_list(new_coordinator, members)
    _check_members(kim, new_coordinator, member_list)
    after = _snapshot(group, [member.pk for member in member_list])
    if after == before:
        return group
    _save(group)
    group.members.set(member_list)
    audit_record(
        actor=actor,
        action="kim.dissemination_group_update",
        obj=group,
        region_code=kim.region_id,
        before={key: value for key, value in before.items() if after[key] != value},
        after={key: value for key, value in after.items() if before[key] != value},
    )
    return group


@transaction.atomic
def dissemination_group_delete(*, actor: AnyUser, group: DisseminationGroup) -> None:
    """Remove a kelompok desiminasi (its members stay members of the KIM)."""
    kim = group.kim
    require(actor, KimAction.MANAGE_GROUPS, kim)
    audit_record(
        actor=actor,
        action="kim.dissemination_group_delete",
        obj=group,
        region_code=kim.region_id,
        before={"name": group.name},
    )
    group.delete()
