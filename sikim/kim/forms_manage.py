"""Forms for proposing and managing KIMs. They check and tidy input; the services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sikim.kim.models import DocumentKind, KimStatus, Sector
from sikim.kim.services.profile import SOCIAL_NETWORKS

# The invisible field bots fill in and people never see (see KimProposeForm).
HONEYPOT_FIELD = "homepage"


def apply_service_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on its fields where they exist, on top otherwise."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field_map.get(field, field)
        form.add_error(target if target in form.fields else None, messages)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (formation photos); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _sector_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Sectors it serves"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class KimProposeForm(forms.Form):
    """Propose a KIM for a village: open to everyone, with a honeypot against bots."""

    name = forms.CharField(
        label=_("Name of the KIM"),
        max_length=200,
        help_text=_("For example: KIM Guntung Paikat."),
    )
    village = forms.CharField(
        label=_("Village code (desa/kelurahan)"),
        max_length=13,
        help_text=_("The Kemendagri code of the desa or kelurahan, e.g. 63.72.05.1004."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "63.72.05.1004", "autocomplete": "off"}),
    )
    about = forms.CharField(
        label=_("About the KIM"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who would take part and what information the village needs."),
    )
    sectors = _sector_field()
    run_by_group = forms.CharField(
        label=_("Run by an existing group"),
        required=False,
        max_length=200,
        help_text=_("If a farmers' group or another group would be the KIM, its name."),
    )
    proposer_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    proposer_contact = forms.CharField(
        label=_("Your phone number or email"),
        max_length=150,
        help_text=_("The Dinas Kominfo uses it only to contact you about this proposal. It is never shown publicly."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            for field in ("proposer_name", "proposer_contact"):
                self.fields[field].required = False
            self.fields["proposer_name"].help_text = _("Leave empty to use the name of your account.")
            self.fields["proposer_contact"].help_text = _(
                "Leave empty to use the email or phone number of your account. It is never shown publicly."
            )

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean_village(self) -> str:
        return (self.cleaned_data.get("village") or "").strip()


class FormationForm(forms.Form):
    """The formation meeting and its decree (SK)."""

    held_on = forms.DateField(label=_("Date of the formation meeting"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=300, help_text=_("For example: Aula Kelurahan."))
    attendees_count = forms.IntegerField(label=_("Number of attendees"), min_value=1, max_value=100_000)
    facilitators = forms.MultipleChoiceField(
        label=_("Dinas Kominfo officers present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    facilitator_names = forms.CharField(
        label=_("Other facilitators"),
        required=False,
        max_length=500,
        help_text=_("Names of facilitators without an account, separated by commas."),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100)
    decree_date = forms.DateField(label=_("Decree date"), widget=forms.DateInput(attrs={"type": "date"}))
    decree_issued_by = forms.CharField(
        label=_("Decree issued by"), required=False, max_length=200, help_text=_("The kepala desa or lurah.")
    )
    decree_pdf = forms.FileField(
        label=_("Decree (SK) as PDF"),
        help_text=_("A PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    statutes_pdf = forms.FileField(
        label=_("Statutes (AD/ART) as PDF"),
        required=False,
        help_text=_("A PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    photos = MultipleFileField(
        label=_("Photos of the meeting"), required=False, help_text=_("Up to 10 JPEG or PNG pictures.")
    )

    def __init__(self, *args: Any, facilitator_choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(pk), label) for pk, label in facilitator_choices or []]
        self.fields["facilitators"].choices = choices  # type: ignore[attr-defined]
        if not choices:
            del self.fields["facilitators"]

    def clean_facilitators(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("facilitators") or []]


class KimStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the status changes; required when the KIM becomes inactive or is dissolved."),
    )

    def __init__(self, *args: Any, statuses: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            (status, KimStatus(status).label) for status in statuses or []
        ]


class KimProfileForm(forms.Form):
    name = forms.CharField(label=_("Name of the KIM"), max_length=200)
    about = forms.CharField(
        label=_("About the KIM"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    sectors = _sector_field()
    run_by_group = forms.CharField(label=_("Run by group"), required=False, max_length=200)
    address = forms.CharField(label=_("Address (secretariat)"), required=False, max_length=300)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6, help_text=_("For example -3.457242.")
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, help_text=_("For example 114.810318.")
    )
    phone = forms.CharField(label=_("Public phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("Public email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG or PNG picture."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for network in SOCIAL_NETWORKS:
            self.fields[f"social_{network}"] = forms.URLField(
                label=network.title() if network != "x" else "X (Twitter)",
                required=False,
                max_length=300,
                assume_scheme="https",
            )

    def social_links(self) -> dict[str, str]:
        return {
            network: self.cleaned_data[f"social_{network}"]
            for network in SOCIAL_NETWORKS
            if self.cleaned_data.get(f"social_{network}")
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "about": data["about"],
            "sectors": data["sectors"],
            "run_by_group": data["run_by_group"],
            "address": data["address"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "phone": data["phone"],
            "email": data["email"],
            "website": data["website"],
            "social_links": self.social_links(),
            "logo": data.get("logo") or None,
            "remove_logo": data.get("remove_logo", False),
        }

    @staticmethod
    def initial_for(kim: Any) -> dict[str, Any]:
        initial = {
            "name": kim.name,
            "about": kim.about,
            "sectors": list(kim.sectors.values_list("sector", flat=True)),
            "run_by_group": kim.run_by_group,
            "address": kim.address,
            "latitude": kim.latitude,
            "longitude": kim.longitude,
            "phone": kim.phone,
            "email": kim.email,
            "website": kim.website,
        }
        for network, url in (kim.social_links or {}).items():
            initial[f"social_{network}"] = url
        return initial


class KimDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File (PDF)"),
        help_text=_("A PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    is_public = forms.BooleanField(label=_("Show on the KIM's public page"), required=False, initial=True)
