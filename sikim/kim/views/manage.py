"""Pages for proposing a KIM and for managing one (the pembina's worklist, a KIM's desk).

Thin views: decorators → form → service → redirect. Every KIM is looked up through
`kim_for_manage`, so a KIM outside the viewer's scope is simply not found (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts import authz
from sikim.kim.forms_manage import (
    FormationForm,
    KimDocumentForm,
    KimProfileForm,
    KimProposeForm,
    KimStatusForm,
    apply_service_errors,
)
from sikim.kim.models import Formation, Kim, KimStatus
from sikim.kim.permissions import KimAction
from sikim.kim.selectors.registry import (
    facilitator_choices,
    kim_document_for_manage,
    kim_documents_for_manage,
    kim_for_manage,
    kim_status_history,
    kim_village_siblings,
    kim_worklist,
)
from sikim.kim.services.documents import kim_document_delete, kim_document_set_public, kim_document_upload
from sikim.kim.services.lifecycle import (
    kim_change_status,
    kim_propose,
    kim_record_formation,
    kim_register,
    next_statuses,
)
from sikim.kim.services.profile import kim_update_profile

# --- Proposing a KIM (public) -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """Anyone may propose a KIM for their village; the pembina of the region takes it from there."""
    form = KimProposeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_bot:
            # Answer a bot as if it had worked, so it learns nothing; nothing is saved.
            return redirect("kim:propose_thanks")
        if form.is_valid():
            data = form.cleaned_data
            try:
                kim_propose(
                    actor=request.user,
                    name=data["name"],
                    village=data["village"],
                    about=data["about"],
                    sectors=data["sectors"],
                    run_by_group=data["run_by_group"],
                    proposer_name=data["proposer_name"],
                    proposer_contact=data["proposer_contact"],
                )
            except ValidationError as error:
                apply_service_errors(form, error, {"region": "village"})
            else:
                return redirect("kim:propose_thanks")
    return render(request, "kim/manage/propose.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def propose_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "kim/manage/propose_thanks.html")


# --- The worklist and a KIM's desk -------------------------------------------------------------


@require_GET
@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    """The KIMs the viewer manages, by lifecycle step: what waits for formation, for registration…"""
    authz.require(request.user, KimAction.EDIT_PROFILE)
    return render(request, "kim/manage/worklist.html", {"worklist": kim_worklist(request.user)})


def _detail_context(request: HttpRequest, kim: Kim, **extra: object) -> dict[str, object]:
    user = request.user
    statuses = next_statuses(kim)
    can_change_status = authz.can(user, KimAction.CHANGE_STATUS, kim) and bool(statuses)
    context: dict[str, object] = {
        "kim": kim,
        "formation": Formation.objects.filter(kim=kim).prefetch_related("facilitators", "photos").first(),
        "history": kim_status_history(kim),
        "documents": kim_documents_for_manage(kim),
        "siblings": kim_village_siblings(kim) if kim.has_village_sibling else [],
        "can_record_formation": kim.status == KimStatus.DIUSULKAN and authz.can(user, KimAction.RECORD_FORMATION, kim),
        "can_register": kim.status == KimStatus.DIBENTUK and authz.can(user, KimAction.REGISTER, kim),
        "can_edit_profile": kim.status != KimStatus.DIBUBARKAN and authz.can(user, KimAction.EDIT_PROFILE, kim),
        "can_manage_documents": authz.can(user, KimAction.MANAGE_DOCUMENTS, kim),
        "can_see_proposer": authz.can(user, KimAction.RECORD_FORMATION, kim),
        "status_form": KimStatusForm(statuses=statuses) if can_change_status else None,
    }
    context.update(extra)
    return context


@require_GET
@login_required
def manage_detail(request: HttpRequest, slug: str) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    return render(request, "kim/manage/detail.html", _detail_context(request, kim))


@require_http_methods(["GET", "POST"])
@login_required
def manage_formation(request: HttpRequest, slug: str) -> HttpResponse:
    """Record the formation meeting and upload the decree (SK): the KIM becomes "formed"."""
    kim = kim_for_manage(request.user, slug)
    authz.require(request.user, KimAction.RECORD_FORMATION, kim)
    if kim.status != KimStatus.DIUSULKAN:
        messages.info(request, _("The formation of this KIM is already recorded."))
        return redirect("kim:manage_detail", slug=kim.slug)
    choices = [(user.pk, user.full_name) for user in facilitator_choices(kim)]
    form = FormationForm(request.POST or None, request.FILES or None, facilitator_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kim_record_formation(
                actor=request.user,
                kim=kim,
                held_on=data["held_on"],
                place=data["place"],
                facilitators=data.get("facilitators", []),
                facilitator_names=data["facilitator_names"],
                attendees_count=data["attendees_count"],
                minutes=data["minutes"],
                decree_number=data["decree_number"],
                decree_date=data["decree_date"],
                decree_issued_by=data["decree_issued_by"],
                decree_pdf=data["decree_pdf"],
                statutes_pdf=data.get("statutes_pdf"),
                photos=data.get("photos") or [],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The formation is recorded. The KIM is now formed."))
            return redirect("kim:manage_detail", slug=kim.slug)
    status = 400 if form.errors else 200
    return render(request, "kim/manage/formation_form.html", {"kim": kim, "form": form}, status=status)


@require_POST
@login_required
def manage_register(request: HttpRequest, slug: str) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    try:
        kim_register(actor=request.user, kim=kim)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(kim)s is registered with number %(number)s.") % {"kim": kim.name, "number": kim.registration_number},
        )
    return redirect("kim:manage_detail", slug=kim.slug)


@require_POST
@login_required
def manage_status(request: HttpRequest, slug: str) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    authz.require(request.user, KimAction.CHANGE_STATUS, kim)
    form = KimStatusForm(request.POST, statuses=next_statuses(kim))
    if form.is_valid():
        try:
            kim_change_status(
                actor=request.user, kim=kim, to_status=form.cleaned_data["to_status"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The status is now: %(status)s.") % {"status": kim.get_status_display()})
            return redirect("kim:manage_detail", slug=kim.slug)
    return render(request, "kim/manage/detail.html", _detail_context(request, kim, status_form=form), status=400)


@require_http_methods(["GET", "POST"])
@login_required
def manage_profile(request: HttpRequest, slug: str) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    authz.require(request.user, KimAction.EDIT_PROFILE, kim)
    if kim.status == KimStatus.DIBUBARKAN:
        messages.error(request, _("This KIM is dissolved; its profile can no longer be changed."))
        return redirect("kim:manage_detail", slug=kim.slug)
    form = KimProfileForm(request.POST or None, request.FILES or None, initial=KimProfileForm.initial_for(kim))
    if request.method == "POST" and form.is_valid():
        try:
            kim_update_profile(actor=request.user, kim=kim, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error, {"social_links": "social_facebook"})
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("kim:manage_detail", slug=kim.slug)
    status = 400 if form.errors else 200
    return render(request, "kim/manage/profile_form.html", {"kim": kim, "form": form}, status=status)


# --- Documents ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def manage_documents(request: HttpRequest, slug: str) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    authz.require(request.user, KimAction.MANAGE_DOCUMENTS, kim)
    form = KimDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kim_document_upload(
                actor=request.user,
                kim=kim,
                kind=data["kind"],
                title=data["title"],
                file=data["file"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("kim:manage_documents", slug=kim.slug)
    context = {"kim": kim, "form": form, "documents": kim_documents_for_manage(kim)}
    return render(request, "kim/manage/documents.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def manage_document_download(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    """A KIM's document for those who manage it (internal ones included)."""
    kim = kim_for_manage(request.user, slug)
    document = kim.documents.filter(pk=document_id).first()
    if document is None or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=f"{kim.slug}-{document.kind}.pdf"
    )


@require_POST
@login_required
def manage_document_visibility(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    document = kim_document_for_manage(request.user, kim, document_id)
    is_public = request.POST.get("is_public") == "1"
    kim_document_set_public(actor=request.user, document=document, is_public=is_public)
    if is_public:
        messages.success(request, _("“%(title)s” is now public.") % {"title": document.title})
    else:
        messages.success(request, _("“%(title)s” is now internal.") % {"title": document.title})
    return redirect("kim:manage_documents", slug=kim.slug)


@require_POST
@login_required
def manage_document_delete(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    kim = kim_for_manage(request.user, slug)
    document = kim_document_for_manage(request.user, kim, document_id)
    title = document.title
    kim_document_delete(actor=request.user, document=document)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
    return redirect("kim:manage_documents", slug=kim.slug)
