"""Writes of the routing rules and the service levels (a pembina for their region; audited)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.aspirations.models import RoutingRule, ServiceLevel
from sikim.aspirations.permissions import AspirationAction
from sikim.audit.services import audit_record, model_snapshot


@transaction.atomic
def routing_rule_save(*, actor: Any, rule: RoutingRule) -> RoutingRule:
    """Create or change a rule inside the actor's region; the office must act for that region."""
    creating = rule.pk is None
    previous = None if creating else RoutingRule.objects.select_related("region").get(pk=rule.pk)
    if previous is not None:
        authz.require(actor, AspirationAction.MANAGE_ROUTING, previous)
    authz.require(actor, AspirationAction.MANAGE_ROUTING, rule)
    rule.full_clean()
    if not rule.office.covers(rule.region_id):
        raise ValidationError({"office": _("This office does not act for the rule's region.")})
    rule.save()
    audit_record(
        actor=actor,
        action="aspirations.routing_rule.create" if creating else "aspirations.routing_rule.update",
        obj=rule,
        before=model_snapshot(previous) if previous is not None else None,
        after=model_snapshot(rule),
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: Any, rule: RoutingRule) -> None:
    authz.require(actor, AspirationAction.MANAGE_ROUTING, rule)
    audit_record(actor=actor, action="aspirations.routing_rule.delete", obj=rule, before=model_snapshot(rule))
    rule.delete()


@transaction.atomic
def service_level_save(*, actor: Any, level: ServiceLevel) -> ServiceLevel:
    """The national default is the national admin's; a region's, its pembina's."""
    if level.region_id is None:
        if not authz.is_national_admin(actor):
            raise PermissionDenied
    else:
        authz.require(actor, AspirationAction.MANAGE_ROUTING, level)
    creating = level.pk is None
    previous = None if creating else ServiceLevel.objects.get(pk=level.pk)
    if previous is not None and previous.region_id is not None:
        authz.require(actor, AspirationAction.MANAGE_ROUTING, previous)
    level.full_clean()
    level.save()
    audit_record(
        actor=actor,
        action="aspirations.service_level.save",
        obj=level,
        region_code=level.region_id,
        before=model_snapshot(previous) if previous is not None else None,
        after=model_snapshot(level),
    )
    return level
