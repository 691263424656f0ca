"""Nightly notifications: confirmed, deduplicated alerts; stale data notices; webhook and e-mail delivery against
real local servers (no internet)."""

from __future__ import annotations

import copy
import email
import email.policy
import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from notify import (
    Alert,
    DeliveryError,
    Observation,
    SmtpConfig,
    build_payload,
    delivered,
    new_state,
    pending,
    plan,
    queue,
    send_email,
    send_webhook,
)
from notify import alerts as alerts_module

SITE = "เขตบางรัก"
URL = "https://www.bma.go.th/bangrak/"
START = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)
ERROR = "HTTP 403 (Cloudflare challenge)"


def night(n: int, items: dict[str, str] | None, *, site: str = SITE, error: str = ERROR) -> Observation:
    """Night ``n`` (run id n): ``items`` None means the site could not be audited."""
    if items is None:
        return Observation(site=site, url=URL, audited=False, error=error, run_id=n)
    return Observation(site=site, url=URL, audited=True, items=dict(items), score=80.0, run_id=n,
                       report=f"reports/{n}/bangrak.html")


def run(nights: list[dict[str, str] | None], state: dict[str, Any] | None = None,
        **kw: Any) -> tuple[dict[str, Any], list[list[Alert]]]:
    """Plan the nights in order; return the final state and the alerts of each night."""
    state = state or {}
    per_night = []
    for n, items in enumerate(nights, start=1):
        state, alerts = plan(state, [night(n, items)], now=START + timedelta(days=n), **kw)
        assert json.loads(json.dumps(state)) == state
        per_night.append(alerts)
    return state, per_night


def counts(per_night: list[list[Alert]]) -> list[int]:
    return [len(a) for a in per_night]


# --- confirmation and flapping ------------------------------------------------------------------------------------


def test_flapping_item_never_alerts() -> None:
    seq = [{"O12": s} for s in ["pass", "fail", "pass", "fail", "pass", "fail", "pass", "fail"]]
    state, per_night = run(seq)
    assert counts(per_night) == [0] * 8
    assert state["sites"][SITE]["items"] == {"O12": "pass"}
    assert state["sites"][SITE]["pending"]["O12"]["count"] == 1  # the last fail, not yet confirmed


def test_change_alerts_once_after_two_runs() -> None:
    seq = [{"O12": "pass", "O1": "pass"}] + [{"O12": "fail", "O1": "pass"}] * 3
    state, per_night = run(seq)
    assert counts(per_night) == [0, 0, 1, 0]
    (alert,) = per_night[2]
    assert (alert.kind, alert.site, alert.url, alert.item, alert.old, alert.new) == (
        "item_changed", SITE, URL, "O12", "pass", "fail")
    assert alert.message_th == "O12 เปลี่ยนจาก ผ่าน เป็น ไม่ผ่าน (ยืนยัน 2 รอบ)"
    assert "O12 changed from pass to fail" in alert.message_en
    assert alert.first_seen == (START + timedelta(days=2)).isoformat(timespec="seconds")  # before confirmation
    assert alert.run_id == 3 and alert.report == "reports/3/bangrak.html"
    assert state["sites"][SITE]["items"] == {"O12": "fail", "O1": "pass"}
    assert state["sites"][SITE]["pending"] == {}


def test_change_for_the_better_follows_the_same_rule() -> None:
    seq = [{"O5": s} for s in ["fail", "pass", "fail", "pass", "pass"]]
    _, per_night = run(seq)
    assert counts(per_night) == [0, 0, 0, 0, 1]
    assert (per_night[4][0].old, per_night[4][0].new) == ("fail", "pass")
    assert per_night[4][0].message_th == "O5 เปลี่ยนจาก ไม่ผ่าน เป็น ผ่าน (ยืนยัน 2 รอบ)"


def test_a_third_status_restarts_the_count() -> None:
    seq = [{"O7": s} for s in ["pass", "fail", "review", "review"]]
    _, per_night = run(seq)
    assert counts(per_night) == [0, 0, 0, 1]
    assert (per_night[3][0].old, per_night[3][0].new) == ("pass", "review")


def test_confirm_runs_is_honoured() -> None:
    seq = [{"O7": s} for s in ["pass", "fail", "fail", "fail"]]
    assert counts(run(seq, confirm_runs=3)[1]) == [0, 0, 0, 1]
    assert counts(run(seq, confirm_runs=1)[1]) == [0, 1, 0, 0]


def test_change_back_after_confirmation_is_a_new_alert() -> None:
    seq = [{"O3": s} for s in ["pass", "fail", "fail", "pass", "pass", "fail", "fail"]]
    _, per_night = run(seq)
    assert counts(per_night) == [0, 0, 1, 0, 1, 0, 1]
    keys = [a.key for alerts in per_night for a in alerts]
    assert len(set(keys)) == 3  # pass->fail twice, at different runs: two distinct keys


# --- baseline -----------------------------------------------------------------------------------------------------


def test_first_night_is_a_silent_baseline() -> None:
    state, alerts = plan({}, [night(1, {"O1": "fail", "O2": "review", "O3": "pass"})], now=START)
    assert alerts == []
    assert state["sites"][SITE]["items"] == {"O1": "fail", "O2": "review", "O3": "pass"}


def test_new_and_removed_items_are_silent() -> None:
    seq: list[dict[str, str] | None] = [
        {"O1": "pass", "O2": "pass"},
        {"O1": "pass", "O2": "fail", "O40": "fail"},  # O40: new in the framework
        {"O1": "pass", "O40": "fail"},  # O2 removed, with its pending change
        {"O1": "pass", "O2": "fail", "O40": "fail"},  # O2 back: a new baseline, not a confirmation
        {"O1": "pass", "O2": "fail", "O40": "fail"},
    ]
    state, per_night = run(seq)
    assert counts(per_night) == [0, 0, 0, 0, 0]
    assert state["sites"][SITE]["items"] == {"O1": "pass", "O2": "fail", "O40": "fail"}


def test_sites_are_independent() -> None:
    state, a1 = plan({}, [night(1, {"O1": "pass"}), night(1, {"O1": "pass"}, site="เขตสาทร")], now=START)
    state, a2 = plan(state, [night(2, {"O1": "fail"}), night(2, {"O1": "pass"}, site="เขตสาทร")], now=START)
    state, a3 = plan(state, [night(3, {"O1": "fail"}), night(3, {"O1": "fail"}, site="เขตสาทร")], now=START)
    assert (a1, a2) == ([], [])
    assert [(a.site, a.item) for a in a3] == [(SITE, "O1")]


# --- deduplication ------------------------------------------------------------------------------------------------


def test_replanning_the_same_run_is_a_noop() -> None:
    before, _ = run([{"O12": "pass"}, {"O12": "fail"}])
    obs = [night(3, {"O12": "fail"})]
    after, alerts = plan(before, obs, now=START + timedelta(days=3))
    assert len(alerts) == 1
    again, alerts_again = plan(after, obs, now=START + timedelta(days=3, hours=1))
    assert alerts_again == []
    assert again == after
    # The same night re-run without the state of its first run gives the same key, so receivers can dedup.
    _, alerts_replayed = plan(before, obs, now=START + timedelta(days=3, hours=1))
    assert [a.key for a in alerts_replayed] == [alerts[0].key]
    # An older run arriving late is ignored too.
    late, alerts_late = plan(after, [night(2, {"O12": "pass"})], now=START + timedelta(days=4))
    assert alerts_late == [] and late == after


def test_plan_does_not_modify_its_input() -> None:
    before, _ = run([{"O12": "pass"}, {"O12": "fail"}])
    snapshot = copy.deepcopy(before)
    plan(before, [night(3, {"O12": "fail"})], now=START)
    assert before == snapshot


def test_sent_keys_stop_a_repeat_even_without_run_ids() -> None:
    def obs(status: str) -> Observation:
        return Observation(site=SITE, url=URL, audited=True, items={"O9": status})  # no run_id

    before, _ = plan({}, [obs("pass")], now=START)
    before, _ = plan(before, [obs("fail")], now=START + timedelta(days=1))
    after, alerts = plan(before, [obs("fail")], now=START + timedelta(days=2))
    assert len(alerts) == 1
    # A state that lost its site record but kept the sent keys (e.g. restored from an older copy) stays silent.
    restored = copy.deepcopy(before)
    restored["sent"] = list(after["sent"])
    _, again = plan(restored, [obs("fail")], now=START + timedelta(days=2))
    assert again == []


def test_sent_keys_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts_module, "SENT_KEYS_LIMIT", 3)
    seq = [{"O1": s} for s in ["pass", "fail", "fail", "pass", "pass", "fail", "fail", "pass", "pass"]]
    state, per_night = run(seq)
    assert sum(counts(per_night)) == 4
    assert len(state["sent"]) == 3
    assert state["sent"][-1] == per_night[-1][0].key


# --- stale data ---------------------------------------------------------------------------------------------------


def test_stale_after_three_failed_nights_then_fresh_again() -> None:
    seq = [{"O1": "pass"}, None, None, None, None, None, {"O1": "pass"}, {"O1": "pass"}, None]
    state, per_night = run(seq)
    assert counts(per_night) == [0, 0, 0, 1, 0, 0, 1, 0, 0]
    (stale,) = per_night[3]
    assert stale.kind == "stale" and stale.site == SITE and stale.error == ERROR
    assert stale.message_th == (
        f"ไม่สามารถตรวจเว็บไซต์ได้ 3 คืนติดต่อกัน ข้อมูลที่แสดงอาจไม่เป็นปัจจุบัน: {ERROR}")
    assert "3 consecutive nights" in stale.message_en
    assert stale.first_seen == (START + timedelta(days=2)).isoformat(timespec="seconds")  # the first failed night
    (fresh,) = per_night[6]
    assert fresh.kind == "fresh_again" and "5 คืนติดต่อกัน" in fresh.message_th
    assert fresh.key != stale.key
    assert state["sites"][SITE]["failures"] == 1  # counting again from the last failed night


def test_short_failure_streaks_are_silent() -> None:
    seq = [{"O1": "pass"}, None, None, {"O1": "pass"}, None, None, {"O1": "pass"}]
    _, per_night = run(seq)
    assert counts(per_night) == [0] * 7


def test_stale_after_is_honoured() -> None:
    _, per_night = run([{"O1": "pass"}, None, None, None, None, None], stale_after=5)
    assert counts(per_night) == [0, 0, 0, 0, 0, 1]


def test_failed_nights_neither_confirm_nor_break_a_pending_change() -> None:
    _, per_night = run([{"O12": "pass"}, {"O12": "fail"}, None, None])
    assert counts(per_night) == [0, 0, 0, 0]  # failed nights do not confirm
    state, per_night = run([{"O12": "pass"}, {"O12": "fail"}, None, None, {"O12": "fail"}])
    assert counts(per_night) == [0, 0, 0, 0, 1]  # nor break the streak
    assert per_night[4][0].first_seen == (START + timedelta(days=2)).isoformat(timespec="seconds")
    # Through a stale period too: the audited night then brings both the change and fresh_again.
    _, per_night = run([{"O12": "pass"}, {"O12": "fail"}, None, None, None, {"O12": "fail"}])
    assert [[a.kind for a in alerts] for alerts in per_night] == [
        [], [], [], [], ["stale"], ["fresh_again", "item_changed"]]


def test_a_site_never_audited_can_go_stale() -> None:
    _, per_night = run([None, None, None, None, {"O1": "fail"}, {"O1": "fail"}])
    assert [[a.kind for a in alerts] for alerts in per_night] == [[], [], ["stale"], [], ["fresh_again"], []]


# --- state --------------------------------------------------------------------------------------------------------


def test_state_is_plain_json() -> None:
    state, per_night = run([{"O1": "pass", "O2": "fail"}, {"O1": "fail", "O2": "fail"}, None, None, None,
                            {"O1": "fail", "O2": "pass"}])
    state = queue(state, [a for alerts in per_night for a in alerts], channels=("webhook", "email"))
    assert json.loads(json.dumps(state)) == state
    assert state["version"] == 1 and set(state) >= {"sites", "sent", "outbox"}


def test_unknown_state_version_is_refused() -> None:
    with pytest.raises(ValueError, match="version"):
        plan({"version": 99, "sites": {}}, [], now=START)


# --- webhook against a real local HTTP receiver ---------------------------------------------------------------------


@contextmanager
def receiver(statuses: list[int]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local HTTP server answering POSTs with ``statuses`` in turn (the last one repeats); yields its URL and
    the requests it received."""
    records: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            records.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
            status = statuses[min(len(records), len(statuses)) - 1]
            answer = b'{"ok": true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks/oit?token=s3cret", records
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample_alerts() -> list[Alert]:
    _, per_night = run([{"O12": "pass", "O3": "fail"}, {"O12": "fail", "O3": "pass"},
                        {"O12": "fail", "O3": "pass"}, None, None, None])
    alerts = [a for night_alerts in per_night for a in night_alerts]
    assert [a.kind for a in alerts] == ["item_changed", "item_changed", "stale"]
    return alerts


def test_webhook_posts_utf8_json_with_idempotency_key() -> None:
    alerts = sample_alerts()
    payload = build_payload(alerts, batch="กทม-2568", run="2025-06-07")
    assert payload["type"] == "oitcheck.nightly" and payload["version"] == 1
    assert payload["summary_th"].startswith("3 การเปลี่ยนแปลง") and "3 changes" in payload["summary_en"]
    with receiver([200]) as (url, records):
        send_webhook(url, payload, timeout=2)
        send_webhook(url, payload, timeout=2)
        send_webhook(url, build_payload(alerts[:1], batch="กทม-2568", run="2025-06-07"), timeout=2)
    assert len(records) == 3
    req = records[0]
    assert req["path"] == "/hooks/oit?token=s3cret"
    assert req["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(req["body"].decode("utf-8")) == payload
    assert "O12 เปลี่ยนจาก ผ่าน เป็น ไม่ผ่าน (ยืนยัน 2 รอบ)".encode() in req["body"]  # not \u escapes
    assert b"\\u0e" not in req["body"]
    expected = hashlib.sha256("\n".join(sorted(a.key for a in alerts)).encode()).hexdigest()
    assert req["headers"]["Idempotency-Key"] == expected
    assert records[1]["headers"]["Idempotency-Key"] == expected  # the same alerts again: same key
    assert records[2]["headers"]["Idempotency-Key"] != expected


def test_webhook_retries_5xx_then_succeeds() -> None:
    payload = build_payload(sample_alerts(), batch="b", run="r")
    with receiver([500, 503, 200]) as (url, records):
        send_webhook(url, payload, timeout=2, retries=2, backoff=0.01)
    assert len(records) == 3
    assert len({r["headers"]["Idempotency-Key"] for r in records}) == 1


def test_webhook_gives_up_after_retries() -> None:
    payload = build_payload(sample_alerts(), batch="b", run="r")
    with receiver([500]) as (url, records):
        with pytest.raises(DeliveryError) as err:
            send_webhook(url, payload, timeout=2, retries=2, backoff=0.01)
    assert len(records) == 3
    assert "HTTP 500" in str(err.value) and "127.0.0.1" in str(err.value) and "3 attempts" in str(err.value)
    assert "s3cret" not in str(err.value)  # the URL's token is not leaked into logs


def test_webhook_does_not_retry_4xx() -> None:
    payload = build_payload(sample_alerts(), batch="b", run="r")
    with receiver([400, 200]) as (url, records):
        with pytest.raises(DeliveryError, match="HTTP 400") as err:
            send_webhook(url, payload, timeout=2, retries=3, backoff=0.01)
    assert len(records) == 1
    assert "127.0.0.1" in str(err.value) and "s3cret" not in str(err.value)


def test_webhook_closed_port_names_the_host() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1") as err:
        send_webhook(url, build_payload(sample_alerts(), batch="b", run="r"), timeout=1, retries=1, backoff=0.01)
    assert "connection failed" in str(err.value)


# --- e-mail against a real local SMTP server ----------------------------------------------------------------------


class Collector:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's naming
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "data": envelope.original_content or envelope.content})
        return "250 OK"


@contextmanager
def smtp_server(**kw: Any) -> Iterator[tuple[int, Collector]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port, ready_timeout=5, **kw)
    controller.start()
    try:
        yield port, collector
    finally:
        controller.stop()


def test_email_is_delivered_with_thai_subject_and_body() -> None:
    alerts = sample_alerts()
    with smtp_server() as (port, collector):
        cfg = SmtpConfig.from_url(
            f"smtp://127.0.0.1:{port}?from=oitcheck@bma.go.th&to=it@bma.go.th,audit@bma.go.th&timeout=5")
        send_email(cfg, alerts, batch="กทม-2568")
    (sent,) = collector.messages
    assert sent["from"] == "oitcheck@bma.go.th"
    assert sent["to"] == ["it@bma.go.th", "audit@bma.go.th"]
    raw: bytes = sent["data"]
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert header_block.isascii()  # the Thai subject is RFC 2047 encoded
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == "[oitcheck] กทม-2568: 3 การเปลี่ยนแปลง"
    assert msg["To"] == "it@bma.go.th, audit@bma.go.th"
    text = msg.get_body(("plain",)).get_content()
    assert f"{SITE} ({URL})" in text
    assert "  - O12 เปลี่ยนจาก ผ่าน เป็น ไม่ผ่าน (ยืนยัน 2 รอบ)" in text
    assert "  - O3 เปลี่ยนจาก ไม่ผ่าน เป็น ผ่าน (ยืนยัน 2 รอบ)" in text
    assert "ไม่สามารถตรวจเว็บไซต์ได้ 3 คืนติดต่อกัน" in text and ERROR in text
    assert "reports/3/bangrak.html" in text
    html_body = msg.get_body(("html",)).get_content()
    assert "<li>O12 เปลี่ยนจาก ผ่าน เป็น ไม่ผ่าน (ยืนยัน 2 รอบ)</li>" in html_body


def test_email_in_english() -> None:
    with smtp_server() as (port, collector):
        cfg = SmtpConfig(host="127.0.0.1", port=port, sender="a@b.go.th", recipients=["x@y.go.th"], timeout=5)
        send_email(cfg, sample_alerts()[:1], batch="bma", lang="en")
    msg = email.message_from_bytes(collector.messages[0]["data"], policy=email.policy.default)
    assert msg["Subject"] == "[oitcheck] bma: 1 change"
    assert "O12 changed from pass to fail" in msg.get_body(("plain",)).get_content()


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"bot@bma.go.th" and auth_data.password == b"p@ss"
    return AuthResult(success=ok, handled=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")  # a local test server
def test_email_login_with_password_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(authenticator=_authenticator, auth_required=True, auth_require_tls=False) as (port, collector):
        monkeypatch.setenv("OITCHECK_SMTP_PASSWORD", "p@ss")
        cfg = SmtpConfig.from_url(f"smtp://bot%40bma.go.th@127.0.0.1:{port}?to=it@bma.go.th&timeout=5")
        assert cfg.password == "p@ss" and cfg.sender == "bot@bma.go.th"
        send_email(cfg, sample_alerts(), batch="b")
        assert len(collector.messages) == 1
        cfg.password = "wrong"
        with pytest.raises(DeliveryError, match="login refused"):
            send_email(cfg, sample_alerts(), batch="b")
        assert len(collector.messages) == 1


def test_email_server_down_names_the_host() -> None:
    cfg = SmtpConfig(host="127.0.0.1", port=free_port(), sender="a@b.go.th", recipients=["x@y.go.th"], timeout=2)
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1:\d+"):
        send_email(cfg, sample_alerts(), batch="b")


def test_smtp_url_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OITCHECK_SMTP_PASSWORD", raising=False)
    cfg = SmtpConfig.from_url("smtp://user:p%40ss@mail.go.th:587?from=a@b.go.th&to=x@y.go.th,z@w.go.th&starttls=1")
    assert (cfg.host, cfg.port, cfg.user, cfg.password, cfg.starttls, cfg.ssl) == (
        "mail.go.th", 587, "user", "p@ss", True, False)
    assert (cfg.sender, cfg.recipients) == ("a@b.go.th", ["x@y.go.th", "z@w.go.th"])
    assert "p@ss" not in repr(cfg)
    cfg = SmtpConfig.from_url("smtps://user@mail.go.th?from=a@b.go.th&to=x@y.go.th&to=z@w.go.th")
    assert (cfg.port, cfg.ssl, cfg.starttls, cfg.password) == (465, True, False, None)
    assert cfg.recipients == ["x@y.go.th", "z@w.go.th"]
    monkeypatch.setenv("OITCHECK_SMTP_PASSWORD", "from-env")
    assert SmtpConfig.from_url("smtp://user@mail.go.th?from=a@b.go.th&to=x@y.go.th").password == "from-env"
    assert SmtpConfig.from_url("smtp://user@mail.go.th?from=a@b.go.th&to=x@y.go.th").port == 25
    with pytest.raises(ValueError, match="from="):
        SmtpConfig.from_url("smtp://mail.go.th?to=x@y.go.th")
    with pytest.raises(ValueError, match="to="):
        SmtpConfig.from_url("smtp://mail.go.th?from=a@b.go.th")
    with pytest.raises(ValueError):
        SmtpConfig.from_url("http://mail.go.th?from=a@b.go.th&to=x@y.go.th")


# --- outbox -------------------------------------------------------------------------------------------------------


def test_failed_delivery_stays_in_the_outbox_until_delivered() -> None:
    state, per_night = run([{"O12": "pass"}, {"O12": "fail"}, {"O12": "fail"}])
    (alert,) = per_night[2]
    state = queue(state, per_night[2])
    dead = f"http://127.0.0.1:{free_port()}/hook"

    todo = pending(state)
    assert [a.key for a in todo] == [alert.key] and todo[0] == alert  # round-trips through the state
    with pytest.raises(DeliveryError):
        send_webhook(dead, build_payload(todo, batch="b", run="3"), timeout=1, retries=0)
    state = json.loads(json.dumps(state))  # persisted between nights

    # Next night: the same run re-planned (no new alert) and the same alerts queued again (no duplicate).
    state, again = plan(state, [night(3, {"O12": "fail"})], now=START + timedelta(days=3))
    assert again == []
    state = queue(state, per_night[2])
    state, tonight = plan(state, [night(4, {"O12": "fail"})], now=START + timedelta(days=4))
    state = queue(state, tonight)
    todo = pending(state)
    assert [a.key for a in todo] == [alert.key]

    with receiver([200]) as (url, records):
        send_webhook(url, build_payload(todo, batch="b", run="4"), timeout=2)
        state = delivered(state, [a.key for a in todo])
        assert pending(state) == [] and state["outbox"] == []
        send_webhook(url, build_payload(pending(state), batch="b", run="4"), timeout=2)  # nothing left to resend
    bodies = [json.loads(r["body"]) for r in records]
    assert [len(b["alerts"]) for b in bodies] == [1, 0]
    assert bodies[0]["alerts"][0]["key"] == alert.key


def test_outbox_with_several_channels() -> None:
    alerts = sample_alerts()
    state = queue(new_state(), alerts, channels=("webhook", "email"))
    state = delivered(state, [a.key for a in alerts], channel="webhook")
    assert pending(state, "webhook") == []
    assert [a.key for a in pending(state, "email")] == [a.key for a in alerts]
    state = delivered(state, [alerts[0].key], channel="email")
    assert [a.key for a in pending(state, "email")] == [a.key for a in alerts[1:]]
    state = delivered(state, [a.key for a in alerts], channel="email")
    assert state["outbox"] == []
