"""Delivering nightly alerts: a JSON webhook (httpx) and e-mail (smtplib).

Both raise ``DeliveryError`` with a message naming the host (never the full URL, which may carry a token) when the
alerts could not be delivered; the caller then leaves them in the outbox (``notify.alerts.queue``) for the next run.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import smtplib
import ssl
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from notify.alerts import Alert

log = logging.getLogger(__name__)

PAYLOAD_TYPE = "oitcheck.nightly"
PAYLOAD_VERSION = 1
PASSWORD_ENV = "OITCHECK_SMTP_PASSWORD"
_TRUE = {"1", "true", "yes", "on"}


class DeliveryError(Exception):
    """Alerts could not be delivered; they should stay in the outbox."""


# --- summaries ---------------------------------------------------------------------------------------------------


def _counts(alerts: list[Alert]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in alerts:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    return counts


def summary(alerts: list[Alert], lang: str = "th") -> str:
    """One line: how many alerts, on how many sites, of which kinds."""
    sites = len({a.site for a in alerts})
    c = _counts(alerts)
    changed, worse, better = c.get("item_changed", 0), 0, 0
    for a in alerts:
        if a.kind == "item_changed":
            worse += a.new == "fail"
            better += a.new == "pass"
    if lang == "th":
        if not alerts:
            return "ไม่มีการเปลี่ยนแปลง"
        parts = [f"{len(alerts)} การเปลี่ยนแปลง จาก {sites} เว็บไซต์"]
        if changed:
            parts.append(f"สถานะข้อเปลี่ยน {changed} ข้อ (ไม่ผ่าน {worse}, ผ่าน {better})")
        if c.get("stale"):
            parts.append(f"ตรวจไม่ได้ติดต่อกัน {c['stale']} เว็บไซต์")
        if c.get("fresh_again"):
            parts.append(f"กลับมาตรวจได้ {c['fresh_again']} เว็บไซต์")
        return "; ".join(parts)
    if not alerts:
        return "No changes"
    parts = [f"{len(alerts)} change{'s' if len(alerts) != 1 else ''} on {sites} site{'s' if sites != 1 else ''}"]
    if changed:
        parts.append(f"{changed} item status change(s) ({worse} now failing, {better} now passing)")
    if c.get("stale"):
        parts.append(f"{c['stale']} site(s) not audited for several nights")
    if c.get("fresh_again"):
        parts.append(f"{c['fresh_again']} site(s) audited again")
    return "; ".join(parts)


def idempotency_key(alerts: Iterable[Alert | dict[str, Any]]) -> str:
    """SHA-256 of the sorted alert keys: the same set of alerts always gives the same key."""
    keys = sorted(a["key"] if isinstance(a, dict) else a.key for a in alerts)
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


# --- webhook -----------------------------------------------------------------------------------------------------


def build_payload(alerts: list[Alert], *, batch: str, run: str, lang: str = "th") -> dict[str, Any]:
    """The webhook JSON document (``type`` "oitcheck.nightly", ``version`` 1)."""
    return {
        "type": PAYLOAD_TYPE,
        "version": PAYLOAD_VERSION,
        "batch": batch,
        "run": run,
        "lang": lang,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "alerts": [asdict(a) for a in alerts],
        "summary": summary(alerts, lang),
        "summary_th": summary(alerts, "th"),
        "summary_en": summary(alerts, "en"),
    }


def _host(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


def send_webhook(
    url: str, payload: dict[str, Any], *, timeout: float = 10, retries: int = 2, backoff: float = 0.5
) -> None:
    """POST ``payload`` as UTF-8 JSON. Connection errors, timeouts, 5xx, 408 and 429 are retried ``retries`` times
    (waiting ``backoff``, then twice as long, ...); other statuses are not. Any 2xx is success.

    Raises ``DeliveryError`` naming the host and the last status or error.
    """
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    alerts = payload.get("alerts") or []
    key = idempotency_key(alerts) if alerts else hashlib.sha256(body).hexdigest()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": key,
        "User-Agent": "oitcheck-notify/1",
    }
    host = _host(url)
    attempts = max(0, retries) + 1
    problem = ""
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for attempt in range(attempts):
            if attempt:
                time.sleep(backoff * 2 ** (attempt - 1))
            try:
                response = client.post(url, content=body, headers=headers)
            except httpx.TimeoutException as exc:
                problem = f"timed out after {timeout:g} s ({type(exc).__name__})"
                continue
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {exc})"
                continue
            status = response.status_code
            if 200 <= status < 300:
                return
            reason = response.reason_phrase or ""
            problem = f"HTTP {status} {reason}".rstrip()
            if status >= 500 or status in (408, 429):
                continue
            raise DeliveryError(f"webhook {host}: {problem} (not retried)")
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    raise DeliveryError(f"webhook {host}: {problem} after {tries}")


# --- e-mail ------------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class SmtpConfig:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    ssl: bool = False  # SMTP over TLS from the start (smtps://, usually port 465)
    sender: str
    recipients: list[str]
    timeout: float = 10

    def __repr__(self) -> str:  # keep the password out of logs and tracebacks
        secret = "***" if self.password else None
        return (
            f"SmtpConfig(host={self.host!r}, port={self.port}, user={self.user!r}, password={secret!r}, "
            f"starttls={self.starttls}, ssl={self.ssl}, sender={self.sender!r}, recipients={self.recipients!r})"
        )

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        """``smtp://user:pass@host:port?from=a@b&to=x@y,z@w&starttls=1`` (``smtps://`` for SSL, default port 465).

        The password, when absent from the URL, comes from ``OITCHECK_SMTP_PASSWORD``. ``to`` may be repeated;
        ``timeout`` (seconds) is accepted too. Percent-encode ``@``, ``:`` and ``/`` inside the user or password.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("smtp", "smtps"):
            raise ValueError(f"not an smtp:// or smtps:// URL: {scheme or url!r}")
        if not parts.hostname:
            raise ValueError("SMTP URL has no host")
        query = parse_qs(parts.query, keep_blank_values=True)

        def one(name: str) -> str | None:
            values = query.get(name)
            return values[-1] if values else None

        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        if password is None and user:
            password = os.environ.get(PASSWORD_ENV)
        recipients = [r.strip() for v in query.get("to", []) for r in v.split(",") if r.strip()]
        sender = one("from") or (user if user and "@" in user else None)
        if not sender:
            raise ValueError("SMTP URL needs ?from=sender@address")
        if not recipients:
            raise ValueError("SMTP URL needs ?to=recipient@address[,...]")
        use_ssl = scheme == "smtps"
        starttls = (one("starttls") or "").lower() in _TRUE
        if use_ssl and starttls:
            raise ValueError("smtps:// is SSL already; starttls=1 applies to smtp:// only")
        timeout = float(one("timeout") or 10)
        return cls(
            host=parts.hostname, port=parts.port or (465 if use_ssl else 25), user=user, password=password,
            starttls=starttls, ssl=use_ssl, sender=sender, recipients=recipients, timeout=timeout,
        )


def _grouped(alerts: list[Alert]) -> dict[str, list[Alert]]:
    groups: dict[str, list[Alert]] = {}
    for a in alerts:
        groups.setdefault(a.site, []).append(a)
    return groups


def email_subject(alerts: list[Alert], batch: str, lang: str = "th") -> str:
    n = len(alerts)
    if lang == "th":
        return f"[oitcheck] {batch}: {n} การเปลี่ยนแปลง"
    return f"[oitcheck] {batch}: {n} change{'s' if n != 1 else ''}"


def email_text(alerts: list[Alert], batch: str, lang: str = "th") -> str:
    head = "ชุด" if lang == "th" else "Batch"
    report = "รายงาน" if lang == "th" else "Report"
    lines = [f"oitcheck — {head} {batch}", summary(alerts, lang), ""]
    for site, group in _grouped(alerts).items():
        lines.append(f"{site} ({group[0].url})")
        for a in group:
            lines.append(f"  - {a.message_th if lang == 'th' else a.message_en}")
        reports = list(dict.fromkeys(a.report for a in group if a.report))
        for r in reports:
            lines.append(f"    {report}: {r}")
        lines.append("")
    return "\n".join(lines)


def email_html(alerts: list[Alert], batch: str, lang: str = "th") -> str:
    esc = html.escape
    head = "ชุด" if lang == "th" else "Batch"
    report = "รายงาน" if lang == "th" else "Report"
    out = [
        f'<!doctype html><html lang="{esc(lang)}"><head><meta charset="utf-8"></head><body>',
        f"<h2>oitcheck — {esc(head)} {esc(batch)}</h2>",
        f"<p>{esc(summary(alerts, lang))}</p>",
    ]
    for site, group in _grouped(alerts).items():
        out.append(f'<h3>{esc(site)} <small><a href="{esc(group[0].url)}">{esc(group[0].url)}</a></small></h3><ul>')
        for a in group:
            out.append(f"<li>{esc(a.message_th if lang == 'th' else a.message_en)}</li>")
        out.append("</ul>")
        for r in dict.fromkeys(a.report for a in group if a.report):
            out.append(f'<p>{esc(report)}: <a href="{esc(r)}">{esc(r)}</a></p>')
    out.append("</body></html>")
    return "\n".join(out)


def build_email(smtp: SmtpConfig, alerts: list[Alert], *, batch: str, lang: str = "th") -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = email_subject(alerts, batch, lang)
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(smtp.recipients)
    msg["Date"] = formatdate(localtime=True)
    domain = smtp.sender.rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid("oitcheck", domain=domain)
    msg["X-Oitcheck-Idempotency-Key"] = idempotency_key(alerts)
    msg.set_content(email_text(alerts, batch, lang), charset="utf-8")
    msg.add_alternative(email_html(alerts, batch, lang), subtype="html", charset="utf-8")
    return msg


def send_email(smtp: SmtpConfig, alerts: list[Alert], *, batch: str, lang: str = "th") -> None:
    """Send one message listing ``alerts`` grouped by site (plain text with an HTML alternative).

    Raises ``DeliveryError`` naming the server when the message was not accepted. Recipients refused one by one
    while others were accepted are logged, not raised (raising would resend to those who got it).
    """
    if not smtp.recipients:
        raise DeliveryError("e-mail: no recipients configured")
    msg = build_email(smtp, alerts, batch=batch, lang=lang)
    where = f"{smtp.host}:{smtp.port}"
    try:
        server: smtplib.SMTP
        if smtp.ssl:
            server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            refused = server.send_message(msg, from_addr=smtp.sender, to_addrs=smtp.recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"e-mail via {where}: login refused for {smtp.user!r} ({exc.smtp_code})") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"e-mail via {where}: all recipients refused: {', '.join(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        raise DeliveryError(f"e-mail via {where}: server said {exc.smtp_code} {text}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"e-mail via {where}: {type(exc).__name__}: {exc}") from exc
    if refused:
        log.warning("e-mail via %s: recipients refused: %s", where, ", ".join(sorted(refused)))
