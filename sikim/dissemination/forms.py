"""Forms of the dissemination pages: they only validate shapes; the services decide."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sikim.dissemination.models import BulletinCategory, Priority, RedisseminationMode
from sikim.kim.models import AgeGroup, Gender, Kim, Sector


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body_markdown = forms.CharField(
        label=_("Body"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown is allowed."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=BulletinCategory.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    valid_from = forms.DateTimeField(
        label=_("Valid from"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    regions = forms.CharField(
        label=_("Regions"),
        required=False,
        max_length=2000,
        help_text=_("Kemendagri codes separated by commas, e.g. 63.72 for all of Kota Banjarbaru."),
    )
    kims = forms.ModelMultipleChoiceField(label=_("KIMs"), queryset=Kim.objects.none(), required=False)
    segment_sectors = forms.MultipleChoiceField(
        label=_("Only members of these sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    segment_genders = forms.MultipleChoiceField(
        label=_("Only these genders"), choices=Gender.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    segment_age_groups = forms.MultipleChoiceField(
        label=_("Only these age groups"), choices=AgeGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    segment_occupations = forms.CharField(
        label=_("Only these occupations"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    attachment = forms.FileField(label=_("Attachment (PDF)"), required=False)
    # A plain FileField: the service checks the content and re-encodes the picture (sikim.core.uploads).
    image = forms.FileField(
        label=_("Picture (JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, kims: QuerySet[Kim], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kims"].queryset = kims  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body_markdown": data["body_markdown"],
            "category": data["category"],
            "priority": data["priority"],
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "regions": [code.strip() for code in data["regions"].split(",") if code.strip()],
            "kims": list(data["kims"]),
            "segments": {
                "segment_sectors": data["segment_sectors"],
                "segment_genders": data["segment_genders"],
                "segment_age_groups": data["segment_age_groups"],
                "segment_occupations": [o.strip() for o in data["segment_occupations"].split(",") if o.strip()],
            },
            "attachment": data["attachment"],
            "image": data["image"],
        }


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at (leave empty to publish now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("Corrected title"), max_length=200)
    body_markdown = forms.CharField(
        label=_("Corrected body"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class RedisseminateForm(forms.Form):
    local_note = forms.CharField(
        label=_("Local note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisseminationSettingForm(forms.Form):
    mode = forms.ChoiceField(label=_("Bulletins from above reach our members"), choices=RedisseminationMode.choices)
    default_note = forms.CharField(label=_("Default local note"), required=False, max_length=500)
