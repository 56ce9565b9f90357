"""Writes for a KIM's public profile: its name, description, contacts, map point, logo, sectors.

The KIM's pengurus and its pembina may change it; every change is audited (only the fields
that changed). A dissolved KIM's profile is frozen.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.phone import normalize_phone
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.uploads import clean_image
from sikim.kim.models import Kim, KimSector, KimStatus
from sikim.kim.permissions import KimAction
from sikim.kim.services.lifecycle import (
    ABOUT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    UNSET,
    _email_or_none,
    _lock,
    _one_line,
    _sectors,
    _suffix,
    _text,
    _Unset,
)

SOCIAL_NETWORKS: Final = ("facebook", "instagram", "youtube", "tiktok", "x", "telegram", "whatsapp")
PROFILE_FIELDS: Final = [
    "name",
    "about",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "social_links",
    "logo",
    "run_by_group",
]


def _coordinate(value: Any, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number, e.g. -3.457242.")}) from None
    return number


def _social_links(value: Any) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"social_links": _("Give the links as network: address pairs.")})
    links: dict[str, str] = {}
    check_url = URLValidator(schemes=["https", "http"])
    for network, url in value.items():
        if network not in SOCIAL_NETWORKS:
            raise ValidationError(
                {
                    "social_links": _("%(network)s is not a network we know (use: %(known)s).")
                    % {"network": network, "known": ", ".join(SOCIAL_NETWORKS)}
                }
            )
        url = (url or "").strip() if isinstance(url, str) else ""
        if not url:
            continue
        try:
            if len(url) > 300:
                raise ValidationError("too long")
            check_url(url)
        except ValidationError:
            raise ValidationError(
                {"social_links": _("The %(network)s link is not a web address.") % {"network": network}}
            ) from None
        links[network] = url
    return links


@transaction.atomic
def kim_update_profile(
    *,
    actor: Any,
    kim: Kim,
    name: str | _Unset = UNSET,
    about: str | _Unset = UNSET,
    address: str | _Unset = UNSET,
    latitude: Any = UNSET,
    longitude: Any = UNSET,
    phone: str | _Unset = UNSET,
    email: str | _Unset = UNSET,
    website: str | _Unset = UNSET,
    social_links: dict[str, str] | _Unset = UNSET,
    run_by_group: str | _Unset = UNSET,
    sectors: Iterable[str] | _Unset = UNSET,
    logo: Any = UNSET,
    remove_logo: bool = False,
) -> Kim:
    """Change a KIM's public profile (its pengurus or its pembina). Only the given fields change."""
    authz.require(actor, KimAction.EDIT_PROFILE, kim)
    kim = _lock(kim)
    if kim.status == KimStatus.DIBUBARKAN:
        raise ValidationError(_("This KIM is dissolved; its profile can no longer be changed."))
    before = {**model_snapshot(kim, PROFILE_FIELDS), "sectors": sorted(kim.sectors.values_list("sector", flat=True))}
    errors: dict[str, list[str]] = {}

    def collect(field: str, check: Any) -> None:
        try:
            setattr(kim, field, check())
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)

    if not isinstance(name, _Unset):
        collect(
            "name",
            lambda: _one_line(name, field="name", max_length=NAME_MAX_LENGTH, required=True, label=_("Name the KIM.")),
        )
    if not isinstance(about, _Unset):
        collect("about", lambda: _text(about, field="about", max_length=ABOUT_MAX_LENGTH))
    if not isinstance(address, _Unset):
        collect("address", lambda: _one_line(address, field="address", max_length=300))
    if not isinstance(run_by_group, _Unset):
        collect("run_by_group", lambda: _one_line(run_by_group, field="run_by_group", max_length=200))
    if not isinstance(latitude, _Unset):
        collect("latitude", lambda: _coordinate(latitude, field="latitude"))
    if not isinstance(longitude, _Unset):
        collect("longitude", lambda: _coordinate(longitude, field="longitude"))
    if not isinstance(phone, _Unset):

        def check_phone() -> str:
            value = _one_line(phone, field="phone", max_length=40)
            if value and normalize_phone(value) is None:
                raise ValidationError({"phone": _("Enter an Indonesian phone number, e.g. 0511-4772-100.")})
            return normalize_phone(value) or "" if value else ""

        collect("phone", check_phone)
    if not isinstance(email, _Unset):

        def check_email() -> str:
            value = _one_line(email, field="email", max_length=254)
            if value and _email_or_none(value) is None:
                raise ValidationError({"email": _("Enter a valid email address.")})
            return value.lower()

        collect("email", check_email)
    if not isinstance(website, _Unset):

        def check_website() -> str:
            value = _one_line(website, field="website", max_length=200)
            if value:
                try:
                    URLValidator(schemes=["https", "http"])(value)
                except ValidationError:
                    raise ValidationError({"website": _("Enter a web address, e.g. https://kim.example.id.")}) from None
            return value

        collect("website", check_website)
    if not isinstance(social_links, _Unset):
        collect("social_links", lambda: _social_links(social_links))
    chosen_sectors: list[str] | None = None
    if not isinstance(sectors, _Unset):
        try:
            chosen_sectors = _sectors(sectors)
        except ValidationError as error:
            errors.update(error.message_dict)
    if (kim.latitude is None) != (kim.longitude is None) and "latitude" not in errors:
        errors["latitude"] = [_("Give both the latitude and the longitude, or neither.")]
    elif (
        kim.latitude is not None
        and kim.longitude is not None
        and not (
            Decimal("-11.5") <= kim.latitude <= Decimal("6.5") and Decimal("94.5") <= kim.longitude <= Decimal("141.5")
        )
    ):
        errors.setdefault("latitude", []).append(_("This point is not in Indonesia. Check the latitude and longitude."))
    new_logo: ContentFile | None = None
    if logo not in (UNSET, None, ""):
        try:
            new_logo = clean_image(logo)
        except ValidationError as error:
            errors["logo"] = error.messages
    if errors:
        raise ValidationError(errors)

    old_logo = kim.logo.name if kim.logo else ""
    if new_logo is not None:
        kim.logo.save(f"{kim.slug}-{uuid4().hex[:12]}{_suffix(new_logo.name)}", new_logo, save=False)
    elif remove_logo:
        kim.logo = ""
    try:
        kim.save()
        if chosen_sectors is not None:
            kim.sectors.exclude(sector__in=chosen_sectors).delete()
            existing = set(kim.sectors.values_list("sector", flat=True))
            KimSector.objects.bulk_create(
                [KimSector(kim=kim, sector=sector) for sector in chosen_sectors if sector not in existing]
            )
    except Exception:
        if new_logo is not None and kim.logo.name:
            kim.logo.storage.delete(kim.logo.name)
        raise
    if old_logo and (kim.logo.name or "") != old_logo:
        storage = kim.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    after = {**model_snapshot(kim, PROFILE_FIELDS), "sectors": sorted(kim.sectors.values_list("sector", flat=True))}
    changed = [key for key in after if after[key] != before.get(key)]
    if changed:
        audit_record(
            actor=actor,
            action="kim.update_profile",
            obj=kim,
            before={key: before.get(key) for key in changed},
            after={key: after[key] for key in changed},
        )
    return kim
