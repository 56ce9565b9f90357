"""The public side of dissemination: the bulletin feed page, one bulletin's page and its printout.

No login: what is shown is decided by the bulletin (published, still valid), never by the reader.
`views.feed` and `views.public_detail` hand over to the functions here.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_safe

from sikim.dissemination import printing, selectors, selectors_public
from sikim.dissemination.feeds import feed_url
from sikim.dissemination.forms_public import FeedFilterForm
from sikim.dissemination.models import BulletinStatus
from sikim.kim.models import Kim
from sikim.kim.selectors.directory import public_kim_by_slug


def _kim_from_query(request: HttpRequest) -> Kim | None:
    slug = request.GET.get("kim", "")
    if not slug:
        return None
    try:
        return public_kim_by_slug(slug)
    except Http404:  # a stale or mistyped link: show every bulletin rather than an error
        return None


@require_GET
def feed_page(request: HttpRequest) -> HttpResponse:
    """/diseminasi/: every public bulletin, newest first, filtered by category and region."""
    form = FeedFilterForm(request.GET)
    category, region = form.filters()
    kim = _kim_from_query(request)
    if kim is not None:  # "see all" from a KIM's page: what this village was told
        bulletins = selectors_public.public_bulletins_for_kim(kim, category=category)
        scope = selectors_public.feed_scope("kim", kim.slug)
    elif region is not None:
        bulletins = selectors_public.public_bulletins_for_region(region.code, category=category)
        scope = selectors_public.feed_scope("region", region.code)
    else:
        bulletins = selectors_public.public_bulletins(category=category)
        scope = selectors_public.feed_scope("category", category) if category else selectors_public.FeedScope("all")
    page = Paginator(bulletins, selectors_public.FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {
        key: value
        for key, value in (
            ("kategori", category),
            ("wilayah", region.code if region and not kim else ""),
            ("kim", kim.slug if kim else ""),
        )
        if value
    }
    return render(
        request,
        "dissemination/feed.html",
        {
            "page": page,
            "form": form,
            "region": region,
            "kim": kim,
            "filter_query": urlencode(filters),
            "rss_url": feed_url(scope, "rss"),
            "atom_url": feed_url(scope, "atom"),
        },
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/diseminasi/buletin/<pk>/: a published bulletin, with its corrections and a printable version."""
    bulletin = get_object_or_404(selectors_public.public_bulletin_pages(), pk=pk)
    corrections = list(bulletin.corrections.filter(status=BulletinStatus.PUBLISHED).order_by("published_at")[:5])
    return render(
        request,
        "dissemination/public_detail.html",
        {
            "bulletin": bulletin,
            "corrections": corrections,
            "expired": bool(bulletin.valid_until and bulletin.valid_until <= timezone.now()),
        },
    )


@require_GET
def print_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """/diseminasi/buletin/<pk>/cetak.pdf: the A4 page for the village notice board."""
    bulletin = get_object_or_404(selectors_public.public_bulletin_pages(), pk=pk)
    pdf = printing.html_to_pdf(printing.bulletin_print_html(bulletin))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="buletin-sikim-{bulletin.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def bulletin_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """/diseminasi/buletin/<pk>/lampiran/ and /gambar/: a bulletin's PDF or picture.

    Public once the bulletin is published; before that only for those who may manage it (the
    draft's files are not public). Uploads were checked by content and re-encoded on the way in.
    """
    bulletin = selectors_public.public_bulletin_pages().filter(pk=pk).first()
    if bulletin is None:
        bulletin = selectors.bulletin_for_manage(request.user, pk)  # Http404 for everybody else
    field = bulletin.attachment if kind == "attachment" else bulletin.image
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = "application/pdf" if kind == "attachment" else "image/jpeg"
    name = f"buletin-{bulletin.pk}.pdf" if kind == "attachment" else f"buletin-{bulletin.pk}.jpg"
    response = FileResponse(handle, content_type=content_type, filename=name)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = (
        "private, max-age=300" if bulletin.status != BulletinStatus.PUBLISHED else "public, max-age=3600"
    )
    return response
