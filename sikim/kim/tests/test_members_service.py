import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikim.audit.models import AuditEvent
from sikim.kim.models import KimMember, MemberKind
from sikim.kim.services.members import member_add, member_deactivate, member_update
from sikim.kim.tests.factories import KimMemberFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_ketua_adds_a_person_with_the_phone_stored_as_plus_62(kim_guntung_paikat, ketua_guntung_paikat):
    member = member_add(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        name="  Siti   Rahmawati ",
        phone="0813-5550-0001",
        email="Siti@Example.ID",
        gender="p",
        age_group="30_44",
        occupation="Petani",
        sector="pertanian",
        preferred_channel="whatsapp",
        consent_whatsapp=True,
    )
    assert member.name == "Siti Rahmawati"
    assert member.phone == "+6281355500001"
    assert member.email == "siti@example.id"
    assert member.kim == kim_guntung_paikat
    assert member.joined_on is not None


def test_a_member_organisation_keeps_its_type(kim_guntung_paikat, ketua_guntung_paikat):
    group = member_add(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        name="Kelompok Nelayan Mina Sejahtera",
        kind=MemberKind.ORGANISATION,
        organisation_type="nelayan",
        sector="perikanan",
    )
    assert group.kind == "organisation" and group.organisation_type == "nelayan"
    assert group.phone is None


def test_a_person_has_no_organisation_type(kim_guntung_paikat, ketua_guntung_paikat):
    with pytest.raises(ValidationError) as caught:
        member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Budi", organisation_type="pkk")
    assert "organisation_type" in caught.value.message_dict


def test_a_duplicate_phone_in_the_same_kim_gets_a_clear_message(kim_guntung_paikat, ketua_guntung_paikat):
    member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Siti Rahmawati", phone="081355500001")
    with pytest.raises(ValidationError) as caught:
        member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Siti R.", phone="+62 813 5550 0001")
    assert caught.value.message_dict["phone"] == [
        "This phone number already belongs to a member of this KIM: Siti Rahmawati."
    ]
    assert KimMember.objects.count() == 1


def test_the_same_phone_in_another_kim_is_fine(kim_guntung_paikat, kim_ekasari, ketua_guntung_paikat, ketua_ekasari):
    member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Siti", phone="081355500001")
    member_add(actor=ketua_ekasari, kim=kim_ekasari, name="Siti", phone="081355500001")
    assert KimMember.objects.filter(phone="+6281355500001").count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"phone": "0812"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"gender": "x"}, "gender"),
        ({"sector": "astrology"}, "sector"),
        ({"preferred_channel": "email"}, "preferred_channel"),  # no email address
        ({"preferred_channel": "sms"}, "preferred_channel"),  # no phone number
        ({"occupation": "x" * 101}, "occupation"),
    ],
)
def test_bad_values_are_refused_with_the_field_named(kim_guntung_paikat, ketua_guntung_paikat, fields, field):
    with pytest.raises(ValidationError) as caught:
        member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Budi", **fields)
    assert field in caught.value.message_dict
    assert not KimMember.objects.exists()


def test_an_empty_name_is_refused(kim_guntung_paikat, ketua_guntung_paikat):
    with pytest.raises(ValidationError) as caught:
        member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="   ")
    assert "name" in caught.value.message_dict


def test_the_pembina_of_the_kim_may_add_members(kim_guntung_paikat, pembina_banjarbaru):
    member = member_add(actor=pembina_banjarbaru, kim=kim_guntung_paikat, name="Rina")
    assert member.pk


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "anggota_guntung_paikat", "warga_guntung_paikat"])
def test_others_may_not_add_members(request, kim_guntung_paikat, actor_name):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(PermissionDenied):
        member_add(actor=actor, kim=kim_guntung_paikat, name="Penyusup")
    assert not KimMember.objects.exists()


def test_update_normalises_and_audits_personal_changes_by_name_only(kim_guntung_paikat, ketua_guntung_paikat):
    member = member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Siti", phone="081355500001")
    member_update(actor=ketua_guntung_paikat, member=member, phone="0813 5550 0099", sector="umkm")

    member.refresh_from_db()
    assert member.phone == "+6281355500099"
    event = AuditEvent.objects.get(action="kim.member_update")
    assert event.after == {"sector": "umkm", "personal_data_changed": ["phone"]}
    assert "5550" not in str(event.before) + str(event.after)
    # Adding was audited without the number either.
    added = AuditEvent.objects.get(action="kim.member_add")
    assert "5550" not in str(added.after)
    assert added.after["personal_data"] == ["phone"]


def test_update_to_a_phone_another_member_has_is_refused(kim_guntung_paikat, ketua_guntung_paikat):
    member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Siti", phone="081355500001")
    budi = member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Budi", phone="081355500002")
    with pytest.raises(ValidationError) as caught:
        member_update(actor=ketua_guntung_paikat, member=budi, phone="081355500001")
    assert "Siti" in caught.value.message_dict["phone"][0]
    budi.refresh_from_db()
    assert budi.phone == "+6281355500002"


def test_nothing_changed_means_no_audit_event(kim_guntung_paikat, ketua_guntung_paikat):
    member = member_add(actor=ketua_guntung_paikat, kim=kim_guntung_paikat, name="Siti", phone="081355500001")
    member_update(actor=ketua_guntung_paikat, member=member, name="Siti", phone="+6281355500001")
    assert not AuditEvent.objects.filter(action="kim.member_update").exists()


def test_ketua_of_another_kim_may_not_update_or_deactivate(kim_guntung_paikat, ketua_ekasari):
    member = KimMemberFactory(kim=kim_guntung_paikat, name="Siti")
    with pytest.raises(PermissionDenied):
        member_update(actor=ketua_ekasari, member=member, name="Diubah")
    with pytest.raises(PermissionDenied):
        member_deactivate(actor=ketua_ekasari, member=member)
    member.refresh_from_db()
    assert member.name == "Siti" and member.is_active


def test_deactivate_keeps_the_row_and_is_audited_once(kim_guntung_paikat, ketua_guntung_paikat):
    member = KimMemberFactory(kim=kim_guntung_paikat)
    member_deactivate(actor=ketua_guntung_paikat, member=member)
    member_deactivate(actor=ketua_guntung_paikat, member=member)
    member.refresh_from_db()
    assert member.is_active is False
    assert AuditEvent.objects.filter(action="kim.member_deactivate").count() == 1


def test_unknown_fields_are_refused(kim_guntung_paikat, ketua_guntung_paikat):
    member = KimMemberFactory(kim=kim_guntung_paikat)
    with pytest.raises(ValidationError):
        member_update(actor=ketua_guntung_paikat, member=member, kim_id=999)  # type: ignore[call-arg]
