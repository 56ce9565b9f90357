"""Forms of the aspiration pages. They tidy input only; the services check and decide."""

from typing import Any, Final, cast

from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sikim.aspirations.models import (
    CORRECTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PUBLIC_STATES,
    REPORT_NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AbuseReason,
    AspirationState,
    Category,
    RejectReason,
    Visibility,
)
from sikim.aspirations.selectors.pages import ListFilters, offices_for_list_filter, region_by_code
from sikim.aspirations.services.moderation import HIDDEN_REASON_MAX_LENGTH
from sikim.aspirations.services.submission import MAX_PHOTOS
from sikim.kim.selectors.directory import is_region_code, provinces, region_children
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import Region

MAX_FORM_PHOTOS: Final = MAX_PHOTOS  # the service's limit: one constant
HONEYPOT_FIELD: Final = "homepage"
# Longer than any valid text, so the service (not the browser) explains what is too long.
TEXT_INPUT_LIMIT: Final = 50_000
REGION_FIELDS: Final = ("provinsi", "kabupaten", "kecamatan", "desa")

VISIBILITY_HELP: Final[dict[str, Any]] = {
    Visibility.PUBLIC: _("Everyone can read your aspiration and see your name."),
    Visibility.PUBLIC_ANONYMOUS: _(
        "Everyone can read your aspiration, but your name is hidden. The office and the Dinas Kominfo see it."
    ),
    Visibility.CONFIDENTIAL: _(
        "Not shown in public. Only the pengurus of your KIM know who you are; the office reads your "
        "aspiration without your name."
    ),
}


def tidy_region_data(data: QueryDict) -> QueryDict:
    """Fill the selects from `wilayah=<code>` and drop choices that no longer fit the one above."""
    data = data.copy()
    code = (data.get("wilayah") or "").strip()
    if is_region_code(code):
        parts = code.split(".")
        data["provinsi"] = parts[0]
        data["kabupaten"] = ".".join(parts[:2]) if len(parts) > 1 else ""
        data["kecamatan"] = ".".join(parts[:3]) if len(parts) > 2 else ""
        data["desa"] = code if len(parts) > 3 else ""
    values = [(data.get(name) or "").strip() for name in REGION_FIELDS]
    kept: list[str] = []
    parent = ""
    for depth, value in enumerate(values):
        ok = is_region_code(value) and value.count(".") == depth and (depth == 0 or value.startswith(f"{parent}."))
        if not ok or (depth and not kept[-1]):
            value = ""
        kept.append(value)
        parent = value
    for name, value in zip(REGION_FIELDS, kept, strict=True):
        data[name] = value
    return data


class RegionSelectsMixin:
    """The province → kabupaten/kota → kecamatan → desa/kelurahan selects (htmx narrows them)."""

    fields: dict[str, forms.Field]
    data: Any

    def _region_fields(self, *, any_labels: bool, source: Any = None) -> None:
        data = self.data if source is None else source
        labels = (
            (_("All provinces"), _("All kabupaten/kota"), _("All kecamatan"), _("All desa/kelurahan"))
            if any_labels
            else (_("Choose…"), _("Choose…"), _("Choose…"), _("Choose…"))
        )
        parents = ["", data.get("provinsi", ""), data.get("kabupaten", ""), data.get("kecamatan", "")]
        for depth, name in enumerate(REGION_FIELDS):
            field = cast(forms.ChoiceField, self.fields[name])
            if depth == 0:
                options = provinces()
            elif parents[depth]:
                options = region_children(parents[depth])
            else:
                options = []
            field.choices = [("", labels[depth]), *options]

    def region_code(self) -> str:
        data = self.data
        for name in reversed(REGION_FIELDS):
            value = data.get(name, "")
            if value:
                return str(value)
        return ""


def _region_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False)


class RegionSelectForm(RegionSelectsMixin, forms.Form):
    """Only the region selects: what htmx re-renders when one of them changes."""

    provinsi = _region_field(_("Province"))
    kabupaten = _region_field(_("Kabupaten/kota"))
    kecamatan = _region_field(_("Kecamatan"))
    desa = _region_field(_("Desa/kelurahan"))

    def __init__(self, data: QueryDict, *, any_labels: bool = False) -> None:
        super().__init__(tidy_region_data(data))
        self._region_fields(any_labels=any_labels)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos; the service checks that each one is a real picture."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        if not data:
            return []
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(items) > MAX_FORM_PHOTOS:
            raise forms.ValidationError(_("At most %(max)d photos, please.") % {"max": MAX_FORM_PHOTOS})
        single = super().clean
        return [single(item, initial) for item in items]


class SubmitForm(RegionSelectsMixin, forms.Form):
    """A citizen's aspiration. Contact fields only for someone without an account, or for the
    citizen a KIM pengurus files for."""

    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=TITLE_MAX_LENGTH,
        help_text=_("A few words, e.g. “Damaged road in front of the school”. Empty: the first line of your text."),
    )
    text = forms.CharField(
        label=_("What is the problem, and where exactly?"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX_LENGTH}),
        help_text=_("At most %(max)s characters.") % {"max": "5.000"},
    )
    category = forms.ChoiceField(label=_("Category"))
    photos = PhotosField(label=format_lazy(_("Photos (up to {max})"), max=MAX_FORM_PHOTOS), required=False)
    provinsi = _region_field(_("Province"))
    kabupaten = _region_field(_("Kabupaten/kota"))
    kecamatan = _region_field(_("Kecamatan"))
    desa = _region_field(_("Desa/kelurahan"))
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "-3.4567"}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "114.8123"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it?"), widget=forms.RadioSelect, initial=Visibility.PUBLIC, choices=Visibility.choices
    )
    contact_name = forms.CharField(
        label=_("Your name"), required=False, max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_phone = forms.CharField(
        label=_("Phone or WhatsApp number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0812 3456 7890"}),
    )
    contact_email = forms.CharField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        files: Any = None,
        *,
        ask_contact: bool,
        on_behalf: bool = False,
        village: Region | None = None,
    ) -> None:
        if data is not None:
            source = tidy_region_data(data)
        else:
            source = tidy_region_data(QueryDict(mutable=True))
            if village is not None:
                source = tidy_region_data(QueryDict(f"wilayah={village.code}"))
        initial: dict[str, Any] = {name: source.get(name, "") for name in REGION_FIELDS}
        initial["visibility"] = Visibility.PUBLIC
        super().__init__(source if data is not None else None, files, initial=initial)
        self.region_source = source
        self.on_behalf = on_behalf
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("Choose a category…")), *Category.choices]
        self._region_fields(any_labels=False, source=source)
        if not ask_contact:
            for name in ("contact_name", "contact_phone", "contact_email"):
                del self.fields[name]
        elif on_behalf:
            self.fields["contact_name"].label = _("The citizen's name")
            self.fields["contact_name"].required = True
            self.fields["contact_phone"].label = _("The citizen's phone or WhatsApp number")
            self.fields["contact_email"].label = _("The citizen's email")
        self.visibility_help = [(value, label, VISIBILITY_HELP[value]) for value, label in Visibility.choices]

    def region_code(self) -> str:
        for name in reversed(REGION_FIELDS):
            value = self.region_source.get(name, "")
            if value:
                return str(value)
        return ""

    @property
    def village(self) -> Region | None:
        code = self.region_source.get("desa", "")
        return region_by_code(code) if code else None

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "region": self.region_source.get("desa", ""),
            "category": data["category"],
            "title": data.get("title", ""),
            "text": data["text"],
            "visibility": data["visibility"],
            "latitude": data.get("latitude") or None,
            "longitude": data.get("longitude") or None,
            "photos": data.get("photos") or [],
            "contact_name": data.get("contact_name", ""),
            "contact_phone": data.get("contact_phone", ""),
            "contact_email": data.get("contact_email", ""),
        }


class TrackLookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": "ASP-2026-7K3QFM", "autocapitalize": "characters", "autocomplete": "off"}
        ),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Add a correction or more details"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": CORRECTION_MAX_LENGTH}),
        help_text=_("Your first text stays as you sent it; this is added below it."),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How good was the answer?"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the answer not settle it?"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
    )


class AbuseReportForm(forms.Form):
    """ "Laporkan": what is wrong with a public text."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this text?"), choices=AbuseReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything the moderator should know"),
        required=False,
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPORT_NOTE_MAX_LENGTH}),
    )


class HideForm(forms.Form):
    """A moderator hides a text: the reason stays in the internal timeline."""

    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": HIDDEN_REASON_MAX_LENGTH}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
    )


class VerifyForm(NoteForm):
    pass


class RejectForm(NoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)
    field_order = ["reason", "note"]


class ForwardForm(NoteForm):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=GovernmentOffice.objects.none(),
        required=False,
        empty_label=_("As the routing rules decide"),
    )
    field_order = ["office", "note"]

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            cast(forms.ModelChoiceField, self.fields["office"]).queryset = offices


class FollowUpForm(NoteForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("What is the office doing about it?")
        self.fields["note"].required = True


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Official answer"),
        max_length=TEXT_INPUT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_("Shown to the citizen and in public."),
    )


class NotOurRemitForm(NoteForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("Why is it not this office's remit, and whose may it be?")
        self.fields["note"].required = True


class ListFilterForm(RegionSelectsMixin, forms.Form):
    """The public list's filters (a GET form: works without JavaScript)."""

    provinsi = _region_field(_("Province"))
    kabupaten = _region_field(_("Kabupaten/kota"))
    kecamatan = _region_field(_("Kecamatan"))
    desa = _region_field(_("Desa/kelurahan"))
    kategori = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("State"), required=False)
    instansi = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(tidy_region_data(data))
        self._region_fields(any_labels=True)
        cast(forms.ChoiceField, self.fields["kategori"]).choices = [("", _("All categories")), *Category.choices]
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All states"))] + [
            (state, AspirationState(state).label) for state in PUBLIC_STATES
        ]
        offices = offices_for_list_filter(self.region_code())
        cast(forms.ChoiceField, self.fields["instansi"]).choices = [("", _("All offices"))] + [
            (office.pk, office.display_name) for office in offices
        ]

    def filters(self) -> ListFilters:
        """The valid part of what was asked (a wrong value is left out, never a 500)."""
        self.is_valid()
        cleaned = self.cleaned_data
        return ListFilters(
            region_code=self.region_code(),
            category=cleaned.get("kategori") or "",
            state=cleaned.get("status") or "",
            office_id=cleaned.get("instansi"),
        )

    def query(self, filters: ListFilters) -> str:
        query = QueryDict(mutable=True)
        if filters.region_code:
            query["wilayah"] = filters.region_code
        if filters.category:
            query["kategori"] = filters.category
        if filters.state:
            query["status"] = filters.state
        if filters.office_id is not None:
            query["instansi"] = str(filters.office_id)
        return query.urlencode()
