"""RSS 2.0 and Atom feeds of published bulletins: all of them, per KIM, per region, per category.

One class serves every scope; the URL says which (`scope` is given in urls_feeds). An unknown
KIM, region or category is a 404. Items carry the sanitised body HTML, the category, and a
"[CORRECTION]" / "[EMERGENCY]" / "[URGENT]" marker in front of the title.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sikim.dissemination.models import Bulletin, Priority
from sikim.dissemination.selectors_public import FEED_ITEMS, FeedScope, feed_scope

FEED_URL_NAMES = {
    ("all", "rss"): "dissemination:rss",
    ("all", "atom"): "dissemination:atom",
    ("kim", "rss"): "dissemination:kim_rss",
    ("kim", "atom"): "dissemination:kim_atom",
    ("region", "rss"): "dissemination:region_rss",
    ("region", "atom"): "dissemination:region_atom",
    ("category", "rss"): "dissemination:category_rss",
    ("category", "atom"): "dissemination:category_atom",
}


def feed_url(scope: FeedScope, kind: str = "rss") -> str:
    name = FEED_URL_NAMES[(scope.kind, kind)]
    return reverse(name, args=[scope.key] if scope.kind != "all" else [])


def title_marker(bulletin: Bulletin) -> str:
    """ "[CORRECTION] [EMERGENCY] " and the like, for places that show a title without styling."""
    markers = []
    if bulletin.corrects_id:
        markers.append(_("[CORRECTION]"))
    if bulletin.priority == Priority.EMERGENCY:
        markers.append(_("[EMERGENCY]"))
    elif bulletin.priority == Priority.URGENT:
        markers.append(_("[URGENT]"))
    return "".join(f"{marker} " for marker in markers)


if TYPE_CHECKING:
    _Feed = Feed[Bulletin, FeedScope]
else:
    _Feed = Feed  # generic for the type checker only


class BulletinFeed(_Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    kind = "rss"

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedScope:
        return feed_scope(self.scope, str(kwargs.get("key", "")))

    def title(self, obj: FeedScope) -> str:
        if obj.kind == "all":
            return _("SIKIM bulletins")
        return _("SIKIM bulletins: %(name)s") % {"name": obj.name}

    def description(self, obj: FeedScope) -> str:
        if obj.kind == "kim":
            return _("Bulletins published by %(name)s or sent to it.") % {"name": obj.name}
        if obj.kind == "region":
            return _("Bulletins published in %(name)s or aimed at it.") % {"name": obj.name}
        if obj.kind == "category":
            return _("Bulletins in the category %(name)s.") % {"name": obj.name}
        return _("Bulletins published through SIKIM, newest first.")

    def link(self, obj: FeedScope) -> str:
        if obj.kim is not None:
            return reverse("kim:profile", args=[obj.kim.slug])
        if obj.region is not None:
            return reverse("wilayah:region", args=[obj.region.code])
        feed_page = reverse("dissemination:feed")
        return f"{feed_page}?{urlencode({'kategori': obj.key})}" if obj.kind == "category" else feed_page

    def feed_url(self, obj: FeedScope) -> str:
        return feed_url(obj, self.kind)

    def items(self, obj: FeedScope) -> list[Bulletin]:
        return list(obj.bulletins()[:FEED_ITEMS])

    def item_title(self, item: Bulletin) -> str:
        return f"{title_marker(item)}{item.title}"

    def item_description(self, item: Bulletin) -> str:
        return item.body_html  # sanitised when the bulletin was written (services.bulletins.render_markdown)

    def item_link(self, item: Bulletin) -> str:
        return reverse("dissemination:public_detail", args=[item.pk])

    def item_pubdate(self, item: Bulletin) -> Any:
        return item.published_at

    def item_updateddate(self, item: Bulletin) -> Any:
        return item.published_at

    def item_categories(self, item: Bulletin) -> tuple[str, ...]:
        return (str(item.get_category_display()),)

    def item_author_name(self, item: Bulletin) -> str:
        return str(item.publisher)


class BulletinAtomFeed(BulletinFeed):
    feed_type = Atom1Feed
    kind = "atom"

    def subtitle(self, obj: FeedScope) -> str:
        return self.description(obj)
