import pytest
from django.urls import reverse

from conftest import BANJARBARU, EKASARI, GUNTUNG_PAIKAT, login
from sikim.accounts.models import Role, RoleGrant, User
from sikim.accounts.services import api_token_create
from sikim.audit.models import AuditEvent

NEW_PASSWORD = "kata-sandi-baru-456"


@pytest.fixture
def admin_client(client, national_admin):
    national_admin.is_staff = True
    national_admin.save()
    return login(client, national_admin)


@pytest.fixture
def staff_pembina(client, pembina_banjarbaru):
    pembina_banjarbaru.is_staff = True
    pembina_banjarbaru.save()
    return login(client, pembina_banjarbaru)


def test_non_staff_are_sent_to_the_admin_login(client, national_admin):
    login(client, national_admin)  # a national admin, but not staff

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_staff_without_the_role_see_no_accounts(client, stranger, warga_guntung_paikat):
    stranger.is_staff = True
    stranger.save()
    login(client, stranger)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_change", args=[warga_guntung_paikat.pk])).status_code == 403
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_rolegrant_changelist")).status_code == 403
    assert reverse("admin:accounts_user_changelist") not in client.get(reverse("admin:index")).text


def test_a_national_admin_searches_people_by_phone(admin_client, warga_guntung_paikat):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "+6281351000002"})

    assert response.status_code == 200
    assert "Siti Aminah" in response.text


def test_adding_a_person_goes_through_the_service(admin_client, national_admin):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "full_name": "Warga Baru",
            "email": "",
            "phone": "0812-3456-7890",
            "home_region": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    user = User.objects.get(phone="+6281234567890")
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user_register", actor=national_admin).exists()


def test_the_add_form_explains_a_bad_phone(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"full_name": "X", "email": "", "phone": "12ab", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Indonesian phone number" in response.text
    assert not User.objects.filter(full_name="X").exists()


def test_changing_a_person_is_audited(admin_client, national_admin, warga_guntung_paikat):
    user = warga_guntung_paikat
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "full_name": "Siti Aminah",
            "email": "siti@sikim.test",
            "phone": "0813 5100 0002",
            "home_region": GUNTUNG_PAIKAT,
            "preferred_language": "id",
            "is_active": "",  # switched off
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-MIN_NUM_FORMS": "0",
            "role_grants-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    user.refresh_from_db()
    assert not user.is_active
    event = AuditEvent.objects.get(action="accounts.user_admin_change")
    assert event.actor == national_admin
    assert event.before == {"is_active": True}
    assert event.after == {"is_active": False}


def test_setting_a_password_in_the_admin_is_audited(admin_client, national_admin, warga_guntung_paikat):
    url = reverse("admin:auth_user_password_change", args=[warga_guntung_paikat.pk])

    response = admin_client.post(url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user_set_password", actor=national_admin).exists()


def test_the_api_token_admin_never_shows_the_hash_and_can_revoke(admin_client, warga_guntung_paikat):
    token, plain = api_token_create(actor=warga_guntung_paikat, name="Bocor", scope="read")

    page = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert token.token_hash not in page.text and plain not in page.text
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403

    admin_client.post(
        reverse("admin:accounts_apitoken_changelist"), {"action": "revoke_selected", "_selected_action": [token.pk]}
    )

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_national_admin_grants_a_role_through_the_service(admin_client, national_admin, stranger):
    response = admin_client.post(
        reverse("admin:accounts_rolegrant_add"),
        {
            "user": stranger.pk,
            "role": Role.PEMBINA,
            "region": BANJARBARU,
            "organisation_type": "",
            "organisation_id": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    grant = RoleGrant.objects.get(user=stranger)
    assert grant.granted_by == national_admin
    assert AuditEvent.objects.filter(action="accounts.role_grant", region_id=BANJARBARU).exists()


def test_a_staff_pembina_may_grant_only_inside_their_subtree(staff_pembina, stranger):
    url = reverse("admin:accounts_rolegrant_add")
    base = {"user": stranger.pk, "organisation_type": "", "organisation_id": ""}

    outside = staff_pembina.post(url, {**base, "role": Role.WARGA, "region": EKASARI})
    too_high = staff_pembina.post(url, {**base, "role": Role.PEMBINA, "region": BANJARBARU})
    inside = staff_pembina.post(url, {**base, "role": Role.WARGA, "region": GUNTUNG_PAIKAT})

    assert outside.status_code == too_high.status_code == 200
    assert "You may not give this role here" in outside.text
    assert inside.status_code == 302
    assert list(RoleGrant.objects.filter(user=stranger).values_list("role", "region_id")) == [
        (Role.WARGA, GUNTUNG_PAIKAT)
    ]
    # A pembina still has no access to people's accounts.
    assert staff_pembina.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_the_role_grant_list_is_limited_to_the_pembinas_region(staff_pembina, warga_guntung_paikat, outsider):
    response = staff_pembina.get(reverse("admin:accounts_rolegrant_changelist"))

    assert response.status_code == 200
    assert "Siti Aminah" in response.text
    assert "Made Sudarsana" not in response.text


def test_revoking_grants_in_the_admin_goes_through_the_service(admin_client, warga_guntung_paikat):
    grant = RoleGrant.objects.get(user=warga_guntung_paikat)

    admin_client.post(
        reverse("admin:accounts_rolegrant_changelist"), {"action": "revoke_selected", "_selected_action": [grant.pk]}
    )

    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.role_revoke").exists()


def test_granting_from_the_user_page_inline(admin_client, stranger):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[stranger.pk]),
        {
            "full_name": stranger.full_name,
            "email": stranger.email,
            "phone": "",
            "home_region": "",
            "preferred_language": "id",
            "is_active": "on",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-MIN_NUM_FORMS": "0",
            "role_grants-MAX_NUM_FORMS": "1000",
            "role_grants-0-role": Role.WARGA,
            "role_grants-0-region": GUNTUNG_PAIKAT,
            "role_grants-0-organisation_type": "",
            "role_grants-0-organisation_id": "",
            "role_grants-0-user": stranger.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert RoleGrant.objects.filter(user=stranger, role=Role.WARGA, region_id=GUNTUNG_PAIKAT).exists()
    assert AuditEvent.objects.filter(action="accounts.role_grant").exists()


def test_the_admin_pages_render(admin_client, warga_guntung_paikat):
    token, _ = api_token_create(actor=warga_guntung_paikat, name="a", scope="read")
    grant = RoleGrant.objects.get(user=warga_guntung_paikat)
    urls = [
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[warga_guntung_paikat.pk]),
        reverse("admin:auth_user_password_change", args=[warga_guntung_paikat.pk]),
        reverse("admin:accounts_rolegrant_changelist"),
        reverse("admin:accounts_rolegrant_add"),
        reverse("admin:accounts_rolegrant_change", args=[grant.pk]),
        reverse("admin:accounts_apitoken_changelist"),
        reverse("admin:accounts_apitoken_change", args=[token.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url
