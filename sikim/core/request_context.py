"""Where the current request came from, for the audit log.

Services record "from where" a write was made without every service taking the request
as an argument: the middleware stores the client address here for the length of a request.
Outside a request (a task, a management command) the origin says so.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    user_agent: str
    channel: str  # "web", "api", "admin", "task", "command"


_current_origin: ContextVar[RequestOrigin | None] = ContextVar("sikim_request_origin", default=None)


def current_origin() -> RequestOrigin:
    return _current_origin.get() or RequestOrigin(ip_address=None, user_agent="", channel="system")


def set_origin(origin: RequestOrigin | None) -> object:
    return _current_origin.set(origin)


def reset_origin(token: object) -> None:
    _current_origin.reset(token)  # type: ignore[arg-type]
