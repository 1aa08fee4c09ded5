"""Sending email without ever failing the action that asked for it.

`send_after_commit(messages)` takes messages that are already built (one person each) and sends
them once the transaction commits. During a web request they go through the task queue, so the
person never waits for the mail server and never sees its failure as an error page after their
change was saved. Anywhere else (a task, a command) the work is already in the background, so
they are sent there and then. Either way a message the server refuses is logged and skipped, and
the others still go. Messages cross the queue as JSON, attachments included."""

from __future__ import annotations

import base64
import contextlib
import logging
import smtplib
import threading
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver
from django_tasks import task

from .tasks import is_quiet

logger = logging.getLogger(__name__)
SEND_ERRORS = (smtplib.SMTPException, OSError)  # OSError: refused, reset or timed-out connections
# Whether this thread is serving a web request. A thread, not a context variable: under ASGI,
# Django runs sync signal receivers and the view on the request's own thread, but in separate
# asyncio tasks, so a context variable set when the request starts would not reach the view.
_serving = threading.local()


@receiver(request_started, dispatch_uid="compact.core.mail.request_started")
def _request_started(**kwargs) -> None:
    _serving.request = True


@receiver(request_finished, dispatch_uid="compact.core.mail.request_finished")
def _request_finished(**kwargs) -> None:
    _serving.request = False


def in_request() -> bool:
    return getattr(_serving, "request", False)


def subject_line(text) -> str:
    """One line, at most 200 characters: user text in a subject cannot inject headers."""
    return " ".join(str(text).split())[:200]


def site_url(path: str) -> str:
    """An absolute link for an email (there is no request to build it from in a task)."""
    return settings.SITE_URL.rstrip("/") + path


# Messages as JSON ---------------------------------------------------------------------------------


def _content(content, mimetype: str, charset: str = "utf-8") -> dict:
    """Text stays readable in the queue; anything else (or text in an unknown encoding) is base64."""
    if isinstance(content, str):
        return {"text": content}
    if content is None:
        raise ValueError("Attachments that hold other parts cannot be sent this way")
    if mimetype.startswith("text/"):
        with contextlib.suppress(UnicodeDecodeError, LookupError):
            return {"text": content.decode(charset)}
    return {"base64": base64.b64encode(content).decode("ascii")}


def _attachment_data(attachment) -> dict:
    if isinstance(attachment, MIMEBase):  # e.g. the calendar invitation, with its method parameter
        mimetype = attachment.get_content_type()
        params = {k: v for k, v in (attachment.get_params() or [])[1:] if k != "charset"}
        content = attachment.get_payload(decode=True)
        return {"part": True, "filename": attachment.get_filename(), "mimetype": mimetype, "params": params,
                **_content(content, mimetype, attachment.get_content_charset() or "utf-8")}  # fmt: skip
    filename, content, mimetype = attachment
    mimetype = mimetype or "application/octet-stream"
    return {"part": False, "filename": filename, "mimetype": mimetype, **_content(content, mimetype)}


def message_data(message: EmailMessage) -> dict:
    if len(message.recipients()) != 1:
        raise ValueError("Each email goes to one person: never a shared To: line")
    if getattr(message, "alternatives", None):
        raise ValueError("Only plain-text emails (with attachments) are sent this way")
    return {
        "subject": subject_line(message.subject), "body": message.body, "from_email": message.from_email,
        "to": list(message.to), "reply_to": list(message.reply_to), "headers": dict(message.extra_headers),
        "attachments": [_attachment_data(a) for a in message.attachments],
    }  # fmt: skip


def _part(data: dict, content) -> MIMEBase:
    maintype, subtype = data["mimetype"].split("/", 1)
    if isinstance(content, str):
        part = MIMEText(content, subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for name, value in data["params"].items():
        part.set_param(name, value)
    if data["filename"]:
        part.add_header("Content-Disposition", "attachment", filename=data["filename"])
    return part


def message_from_data(data: dict) -> EmailMessage:
    message = EmailMessage(
        subject=data["subject"], body=data["body"], from_email=data["from_email"], to=data["to"],
        reply_to=data["reply_to"], headers=data["headers"],
    )  # fmt: skip
    for item in data["attachments"]:
        content = item["text"] if "text" in item else base64.b64decode(item["base64"])
        if item["part"]:
            message.attach(_part(item, content))
        else:
            message.attach(item["filename"], content, item["mimetype"])
    return message


# Sending ------------------------------------------------------------------------------------------


def _close(connection) -> None:
    with contextlib.suppress(*SEND_ERRORS):  # the connection is dropped either way
        connection.close()


def _failed(what: str, number: int, total: int, exc: Exception) -> None:
    # No traceback: SMTP errors quote the addresses they refused, and the log keeps no personal data.
    logger.error("Could not %s email %s of %s: %s %s", what, number, total, type(exc).__name__,
                 getattr(exc, "smtp_code", ""))  # fmt: skip


def deliver(messages: list[EmailMessage]) -> int:
    """Send each message on its own over one connection. A refused message is logged and skipped;
    if the server cannot be reached, the rest are not tried. Returns how many were sent."""
    connection, sent, total = get_connection(), 0, len(messages)
    try:
        for number, message in enumerate(messages, start=1):
            try:
                connection.open()  # reuses the open connection, or reconnects after a failure
            except SEND_ERRORS as exc:
                _failed("connect to send", number, total, exc)
                break
            try:
                sent += connection.send_messages([message]) or 0
            except SEND_ERRORS as exc:
                _failed("send", number, total, exc)
                _close(connection)
    finally:
        _close(connection)
    (logger.info if sent == total else logger.warning)("Sent %s of %s emails", sent, total)
    return sent


@task()
def send_emails(messages: list[dict]) -> int:
    return deliver([message_from_data(m) for m in messages])


def send_after_commit(messages) -> None:
    """Send these messages (one person each) once the current transaction commits. Nothing is
    sent in quiet mode. A failure to queue or send is logged, never raised to the caller."""
    if is_quiet():
        return
    data = [message_data(m) for m in messages]
    if not data:
        return
    queue = in_request()

    def send():
        if queue:
            send_emails.enqueue(data)
        else:  # from the same JSON the queue would carry, so both ways send the same messages
            deliver([message_from_data(m) for m in data])

    # robust: the change is committed, so an error here must not reach the person as a 500.
    transaction.on_commit(send, robust=True)
