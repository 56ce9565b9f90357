from django import forms
from django.utils.translation import gettext_lazy as _

from sikim.dissemination.models import OFFLINE_MAX_PEOPLE, OfflinePlaceType


class OfflineReportForm(forms.Form):
    place_type = forms.ChoiceField(label=_("Kind of place"), choices=OfflinePlaceType.choices)
    place_name = forms.CharField(label=_("Place"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    people_reached = forms.IntegerField(label=_("People reached"), min_value=1, max_value=OFFLINE_MAX_PEOPLE)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo proof (location data is removed)"), required=False)
