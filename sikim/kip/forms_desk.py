"""Forms of the PPID desk and the atasan PPID page. They check and tidy input; the services decide.

The law's rules (an extension only once, a refusal only on a Pasal 17 ground, documents only
PDF) live in `sikim.kip.services`; these forms only turn the posted text into values, so a
service's refusal can be shown on the very field it is about, with everything typed kept.
"""

from datetime import date, datetime, time
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikim.core.workdays import JAKARTA
from sikim.kim.forms_manage import MultipleFileField, MultipleFileInput
from sikim.kip.models import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    DisputeOutcome,
    ExemptionGround,
    Outcome,
    RequestState,
)
from sikim.kip.selectors.deadlines import TimeState

# A little over the services' limits, so an over-long text reaches the service and its message.
TEXT_INPUT_LIMIT: Final = TEXT_MAX_LENGTH + 1000
REASON_INPUT_LIMIT: Final = REASON_MAX_LENGTH + 1000
TIME_FILTERS: Final = [TimeState.WAITING, TimeState.OVERDUE, TimeState.LONG_OVERDUE]


def _textarea(limit: int, rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit})


def moment_of(day: date | None, now: datetime) -> datetime:
    """A date typed on the desk as a moment: the end of that day in WIB, never later than now."""
    if day is None:
        return now
    return min(datetime.combine(day, time(23, 59, 59), tzinfo=JAKARTA), now)


class DeskFilterForm(forms.Form):
    """The desk's filters: the stored state and the state the time gives (waiting, overdue…)."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *RequestState.choices])
    waktu = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), *[(t.value, t.label) for t in TIME_FILTERS]],
    )


class RegisterForm(forms.Form):
    """Registering a submitted request: no fields, the number and deadline are computed."""


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=REASON_INPUT_LIMIT,
        widget=_textarea(REASON_MAX_LENGTH),
        help_text=_(
            "Written to the requester (Pasal 22 ayat (8) UU 14/2008). The deadline moves 7 working days, once."
        ),
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    exemption_ground = forms.ChoiceField(
        label=_("Exemption ground (Pasal 17)"),
        required=False,
        choices=[("", _("None (not withheld)")), *ExemptionGround.choices],
        help_text=_("Only for a refusal or a partial grant."),
    )
    consequence_test = forms.CharField(
        label=_("Consequence test"),
        required=False,
        max_length=TEXT_INPUT_LIMIT,
        widget=_textarea(TEXT_MAX_LENGTH),
        help_text=_(
            "Only for a refusal or a partial grant: what harm disclosure would do, and why withholding serves "
            "the public interest better (Pasal 19)."
        ),
    )
    response_text = forms.CharField(
        label=_("Response to the requester"),
        required=False,
        max_length=TEXT_INPUT_LIMIT,
        widget=_textarea(TEXT_MAX_LENGTH, rows=6),
    )
    cost = forms.IntegerField(
        label=_("Cost of copies (Rp)"),
        min_value=0,
        max_value=1_000_000_000,
        initial=0,
        required=False,
    )
    documents = MultipleFileField(
        label=_("Response documents (PDF)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("PDF only, at most 10 MB each and 10 documents."),
    )

    def clean_cost(self) -> int:
        return self.cleaned_data.get("cost") or 0


class PublishForm(forms.Form):
    title = forms.CharField(
        label=_("Title in the register"),
        max_length=200,
        help_text=_("The response is published as information available at any time, with personal data masked."),
    )


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The atasan PPID's answer"),
        max_length=TEXT_INPUT_LIMIT,
        widget=_textarea(TEXT_MAX_LENGTH, rows=5),
        help_text=_("Sent to the requester; due within 30 working days of the objection (Pasal 36 ayat (2))."),
    )


class _PastDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:
        day: date | None = super().clean(value)
        if day is not None and day > timezone.localdate(timezone.now(), JAKARTA):
            raise ValidationError(_("The date cannot be in the future."))
        return day


class DisputeRecordForm(forms.Form):
    commission = forms.CharField(
        label=_("Information Commission"),
        max_length=150,
        help_text=_("e.g. Komisi Informasi Provinsi Bali"),
    )
    reference_number = forms.CharField(label=_("Register number at the Commission"), max_length=80, required=False)
    filed_on = _PastDateField(label=_("Filed on"), help_text=_("Empty: today."))


class DisputeOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in DisputeOutcome.choices if c[0] != DisputeOutcome.PENDING]
    )
    reference_number = forms.CharField(label=_("Register number at the Commission"), max_length=80, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=TEXT_INPUT_LIMIT, widget=_textarea(TEXT_MAX_LENGTH, rows=3)
    )
    outcome_on = _PastDateField(label=_("Outcome on"), help_text=_("Empty: today."))
