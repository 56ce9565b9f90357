"""Dissemination pages: the publisher's desk, the KIM inbox and the public feed.

Thin views: form → service → redirect. Bulletins are looked up through scoped selectors, so a
bulletin outside the viewer's scope is simply not found (404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts import authz
from sikim.dissemination import selectors, views_public
from sikim.dissemination.forms import (
    BulletinForm,
    CorrectionForm,
    DisseminationSettingForm,
    PublishForm,
    RedisseminateForm,
)
from sikim.dissemination.models import Bulletin, DeliveryStatus, KimDisseminationSetting
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.selectors_reach import fanout_live, inbox_reach
from sikim.dissemination.services.bulletins import (
    Publisher,
    bulletin_correct,
    bulletin_create,
    bulletin_publish,
    bulletin_update,
)
from sikim.dissemination.services.inbox import kim_dissemination_setting_set, kim_inbox_redisseminate
from sikim.kim.forms_manage import apply_service_errors
from sikim.kim.models import Kim, PembinaOffice


def _publisher_from_query(request: HttpRequest) -> Publisher:
    kind, _sep, pk = request.GET.get("publisher", "").partition(":")
    if not pk.isdigit():
        raise Http404
    publisher: Publisher
    if kind == "office":
        publisher = get_object_or_404(PembinaOffice, pk=int(pk))
    elif kind == "kim":
        publisher = get_object_or_404(Kim, pk=int(pk))
    else:
        raise Http404
    if not authz.can(request.user, DisseminationAction.PUBLISH, publisher):
        raise Http404
    return publisher


@login_required
@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.bulletins_for_user(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "dissemination/manage_list.html",
        {
            "page": page,
            "publishers": selectors.publishers_for(request.user),
            # A ketua may see a bulletin's reach but not a region's: only those with a region grant.
            "can_see_region_reach": authz.granted_region_codes(request.user, DisseminationAction.VIEW_REACH) != [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_new(request: HttpRequest) -> HttpResponse:
    publisher = _publisher_from_query(request)
    form = BulletinForm(request.POST or None, request.FILES or None, kims=selectors.target_kims_for(publisher))
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = bulletin_create(actor=request.user, publisher=publisher, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("A target lies outside the area you publish for."))
        else:
            messages.success(request, _("Draft saved. Check the audience, then publish."))
            return redirect("dissemination:manage_detail", pk=bulletin.pk)
    return render(request, "dissemination/manage_form.html", {"form": form, "publisher": publisher})


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    if not bulletin.is_editable:
        messages.error(request, _("A published bulletin cannot be edited; publish a correction instead."))
        return redirect("dissemination:manage_detail", pk=bulletin.pk)
    targets = list(bulletin.targets.all())
    initial = {
        "title": bulletin.title,
        "body_markdown": bulletin.body_markdown,
        "category": bulletin.category,
        "priority": bulletin.priority,
        "valid_from": bulletin.valid_from,
        "valid_until": bulletin.valid_until,
        "regions": ", ".join(t.region_id for t in targets if t.region_id),
        "kims": [t.kim_id for t in targets if t.kim_id],
        "segment_sectors": bulletin.segment_sectors,
        "segment_genders": bulletin.segment_genders,
        "segment_age_groups": bulletin.segment_age_groups,
        "segment_occupations": ", ".join(bulletin.segment_occupations),
    }
    form = BulletinForm(
        request.POST or None, request.FILES or None, initial=initial, kims=selectors.target_kims_for(bulletin.publisher)
    )
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = form.service_kwargs()
            kwargs["groups"] = [t.group for t in targets if t.group_id]
            bulletin_update(actor=request.user, bulletin=bulletin, **kwargs)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("A target lies outside the area you publish for."))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("dissemination:manage_detail", pk=bulletin.pk)
    return render(
        request, "dissemination/manage_form.html", {"form": form, "publisher": bulletin.publisher, "bulletin": bulletin}
    )


def _progress_context(bulletin: Bulletin) -> dict[str, object]:
    """What the live progress block shows (a few aggregate queries; polled every 2 seconds)."""
    progress = fanout_live(bulletin)
    return {
        "bulletin": bulletin,
        "progress": progress,
        "status_rows": [(value, label, progress["statuses"][value]) for value, label in DeliveryStatus.choices],
        "reach": selectors.reach_for(bulletin),
        "inbox_counts": selectors.inbox_counts(bulletin),
        "statuses": DeliveryStatus.choices,
    }


def _detail_context(bulletin: Bulletin) -> dict[str, object]:
    context: dict[str, object] = {
        "bulletin": bulletin,
        "targets": bulletin.targets.select_related("region", "kim", "group"),
        "preview": selectors.audience_preview(bulletin) if bulletin.is_editable else None,
    }
    if not bulletin.is_editable:
        context |= _progress_context(bulletin)
    return context


@login_required
@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    context = _detail_context(bulletin) | {"publish_form": PublishForm(), "correction_form": CorrectionForm()}
    return render(request, "dissemination/manage_detail.html", context)


@login_required
@require_GET
def bulletin_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live fan-out progress and reach, polled by htmx while the fan-out runs; once it is done
    the answer carries no trigger, so the polling stops."""
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    return render(request, "dissemination/_progress.html", _progress_context(bulletin))


@login_required
@require_POST
def bulletin_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            bulletin_publish(actor=request.user, bulletin=bulletin, publish_at=form.cleaned_data["publish_at"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            messages.error(request, _("A target lies outside the area you publish for."))
        else:
            messages.success(request, _("Bulletin published."))
    else:
        _form_errors_to_messages(request, form)
    return redirect("dissemination:manage_detail", pk=bulletin.pk)


def _form_errors_to_messages(request: HttpRequest, form: forms.Form) -> None:
    """The action forms live on another page: their errors travel as messages after the redirect."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@login_required
@require_POST
def bulletin_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A correction needs a title and a body."))
        return redirect("dissemination:manage_detail", pk=bulletin.pk)
    try:
        correction = bulletin_correct(actor=request.user, bulletin=bulletin, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dissemination:manage_detail", pk=bulletin.pk)
    messages.success(request, _("Correction published to the same audience."))
    return redirect("dissemination:manage_detail", pk=correction.pk)


@login_required
@require_http_methods(["GET", "POST"])
def kim_inbox(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.inbox_kim_for(request.user, slug)
    setting = KimDisseminationSetting.objects.filter(kim=kim).first()
    setting_form = DisseminationSettingForm(
        request.POST or None,
        initial={
            "mode": setting.mode if setting else "approval",
            "default_note": setting.default_note if setting else "",
        },
    )
    if request.method == "POST" and setting_form.is_valid():
        kim_dissemination_setting_set(actor=request.user, kim=kim, **setting_form.cleaned_data)
        messages.success(request, _("Setting saved."))
        return redirect("dissemination:inbox", slug=kim.slug)
    page = Paginator(selectors.inbox_for_kim(kim), 25).get_page(request.GET.get("page"))
    items = list(page)
    reach = inbox_reach(kim, [item.bulletin_id for item in items])
    rows = [(item, reach[item.bulletin_id]) for item in items]
    context = {
        "kim": kim,
        "page": page,
        "rows": rows,
        "member_count": kim.members.filter(is_active=True).count(),
        "form": RedisseminateForm(),
        "setting_form": setting_form,
    }
    return render(request, "dissemination/inbox.html", context)


@login_required
@require_POST
def kim_inbox_redisseminate_view(request: HttpRequest, slug: str, item_pk: int) -> HttpResponse:
    kim = selectors.inbox_kim_for(request.user, slug)
    item = get_object_or_404(selectors.inbox_for_kim(kim), pk=item_pk)
    form = RedisseminateForm(request.POST)
    if form.is_valid():
        try:
            kim_inbox_redisseminate(actor=request.user, item=item, local_note=form.cleaned_data["local_note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Sent on to the members of %(kim)s.") % {"kim": kim.name})
    else:
        _form_errors_to_messages(request, form)
    return redirect("dissemination:inbox", slug=kim.slug)


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The public web feed of published bulletins (see views_public)."""
    return views_public.feed_page(request)


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return views_public.public_detail(request, pk)
