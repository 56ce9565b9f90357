"""KIM pages. Split by sub-domain so each file stays small: the public directory and
profiles, the pembina's and pengurus' management pages, and the member pages."""

from sikim.kim import urls_manage, urls_members, urls_public

app_name = "kim"
urlpatterns = urls_public.urlpatterns + urls_manage.urlpatterns + urls_members.urlpatterns
