"""``oitcheck nightly`` end to end: real crawls on loopback, alert state kept in the store, a real
HTTP receiver for the webhook and a real SMTP server (aiosmtpd). A site that blocks the crawler
gives one "data is stale" notice after the set number of nights, never again; a webhook that is
down keeps its alerts for the next night; e-mail already delivered is not sent twice."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import threading
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from pgserver import free_port
from test_batch import _copy_site

from oitcheck.siteserver import SiteServer

AS_OF = "2025-05-20"


class _Receiver:
    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.failing = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.failing:
                    self.send_response(503)
                else:
                    receiver.posts.append(json.loads(body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email_policy))
        return "250 OK"


def test_nightly_alerts_once_keeps_undelivered_alerts_and_never_repeats(tmp_path: Path) -> None:
    root = tmp_path / "sites"
    (root / "hosts").mkdir(parents=True)
    _copy_site(root / "hosts", "www.khet-n.bangkok.test")
    blocked = root / "hosts" / "www.blocked.bangkok.test"
    blocked.mkdir()
    (blocked / "_routes.yaml").write_text("status:\n  /: 403\n", encoding="utf-8")
    table = tmp_path / "sites.csv"
    table.write_text("name,url,framework,group\n"
                     "เขตเอ็น,http://www.khet-n.bangkok.test/,bma-district-2568,ใต้\n"
                     "เขตบล็อก,http://www.blocked.bangkok.test/,bma-district-2568,เหนือ\n", encoding="utf-8")
    receiver, mailbox = _Receiver(), _Mailbox()
    port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port, ready_timeout=5)
    smtp.start()
    db = tmp_path / "store.sqlite"

    def night() -> subprocess.CompletedProcess:
        env = {**os.environ, "http_proxy": server.proxy, "no_proxy": "127.0.0.1", "OITCHECK_EXTRACT_WORKERS": "0"}
        env.pop("NO_PROXY", None)
        return subprocess.run(
            [sys.executable, "-m", "oitcheck.cli", "nightly", str(table), "--db", str(db), "--as-of", AS_OF,
             "--webhook", receiver.url, "--smtp", f"smtp://127.0.0.1:{port}?from=oitcheck@test&to=ict@test",
             "--stale-after", "2", "-q", "--report-dir", str(tmp_path / "r")],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    try:
        with SiteServer(root) as server:
            first = night()  # baseline: nothing to say
            assert first.returncode == 1, first.stderr  # one site could not be audited
            assert receiver.posts == [] and mailbox.messages == []

            receiver.failing = True  # night 2: the stale notice is due; the webhook is down
            second = night()
            assert "webhook" in second.stderr and "kept for the next run" in second.stderr, second.stderr
            assert receiver.posts == []
            [mail] = mailbox.messages
            assert mail["To"] == "ict@test" and "เขตบล็อก" in mail.get_body(("plain",)).get_content()

            receiver.failing = False  # night 3: the webhook gets night 2's notice; nothing new, no new mail
            third = night()
            assert third.returncode == 1, third.stderr
            [post] = receiver.posts
            assert [(a["kind"], a["site"]) for a in post["alerts"]] == [("stale", "เขตบล็อก")]
            assert "HTTP 403" in (post["alerts"][0]["error"] or post["alerts"][0]["message_en"])
            assert len(mailbox.messages) == 1

            fourth = night()  # nothing pending, nothing new
            assert len(receiver.posts) == 1 and len(mailbox.messages) == 1, fourth.stdout
    finally:
        smtp.stop()
        receiver.httpd.shutdown()
