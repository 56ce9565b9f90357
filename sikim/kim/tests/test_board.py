from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.kim.models import BoardPosition, BoardTerm
from sikim.kim.services.board import PositionSpec, board_term_create, board_term_end
from sikim.kim.tests.factories import KimMemberFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def people(kim_guntung_paikat):
    names = ["Ahmad Fauzi", "Nur Halimah", "Rudi Hartono", "Dewi Lestari", "Yusuf Maulana", "Rina Wati"]
    return [KimMemberFactory(kim=kim_guntung_paikat, name=name) for name in names]


def _seats(people):
    ahmad, nur, rudi, dewi, yusuf, rina = people
    return [
        PositionSpec("ketua", ahmad),
        PositionSpec("wakil_ketua", nur),
        PositionSpec("sekretaris", rudi),
        PositionSpec("bendahara", dewi),
        PositionSpec("seksi", yusuf, "Seksi Informasi dan Dokumentasi"),
        PositionSpec("seksi", rina, "Seksi Ekonomi Produktif"),
    ]


def _first_term(actor, kim, people):
    return board_term_create(
        actor=actor,
        kim=kim,
        starts_on=date(2018, 7, 27),
        ends_on=date(2021, 7, 27),
        decree_number="188.45/112/KUM/2018",
        positions=_seats(people),
    )


def test_ketua_records_a_term_with_its_positions(kim_guntung_paikat, ketua_guntung_paikat, people):
    term = _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    assert {(p.position, p.member.name) for p in term.positions.all()} >= {
        ("ketua", "Ahmad Fauzi"),
        ("bendahara", "Dewi Lestari"),
        ("seksi", "Yusuf Maulana"),
    }
    assert term.positions.count() == 6
    event = AuditEvent.objects.get(action="kim.board_term_create")
    assert event.after["starts_on"] == "2018-07-27"


def test_an_overlapping_term_is_refused_with_a_clear_message(kim_guntung_paikat, ketua_guntung_paikat, people):
    _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    with pytest.raises(ValidationError) as caught:
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2020, 1, 1),
            ends_on=date(2023, 1, 1),
            positions=[PositionSpec("ketua", people[1])],
        )
    assert caught.value.message_dict["starts_on"] == ["This term overlaps the term 2018-07-27 – 2021-07-27."]
    assert BoardTerm.objects.count() == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2017, 1, 1), date(2018, 8, 1)),  # ends inside
        (date(2017, 1, 1), None),  # open-ended, starting before
        (date(2019, 1, 1), date(2020, 1, 1)),  # inside
        (date(2018, 7, 27), date(2021, 7, 27)),  # the same
    ],
)
def test_every_kind_of_overlap_is_refused(kim_guntung_paikat, ketua_guntung_paikat, people, starts_on, ends_on):
    _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    with pytest.raises(ValidationError, match="overlaps the term 2018-07-27 – 2021-07-27"):
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=starts_on,
            ends_on=ends_on,
            positions=[PositionSpec("ketua", people[0])],
        )


def test_the_next_term_may_start_the_day_the_last_one_ends(kim_guntung_paikat, ketua_guntung_paikat, people):
    _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=date(2021, 7, 27),
        positions=[PositionSpec("ketua", people[1])],
    )
    assert BoardTerm.objects.count() == 2


def test_an_open_ended_term_blocks_later_terms_until_it_is_ended(kim_guntung_paikat, ketua_guntung_paikat, people):
    open_term = board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=date(2021, 7, 27),
        positions=[PositionSpec("ketua", people[0])],
    )
    with pytest.raises(ValidationError, match="overlaps the term 2021-07-27 – no end date"):
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2024, 7, 27),
            positions=[PositionSpec("ketua", people[1])],
        )
    board_term_end(actor=ketua_guntung_paikat, term=open_term, ends_on=date(2024, 7, 27))
    board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=date(2024, 7, 27),
        positions=[PositionSpec("ketua", people[1])],
    )
    assert BoardTerm.objects.count() == 2


def test_only_one_ketua_per_term(kim_guntung_paikat, ketua_guntung_paikat, people):
    with pytest.raises(ValidationError) as caught:
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2018, 7, 27),
            positions=[PositionSpec("ketua", people[0]), PositionSpec("ketua", people[1])],
        )
    assert caught.value.message_dict["positions"] == ["A term has only one Chair (ketua)."]
    assert not BoardTerm.objects.exists()


def test_a_term_needs_a_ketua(kim_guntung_paikat, ketua_guntung_paikat, people):
    with pytest.raises(ValidationError, match="Choose the ketua"):
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2018, 7, 27),
            positions=[PositionSpec("sekretaris", people[0])],
        )


def test_a_seksi_needs_its_name(kim_guntung_paikat, ketua_guntung_paikat, people):
    with pytest.raises(ValidationError, match="seksi/bidang"):
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2018, 7, 27),
            positions=[PositionSpec("ketua", people[0]), PositionSpec("seksi", people[1])],
        )


def test_a_member_of_another_kim_cannot_sit_on_the_board(kim_guntung_paikat, kim_ekasari, ketua_guntung_paikat):
    stranger_member = KimMemberFactory(kim=kim_ekasari, name="I Wayan Rahasia")
    with pytest.raises(ValidationError) as caught:
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2018, 7, 27),
            positions=[PositionSpec("ketua", stranger_member)],
        )
    assert "not a member of this KIM" in str(caught.value)
    assert "I Wayan Rahasia" not in str(caught.value)


def test_the_end_must_come_after_the_start(kim_guntung_paikat, ketua_guntung_paikat, people):
    with pytest.raises(ValidationError) as caught:
        board_term_create(
            actor=ketua_guntung_paikat,
            kim=kim_guntung_paikat,
            starts_on=date(2021, 7, 27),
            ends_on=date(2018, 7, 27),
            positions=[PositionSpec("ketua", people[0])],
        )
    assert "ends_on" in caught.value.message_dict


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "anggota_guntung_paikat"])
def test_others_may_not_record_a_term(request, kim_guntung_paikat, people, actor_name):
    with pytest.raises(PermissionDenied):
        _first_term(request.getfixturevalue(actor_name), kim_guntung_paikat, people)


# --- Pages ---------------------------------------------------------------------------------------


def test_the_board_page_shows_the_current_term_and_the_history(
    client, kim_guntung_paikat, ketua_guntung_paikat, people
):
    _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    today = timezone.localdate()
    board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=1000),
        positions=[PositionSpec("ketua", people[5]), PositionSpec("sekretaris", people[4])],
    )
    body = (
        login(client, ketua_guntung_paikat).get(reverse("kim:board", args=[kim_guntung_paikat.slug])).content.decode()
    )
    current, history = body.split("Other terms")
    assert "Rina Wati" in current and "Secretary (sekretaris)" in current
    assert "2018–2021" in history and "Ahmad Fauzi" in history and "Seksi Ekonomi Produktif" in history


def test_anggota_sees_the_board_without_contact_details(
    client, kim_guntung_paikat, ketua_guntung_paikat, anggota_guntung_paikat, people
):
    _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    body = (
        login(client, anggota_guntung_paikat).get(reverse("kim:board", args=[kim_guntung_paikat.slug])).content.decode()
    )
    assert "Ahmad Fauzi" in body
    assert people[0].phone not in body
    assert reverse("kim:board_term_add", args=[kim_guntung_paikat.slug]) not in body


def test_ketua_records_a_term_through_the_form(client, kim_guntung_paikat, ketua_guntung_paikat, people):
    url = reverse("kim:board_term_add", args=[kim_guntung_paikat.slug])
    login(client, ketua_guntung_paikat)
    assert client.get(url).status_code == 200
    data = {
        "starts_on": "2018-07-27",
        "ends_on": "2021-07-27",
        "decree_number": "188/2018",
        "ketua": people[0].pk,
        "sekretaris": people[2].pk,
        "seksi-TOTAL_FORMS": "4",
        "seksi-INITIAL_FORMS": "0",
        "seksi-MIN_NUM_FORMS": "0",
        "seksi-MAX_NUM_FORMS": "30",
        "seksi-0-section_name": "Seksi Humas",
        "seksi-0-member": people[4].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    term = BoardTerm.objects.get()
    assert set(term.positions.values_list("position", flat=True)) == {"ketua", "sekretaris", "seksi"}

    # The same dates again: refused, with the message, and the form keeps its values.
    response = client.post(url, {**data, "starts_on": "2020-01-01", "ends_on": "2022-01-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This term overlaps the term 2018-07-27 – 2021-07-27." in body
    assert 'value="188/2018"' in body
    assert BoardTerm.objects.count() == 1


def test_the_form_offers_only_this_kims_members(client, kim_guntung_paikat, kim_ekasari, ketua_guntung_paikat, people):
    other = KimMemberFactory(kim=kim_ekasari, name="I Wayan Rahasia")
    url = reverse("kim:board_term_add", args=[kim_guntung_paikat.slug])
    login(client, ketua_guntung_paikat)
    assert "I Wayan Rahasia" not in client.get(url).content.decode()
    response = client.post(
        url,
        {"starts_on": "2018-07-27", "ketua": other.pk, "seksi-TOTAL_FORMS": "0", "seksi-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert not BoardTerm.objects.exists()


def test_ketua_ends_the_current_term(client, kim_guntung_paikat, ketua_guntung_paikat, people):
    term = board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=date(2021, 7, 27),
        positions=[PositionSpec("ketua", people[0])],
    )
    login(client, ketua_guntung_paikat)
    url = reverse("kim:board_term_end", args=[kim_guntung_paikat.slug, term.pk])
    assert client.post(url, {"ends_on": "2024-07-27"}).status_code == 302
    term.refresh_from_db()
    assert term.ends_on == date(2024, 7, 27)
    client.post(url, {"ends_on": "2020-01-01"})  # before the start: refused
    term.refresh_from_db()
    assert term.ends_on == date(2024, 7, 27)


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "warga_guntung_paikat", "stranger"])
def test_others_get_404_on_board_pages(client, request, kim_guntung_paikat, ketua_guntung_paikat, people, actor_name):
    term = _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    login(client, request.getfixturevalue(actor_name))
    slug = kim_guntung_paikat.slug
    assert client.get(reverse("kim:board", args=[slug])).status_code == 404
    assert client.get(reverse("kim:board_term_add", args=[slug])).status_code == 404
    assert (
        client.post(reverse("kim:board_term_end", args=[slug, term.pk]), {"ends_on": "2020-01-01"}).status_code == 404
    )
    term.refresh_from_db()
    assert term.ends_on == date(2021, 7, 27)


def test_anggota_may_not_record_terms(client, kim_guntung_paikat, anggota_guntung_paikat):
    login(client, anggota_guntung_paikat)
    assert client.get(reverse("kim:board_term_add", args=[kim_guntung_paikat.slug])).status_code == 403


def test_anonymous_is_sent_to_login(client, kim_guntung_paikat):
    response = client.get(reverse("kim:board", args=[kim_guntung_paikat.slug]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_board_page_query_count_is_bounded(
    client, kim_guntung_paikat, ketua_guntung_paikat, people, django_assert_max_num_queries
):
    _first_term(ketua_guntung_paikat, kim_guntung_paikat, people)
    board_term_create(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        starts_on=date(2021, 7, 27),
        ends_on=date(2024, 7, 27),
        positions=_seats(people),
    )
    login(client, ketua_guntung_paikat)
    client.get(reverse("kim:board", args=[kim_guntung_paikat.slug]))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("kim:board", args=[kim_guntung_paikat.slug])).status_code == 200
    assert BoardPosition.objects.count() == 12
