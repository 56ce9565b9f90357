"""`manage.py seed_demo`: the demo accounts `make run` prints, created once however often it runs."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sikim.accounts.models import Role, RoleGrant, User
from sikim.core.demo import DEMO_PASSWORD, demo_seed_all
from sikim.wilayah.models import Region, subtree_q

EXPECTED_GRANTS = {
    ("admin@demo.sikim.test", Role.NATIONAL_ADMIN, None),
    ("pembina.kalsel@demo.sikim.test", Role.PEMBINA, "63"),
    ("pembina.banjarbaru@demo.sikim.test", Role.PEMBINA, "63.72"),
    ("pembina.jembrana@demo.sikim.test", Role.PEMBINA, "51.01"),
    ("warga.guntungpaikat@demo.sikim.test", Role.WARGA, "63.72.05.1004"),
}


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _grants() -> set[tuple[str | None, str, str | None]]:
    return {
        (grant.user.email, grant.role, grant.region_id)
        for grant in RoleGrant.objects.filter(revoked_at__isnull=True).select_related("user")
    }


@pytest.mark.django_db
def test_running_it_twice_creates_each_account_and_grant_once(regions):
    first_output = _seed()
    counts = (User.objects.count(), RoleGrant.objects.count())
    second_output = _seed()

    # Every app's seeder is idempotent, not only the people's.
    assert (User.objects.count(), RoleGrant.objects.count()) == counts
    assert second_output == first_output
    assert _grants() >= EXPECTED_GRANTS
    for email, _role, _region in EXPECTED_GRANTS:
        assert User.objects.filter(email=email).count() == 1
        assert RoleGrant.objects.filter(user__email=email).count() == 1
        assert email in first_output
    assert f"password: {DEMO_PASSWORD}" in first_output


@pytest.mark.django_db
def test_the_printed_password_is_each_accounts_password(regions):
    _seed()

    for email, _role, _region in EXPECTED_GRANTS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email


@pytest.mark.django_db
def test_the_accounts_are_what_they_say(regions):
    _seed()

    admin = User.objects.get(email="admin@demo.sikim.test")
    assert admin.is_staff and admin.is_superuser
    others = User.objects.filter(email__in=[email for email, _role, _region in EXPECTED_GRANTS]).exclude(pk=admin.pk)
    assert not others.filter(is_staff=True).exists()
    assert not others.filter(is_superuser=True).exists()
    warga = User.objects.get(email="warga.guntungpaikat@demo.sikim.test")
    assert warga.home_region_id == "63.72.05.1004"


@pytest.mark.django_db
def test_it_names_the_roles_no_seeder_covers_yet(regions):
    seeded_roles = {account.role for account in demo_seed_all()}
    output = _seed()

    waiting_line = next((line for line in output.splitlines() if "No demo account yet" in line), "")
    for role in Role:
        assert (str(role.label) in waiting_line) == (role not in seeded_roles), role


@pytest.mark.django_db
def test_it_needs_the_regions(regions):
    # Kabupaten Jembrana goes missing, as in a database without the region import.
    jembrana = Region.objects.filter(subtree_q("code", "51.01"))
    for level in sorted(set(jembrana.values_list("level", flat=True)), reverse=True):
        Region.objects.filter(subtree_q("code", "51.01"), level=level).delete()

    with pytest.raises(CommandError, match="import_wilayah"):
        _seed()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_never_runs_in_production(regions, settings):
    settings.IS_PRODUCTION = True

    with pytest.raises(CommandError, match="never runs in production"):
        _seed()
    assert not User.objects.exists()
