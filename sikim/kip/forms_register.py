"""Forms of the Daftar Informasi Publik pages: the public search and the PPID's entry form.

They validate and tidy input only; the rules (exempted entries need a ground and a reason and
carry no document, the PDF is checked by its content and size, the summary is redacted) live
in `sikim.kip.services.register.register_entry_save`.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sikim.kip.models import RegisterCategory, RegisterEntry
from sikim.kip.selectors.register import SEARCH_MAX_LENGTH


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the registers"), required=False, max_length=SEARCH_MAX_LENGTH)
    region = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *RegisterCategory.choices]
    )

    def __init__(self, *args: Any, regions: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", _("All regions")), *regions]

    def filters(self) -> dict[str, str]:
        """The filters that were understood (an invalid one is left out, never an error page)."""
        if not self.is_bound:
            return {"q": "", "region": "", "category": ""}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: str(data.get(name) or "").strip() for name in ("q", "region", "category")}


class BodyRegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Search this register"), required=False, max_length=SEARCH_MAX_LENGTH)


class RegisterEntryForm(forms.ModelForm):
    document = forms.FileField(
        label=_("Document (PDF, at most 10 MB)"),
        required=False,
        help_text=_("Leave empty to keep the current document. Exempted information has no document."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = RegisterEntry
        fields = ["category", "title", "summary", "year", "exemption_ground", "exemption_reason", "is_published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "exemption_reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "summary": _("Identity numbers (NIK), phone numbers and emails are masked before the entry is published."),
            "exemption_ground": _("Only for exempted information (dikecualikan)."),
            "exemption_reason": _("Only for exempted information: why disclosing it would cause harm."),
            "is_published": _("Shown in the public register."),
        }

    def _post_clean(self) -> None:
        # The model's checks run in the service, after it has tidied the entry (an exemption
        # ground left on a published entry is dropped there, not refused here).
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)
