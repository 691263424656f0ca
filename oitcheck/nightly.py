"""``oitcheck nightly``: a batch that remembers, and speaks only when something really changed.

Each night is one batch (an interrupted night resumes within 20 hours, then a new night begins).
When the batch completes, what each site showed is handed to ``notify.plan``: a change alerts only
after it held ``--confirm-runs`` nights, a site that could not be audited for ``--stale-after``
nights gets one "data is stale" notice. Alerts wait in an outbox kept in the store until every
channel (webhook, e-mail) has taken them, so a receiver that was down hears about them next night.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from notify import DeliveryError, Observation, SmtpConfig, build_payload, delivered, pending, plan, queue
from notify.send import send_email, send_webhook
from oitcheck.batch import BatchRun, SiteRow
from store import Store

RESUME_WITHIN = 20 * 3600


def observations(summary: object, lang: str = "th") -> list[Observation]:
    out = []
    for s in summary.sites:  # type: ignore[attr-defined]
        audited = s.state == "done" and s.result is not None
        out.append(Observation(
            site=s.row.name, url=s.row.url, audited=audited, error=s.error_text(lang),
            items={i.id: i.status for i in s.result.items} if audited else {},
            score=s.result.score.oit if audited else None,
            run_id=summary.batch_id,  # type: ignore[attr-defined]  # one night, one number: re-running it is a no-op
            report=str((summary.report_dir / s.report).resolve()) if s.report else None,  # type: ignore[attr-defined]
        ))
    return out


def nightly(rows: list[SiteRow], args: argparse.Namespace) -> int:
    from oitcheck.cli import _batch_options, _batch_summary

    smtp = SmtpConfig.from_url(args.smtp) if args.smtp else None
    options = _batch_options(args, resume_within=RESUME_WITHIN)
    summary = BatchRun(rows, args.sites.name, options, kind="nightly").run()  # type: ignore[arg-type]
    _batch_summary(summary, args.lang, args.title)
    if summary.interrupted:
        return 130
    store = Store(options.db)  # type: ignore[attr-defined]
    key = f"nightly:{args.sites.name}"
    state, alerts = plan(store.alert_state(key), observations(summary, args.lang), now=datetime.now(),
                         confirm_runs=args.confirm_runs, stale_after=args.stale_after)
    channels = tuple(c for c, on in (("webhook", args.webhook), ("email", smtp)) if on)
    if channels:
        state = queue(state, alerts, channels=channels)
    store.save_alert_state(key, state)  # before sending: a crash now resends, never loses
    for a in alerts:
        print(f"! {a.message_th if args.lang == 'th' else a.message_en}")
    if not alerts:
        print("ไม่มีการเปลี่ยนแปลงที่ต้องแจ้ง" if args.lang == "th" else "nothing to report")
    failed = False
    for channel in channels:
        todo = pending(state, channel)
        if not todo:
            continue
        try:
            if channel == "webhook":
                send_webhook(args.webhook, build_payload(todo, batch=args.sites.name, run=str(summary.batch_id),
                                                         lang=args.lang))
            else:
                assert smtp is not None
                send_email(smtp, todo, batch=args.sites.name, lang=args.lang)
        except DeliveryError as e:
            failed = True
            print(f"oitcheck: {channel}: {e}; {len(todo)} alerts kept for the next run", file=sys.stderr)
            continue
        state = delivered(state, [a.key for a in todo], channel)
        store.save_alert_state(key, state)
        print(f"{channel}: {len(todo)} alerts sent", file=sys.stderr)
    return 1 if failed or summary.failed else 0
