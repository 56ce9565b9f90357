"""One-off notices to one person over the messaging channels (not bulletins, which go as deliveries).

Aspirations (notices to the citizen and the office, intake replies) and information requests
(notices to the requester) send through these helpers, so a switched-off channel or a provider
error is handled the same way everywhere: logged, never raised into the service that sent it.
"""

import logging

from django.conf import settings
from django.utils.html import format_html, format_html_join

from sikim.dissemination.channels.base import ChannelError, ChannelNotConfigured, OutgoingMessage
from sikim.dissemination.channels.registry import get_channel

logger = logging.getLogger(__name__)


def send_notice(channel_name: str, message: OutgoingMessage, *, topic: str) -> bool:
    """Hand one message to a channel; True when the provider took it. `topic` names it in the log."""
    try:
        get_channel(channel_name).send(message)
    except ChannelNotConfigured:
        logger.info("%s not sent: channel %s is switched off", topic, channel_name)
        return False
    except ChannelError:
        logger.warning("%s over %s failed", topic, channel_name, exc_info=True)
        return False
    return True


def notice_message_id(key: str) -> str:
    """A stable Message-ID for a notice: a retry of the same notice carries the same one."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "sikim"
    return f"<{key}@{host}>"


def notice_email(address: str, subject: str, lines: list[str], link: str, key: str) -> OutgoingMessage:
    """An email notice: the lines as paragraphs, in plain text and HTML, with the link last."""
    html = format_html(
        '{}<p><a href="{}">{}</a></p>', format_html_join("", "<p>{}</p>", ((line,) for line in lines)), link, link
    )
    return OutgoingMessage(
        address=address,
        subject=subject,
        text="\n\n".join([*lines, link]),
        html=str(html),
        link=link,
        options={"message_id": notice_message_id(key)},
    )
