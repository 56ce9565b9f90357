from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikim.dissemination.models import OFFLINE_MAX_PEOPLE, BulletinCategory, OfflinePlaceType
from sikim.dissemination.selectors_reach import FIRST_DAY, LAST_DAY, default_period


class OfflineReportForm(forms.Form):
    place_type = forms.ChoiceField(label=_("Kind of place"), choices=OfflinePlaceType.choices)
    place_name = forms.CharField(label=_("Place"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    people_reached = forms.IntegerField(label=_("People reached"), min_value=1, max_value=OFFLINE_MAX_PEOPLE)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo proof (location data is removed)"), required=False)


class RegionReachForm(forms.Form):
    """The region dashboard's filters (a GET form). Empty fields mean the defaults: the viewer's
    own region and the last 30 days."""

    region = forms.RegexField(
        label=_("Region"), regex=r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$", required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *BulletinCategory.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default_from, default_to = default_period()
        date_from = cleaned.get("date_from") or default_from
        date_to = cleaned.get("date_to") or default_to
        for name, value in (("date_from", date_from), ("date_to", date_to)):
            if not FIRST_DAY <= value <= LAST_DAY:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        if date_from > date_to:
            self.add_error("date_to", _("The end of the period must not be before its start."))
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        return cleaned
