"""Page-number pagination for every list in the API."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# A page beyond this would overflow SQLite's OFFSET (a 500) and can never hold anything.
MAX_PAGE = 1_000_000


class BoundedPagination(PageNumberPagination):
    """Ninja's `?page=` and `?page_size=`, with limits so no number can break the query."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)
