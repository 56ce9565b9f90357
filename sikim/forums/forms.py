"""Forms of the Forum KIM pages. They tidy input; the services decide what is allowed."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sikim.forums.models import ForumLevel
from sikim.wilayah.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ForumFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *ForumLevel.choices])
    wilayah = forms.RegexField(
        label=_("Region code"),
        required=False,
        max_length=13,
        regex=r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$",
        error_messages={"invalid": _("A region code looks like 63 or 63.72 or 63.72.05.")},
        widget=forms.TextInput(attrs={"placeholder": "63.72", "inputmode": "decimal"}),
        help_text=_("Forums of this region, the regions inside it and above it."),
    )


class ForumDetailsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    about = forms.CharField(label=_("About"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    formed_on = forms.DateField(label=_("Formed on"), required=False, widget=DATE_WIDGET)
    formation_place = forms.CharField(label=_("Formation place"), required=False, max_length=300)
    formation_notes = forms.CharField(
        label=_("Formation record"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    decree_number = forms.CharField(label=_("Decree (SK) number"), required=False, max_length=100)


class ForumCreateForm(ForumDetailsForm):
    level = forms.ChoiceField(label=_("Level"), choices=ForumLevel.choices)
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("The kecamatan, kabupaten/kota or province the forum covers (empty for a national forum)."),
    )

    field_order = [
        "name",
        "level",
        "region",
        "about",
        "formed_on",
        "formation_place",
        "formation_notes",
        "decree_number",
    ]

    def __init__(self, *args: Any, regions: list[Region], national: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("— national (no region) —") if national else "—")]
        choices += [(r.code, f"{r.code} {r.get_kind_display()} {r.name}") for r in regions]
        cast(forms.ChoiceField, self.fields["region"]).choices = choices
        if not national:
            cast(forms.ChoiceField, self.fields["level"]).choices = [
                c for c in ForumLevel.choices if c[0] != ForumLevel.NASIONAL
            ]


class AddKimForm(forms.Form):
    kim = forms.ChoiceField(label=_("KIM"))
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, kims: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kim"]).choices = [("", "—")] + [
            (k.slug, f"{k.name} — {k.region.name}") for k in kims
        ]


class BoardSeatForm(forms.Form):
    person_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    from_kim = forms.ChoiceField(label=_("From KIM"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, kim_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["from_kim"]).choices = [("", "—"), *(kim_choices or [])]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(name) for name in ("person_name", "position", "from_kim", "starts_on", "ends_on"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_blank():
            return cleaned
        if not cleaned.get("person_name"):
            self.add_error("person_name", _("Give the person's name."))
        if not cleaned.get("position"):
            self.add_error("position", _("Give the position."))
        if not cleaned.get("starts_on"):
            self.add_error("starts_on", _("Give the start date."))
        return cleaned


BoardSeatFormSet = forms.formset_factory(BoardSeatForm, extra=3, max_num=50, absolute_max=60, validate_max=True)
