"""Forms of the requester's pages. They tidy input only; `services.requests` and
`services.objections` check it and say what is wrong."""

from typing import Any, Final, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sikim.kim.selectors.directory import is_region_code, provinces, region_children
from sikim.kip.models import AccessForm, CopyFormat, Delivery, ObjectionGround
from sikim.offices.models import GovernmentOffice

HONEYPOT_FIELD: Final = "homepage"
# Longer than any valid text, so the service (not the browser) explains what is too long.
TEXT_INPUT_LIMIT: Final = 50_000


class BodySearchForm(forms.Form):
    """The landing page's chooser: a name and the province → kabupaten/kota of the body."""

    q = forms.CharField(
        label=_("Name of the public body"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Desa Ekasari, Dinas Kesehatan")}),
    )
    provinsi = forms.ChoiceField(label=_("Province"), required=False)
    kabupaten = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        source = data or {}
        province = str(source.get("provinsi") or "").strip()[:13]
        if not (is_region_code(province) and "." not in province):
            province = ""
        cast(forms.ChoiceField, self.fields["provinsi"]).choices = [("", _("All provinces")), *provinces()]
        children = region_children(province) if province else []
        cast(forms.ChoiceField, self.fields["kabupaten"]).choices = [("", _("All kabupaten/kota")), *children]
        self.province = province

    def filters(self) -> tuple[str, str]:
        """(name text, region code) — invalid values are dropped, never an error."""
        if not self.is_bound:
            return "", ""
        text = str(self.data.get("q") or "").strip()[:100]
        kabupaten = str(self.data.get("kabupaten") or "").strip()[:13]
        if self.province and is_region_code(kabupaten) and kabupaten.startswith(f"{self.province}."):
            return text, kabupaten
        return text, self.province


def _radio(label: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class RequestForm(forms.Form):
    """A request for public information: who asks (as the law requires), what, why, and how."""

    badan = forms.ChoiceField(label=_("Public body"))
    requester_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    requester_id_number = forms.CharField(
        label=_("NIK or other identity number"),
        max_length=40,
        help_text=_("The law requires it (Pasal 22 UU 14/2008). It is never shown in public."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    requester_address = forms.CharField(
        label=_("Address"),
        max_length=400,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    requester_phone = forms.CharField(
        label=_("Phone or WhatsApp number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0812 3456 7890"}),
    )
    requester_email = forms.CharField(
        label=_("Email"), required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    information = forms.CharField(
        label=_("What information do you ask for?"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Be as precise as you can, e.g. “APBDes Desa Ekasari 2026 with its details”."),
    )
    purpose = forms.CharField(
        label=_("What do you need it for?"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    access_form = _radio(_("How do you want the information?"), AccessForm.choices, initial=AccessForm.MELIHAT)
    copy_format = _radio(
        _("Copy"),
        [
            (CopyFormat.SOFTCOPY.value, CopyFormat.SOFTCOPY.label),
            (CopyFormat.HARDCOPY.value, CopyFormat.HARDCOPY.label),
        ],
        required=False,
        help_text=_("Only when you ask for a copy."),
    )
    delivery = _radio(_("How is it to reach you?"), Delivery.choices, initial=Delivery.AMBIL)
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self, data: Any = None, *, body: GovernmentOffice | None, bodies: Any, on_behalf: bool, initial: Any = None
    ) -> None:
        super().__init__(data, initial=initial)
        self.body = body
        field = cast(forms.ChoiceField, self.fields["badan"])
        if body is not None:
            field.choices = [(body.slug, body.name)]
            field.widget = forms.HiddenInput()
            field.initial = body.slug
        else:
            field.choices = [("", _("Choose…")), *[(b.slug, f"{b.name} ({b.region.name})") for b in bodies]]
        if on_behalf:
            self.fields["requester_name"].label = _("The citizen's full name")
            self.fields["requester_id_number"].label = _("The citizen's NIK or other identity number")
            self.fields["requester_address"].label = _("The citizen's address")
            self.fields["requester_phone"].label = _("The citizen's phone or WhatsApp number")
            self.fields["requester_email"].label = _("The citizen's email")

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "requester_name": data["requester_name"],
            "requester_id_number": data["requester_id_number"],
            "requester_address": data["requester_address"],
            "requester_phone": data.get("requester_phone", ""),
            "requester_email": data.get("requester_email", ""),
            "information": data["information"],
            "purpose": data["purpose"],
            "access_form": data["access_form"],
            "copy_format": data.get("copy_format") or "",
            "delivery": data["delivery"],
        }


class ObjectionForm(forms.Form):
    """Keberatan: one or more grounds of Pasal 35 ayat (1) UU 14/2008, and what is asked."""

    grounds = forms.MultipleChoiceField(
        label=_("Grounds of the objection (Pasal 35 UU 14/2008)"),
        choices=ObjectionGround.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one ground for the objection.")},
    )
    statement = forms.CharField(
        label=_("Your objection"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you object to, and what you ask the atasan PPID to do."),
        error_messages={"required": _("Write what you object to and what you ask for.")},
    )


class TrackLookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "KIP-2026-7K3QFM", "autocapitalize": "characters"}),
    )
