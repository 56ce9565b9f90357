"""Forms for the member, board and kelompok desiminasi pages. They check and tidy what people
type; the services decide (and check again, for the API)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sikim.accounts.phone import normalize_phone
from sikim.kim.models import (
    AgeGroup,
    Channel,
    Gender,
    KimMember,
    MemberKind,
    OrganisationType,
    Sector,
)

BLANK: list[tuple[str, Any]] = [("", "—")]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KimMember) -> str:
        return obj.name


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: KimMember) -> str:
        return obj.name


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("People and organisations")), *MemberKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("No longer members")), ("all", _("All"))],
    )

    def active_filter(self) -> bool | None:
        status = self.cleaned_data.get("status") or "active"
        return {"active": True, "inactive": False}.get(status)


class MemberForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of member"), choices=MemberKind.choices, initial=MemberKind.PERSON, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        required=False,
        choices=BLANK + OrganisationType.choices,
        help_text=_("Only for a member organisation (a kelompok tani, a fishers' group, an UMKM…)."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
        help_text=_("For example 0812-3456-7890. Seen only by the pengurus and the pembina."),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=BLANK + Gender.choices)
    age_group = forms.ChoiceField(label=_("Age group"), required=False, choices=BLANK + AgeGroup.choices)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=BLANK + Sector.choices)
    preferred_channel = forms.ChoiceField(label=_("Preferred channel"), choices=Channel.choices, initial=Channel.WEB)
    consent_email = forms.BooleanField(label=_("Agrees to receive email"), required=False)
    consent_sms = forms.BooleanField(label=_("Agrees to receive SMS"), required=False)
    consent_whatsapp = forms.BooleanField(label=_("Agrees to receive WhatsApp messages"), required=False)
    consent_telegram = forms.BooleanField(label=_("Agrees to receive Telegram messages"), required=False)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return None
        phone = normalize_phone(raw)
        if phone is None:
            raise forms.ValidationError(
                _("Enter an Indonesian phone number, for example 0812-3456-7890 or +62 812 3456 7890.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == MemberKind.PERSON:
            data["organisation_type"] = ""
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values, as keyword arguments for `member_add` / `member_update`."""
        return {key: value for key, value in self.cleaned_data.items() if key in self.fields}

    @classmethod
    def initial_from(cls, member: KimMember) -> dict[str, Any]:
        return {name: getattr(member, name) for name in cls.base_fields}


class MemberEditForm(MemberForm):
    is_active = forms.BooleanField(label=_("Still a member"), required=False)


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class BoardTermForm(forms.Form):
    starts_on = forms.DateField(label=_("Term starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Term ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The next term may start on this day."),
    )
    decree_number = forms.CharField(label=_("Decree (SK) number"), required=False, max_length=100)
    ketua = MemberChoiceField(label=_("Chair (ketua)"), queryset=KimMember.objects.none())
    wakil_ketua = MemberChoiceField(
        label=_("Vice chair (wakil ketua)"), queryset=KimMember.objects.none(), required=False
    )
    sekretaris = MemberChoiceField(label=_("Secretary (sekretaris)"), queryset=KimMember.objects.none(), required=False)
    bendahara = MemberChoiceField(label=_("Treasurer (bendahara)"), queryset=KimMember.objects.none(), required=False)

    OFFICERS = ("ketua", "wakil_ketua", "sekretaris", "bendahara")

    def __init__(self, *args: Any, members: QuerySet[KimMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.OFFICERS:
            self.fields[name].queryset = members  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("A term ends after it starts."))
        return data


class SeksiForm(forms.Form):
    section_name = forms.CharField(label=_("Seksi/bidang"), required=False, max_length=100)
    member = MemberChoiceField(label=_("Member"), queryset=KimMember.objects.none(), required=False)

    def __init__(self, *args: Any, members: QuerySet[KimMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("member") and not data.get("section_name"):
            self.add_error("section_name", _("Give the name of the seksi/bidang."))
        if data.get("section_name") and not data.get("member"):
            self.add_error("member", _("Choose who leads this seksi/bidang."))
        return data


SeksiFormSet = forms.formset_factory(SeksiForm, extra=4, max_num=30, validate_max=True)


class BoardTermEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Term ends on"), widget=forms.DateInput(attrs={"type": "date"}))


class DisseminationGroupForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=150, help_text=_("For example “RT 03 / RW 02” or “Dusun Mekar”.")
    )
    coordinator = MemberChoiceField(label=_("Coordinator"), queryset=KimMember.objects.none(), required=False)
    members = MemberMultipleChoiceField(
        label=_("Members"),
        queryset=KimMember.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or long-press on a phone) to choose several. The coordinator is always included."),
    )

    def __init__(self, *args: Any, members: QuerySet[KimMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = members  # type: ignore[attr-defined]
        self.fields["members"].queryset = members  # type: ignore[attr-defined]
