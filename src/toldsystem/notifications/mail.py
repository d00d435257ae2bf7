"""Mail through the configured SMTP server (TOLD_SMTP_*, config.Smtp), with the standard library's smtplib
and email: one plain-text message per delivery, sent by the shared delivery queue (queue.py), so a mail
server that is away only delays it. The password is never logged, nor is what the server answered: the
delivery log names the kind of failure and the server's reply code."""

from __future__ import annotations

import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from email_validator import EmailNotValidError, validate_email

from toldsystem import config
from toldsystem.config import Smtp
from toldsystem.core.errors import Rejected, ToldError, problem
from toldsystem.notifications.queue import Outcome

TIMEOUT = 10.0  # seconds the mail server has for each step
# Header lines up to RFC 5322's limit: a long link (List-Unsubscribe) stays one plain line, not encoded words.
_POLICY = policy.SMTP.clone(max_line_length=998)
ADDRESS_MAX = 254  # RFC 5321's limit on a forward path


class MailUnavailable(ToldError):
    """No mail can be sent from this server (no SMTP server is configured)."""

    status = 503


def server() -> Smtp:
    """The configured SMTP server, or MailUnavailable saying how to configure one."""
    smtp = config.settings().smtp
    if smtp is None:
        raise MailUnavailable(problem("mail.not_configured", "address",
                                      "this server sends no e-mail: no SMTP server is configured (TOLD_SMTP_HOST)",
                                      "serveren sender ikke e-mail: der er ikke sat en SMTP-server op "
                                      "(TOLD_SMTP_HOST)"))
    return smtp


def address(text: str, pointer: str = "address") -> str:
    """An e-mail address as it is written to (normalised: the domain in lower case), or Rejected."""
    try:
        if len(text) > ADDRESS_MAX:
            raise EmailNotValidError(f"it is longer than {ADDRESS_MAX} characters")
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as invalid:
        raise Rejected(problem("mail.address", pointer, f"{text[:80]!r} is not an e-mail address: {invalid}",
                               f"{text[:80]!r} er ikke en e-mail-adresse")) from None


def send(to: str, subject: str, text: str, headers: dict[str, str] | None = None) -> Outcome:
    """Send one plain-text mail; delivered once the server has taken it for every recipient."""
    smtp = config.settings().smtp
    if smtp is None:  # configured when it was queued, not now: it waits for the operator to set one up again
        return Outcome(error="no SMTP server is configured (TOLD_SMTP_HOST)")
    message = EmailMessage(policy=_POLICY)
    message["From"], message["To"], message["Subject"] = smtp.sender, to, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="toldsystem")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT) as connection:
            if smtp.starttls:
                connection.starttls(context=ssl.create_default_context())
            if smtp.user:
                connection.login(smtp.user, smtp.password or "")
            connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as refused:
        code = next(iter(refused.recipients.values()))[0]
        return Outcome(code, f"the mail server refused the address ({code})", permanent=500 <= code < 600)
    except smtplib.SMTPAuthenticationError as failure:  # the operator's settings: worth trying again once fixed
        return Outcome(failure.smtp_code, f"the mail server did not accept the login ({failure.smtp_code})")
    except smtplib.SMTPResponseException as failure:
        code = failure.smtp_code
        return Outcome(code, f"the mail server answered {code}", permanent=500 <= code < 600)
    except (smtplib.SMTPException, OSError):
        return Outcome(error="could not reach the mail server")
    return Outcome(250)
