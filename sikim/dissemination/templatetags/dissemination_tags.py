"""The bulletin feed box and the feed <link>s, for pages of other apps (home, region, KIM).

`{% bulletin_feed_box %}`, `{% bulletin_feed_box region=region %}`, `{% bulletin_feed_box kim=kim %}`
show the latest bulletins (one query); `{% bulletin_feed_links ... %}` goes in the page's <head>.
The dependency stays in the template layer, so core, wilayah and kim do not import dissemination.
"""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sikim.dissemination import selectors_public
from sikim.dissemination.feeds import feed_url
from sikim.kim.models import Kim
from sikim.wilayah.models import Region

register = template.Library()


def _scope(kim: Kim | None, region: Region | None) -> selectors_public.FeedScope:
    if kim is not None:
        return selectors_public.FeedScope("kim", kim.slug, kim.name, kim=kim)
    if region is not None:
        return selectors_public.FeedScope("region", region.code, region.name, region=region)
    return selectors_public.FeedScope("all")


@register.inclusion_tag("dissemination/_feed_box.html")
def bulletin_feed_box(kim: Kim | None = None, region: Region | None = None, heading_level: int = 2) -> dict[str, Any]:
    scope = _scope(kim, region)
    see_all = reverse("dissemination:feed")
    if kim is not None:
        see_all += "?" + urlencode({"kim": kim.slug})
    elif region is not None:
        see_all += "?" + urlencode({"wilayah": region.code})
    return selectors_public.feed_box(scope.bulletins()) | {
        "heading_level": heading_level,
        "see_all_url": see_all,
        "rss_url": feed_url(scope, "rss"),
    }


@register.simple_tag
def bulletin_feed_links(kim: Kim | None = None, region: Region | None = None) -> SafeString:
    scope = _scope(kim, region)
    title = _("Bulletins: %(name)s") % {"name": scope.name} if scope.name else _("SIKIM bulletins")
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{} (RSS)" href="{}">\n'
        '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">',
        title,
        feed_url(scope, "rss"),
        title,
        feed_url(scope, "atom"),
    )
