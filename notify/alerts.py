"""Nightly alert planning: which changes are worth telling anyone about.

``plan(state, observations, now=...)`` is pure: it takes the state persisted after the previous night and what
tonight's run learned about each site, and returns the new state plus the alerts to send. It does no I/O; the
caller stores the state (plain JSON) and delivers the alerts (``notify.send``).

Semantics
---------
- **Baseline.** The first observation of a site ever is silent: its items become the confirmed statuses. An item
  that appears later (a framework change) joins the baseline silently; an item that disappears is dropped silently
  (with any change pending for it).
- **Confirmation (flapping suppression).** An item whose status differs from its confirmed status alerts only once
  the *same* new status has been seen in ``confirm_runs`` consecutive audited runs; the confirmed status then becomes
  the new one. If the item goes back to its confirmed status (or to yet another status) before that, the pending
  change is dropped and nothing is sent (a third status starts its own count). Changes for the better
  (fail → pass) follow the same rule as changes for the worse. With ``confirm_runs=2``, ``pass, fail, pass, fail``
  never alerts, and ``pass, fail, fail`` alerts once, on the third night.
- **Nights that could not be audited** (``Observation.audited`` is False: unreachable, blocked, crashed) touch
  neither the item statuses nor the pending changes: they neither confirm nor break a pending change. They count
  consecutive failures; when the count reaches ``stale_after`` one ``stale`` alert is sent ("the data shown may be
  out of date"), never repeated on the following failed nights. The first audited night after a ``stale`` alert
  sends one ``fresh_again`` alert. Shorter streaks of failures are silent. A site that has never been audited can
  still go stale (it is then "could not be audited", with no data at all).
- **Deduplication.** Each site remembers the last ``run_id`` it saw: an observation whose ``run_id`` is not greater
  than it (a re-run of the same night, a replay) is ignored, so planning the same run twice is a no-op. Run ids are
  therefore assumed to increase from night to night; an observation without a ``run_id`` is always applied, so give
  every observation one. As a second line of defence every alert has a stable ``key`` (a SHA-1 of kind, site, item,
  new status and the run in which the change was first seen) and the keys already emitted are kept (the most recent
  ``SENT_KEYS_LIMIT``): an alert whose key was emitted before is never emitted again.
- **Delivery.** ``plan`` does not remember whether an alert was delivered. ``queue(state, alerts)`` puts alerts in
  ``state["outbox"]``; ``pending(state)`` lists what is still to be delivered; ``delivered(state, keys)`` removes what
  went out. A failed webhook or SMTP delivery therefore leaves the alerts in the outbox and they are retried on the
  next run; delivered ones are not resent. Several channels (webhook and e-mail) can share one outbox: pass
  ``channels=`` to ``queue`` and ``channel=`` to ``pending``/``delivered``; an entry leaves the outbox once every
  channel has delivered it.

Typical nightly use::

    state, alerts = plan(state, observations, now=datetime.now(UTC))
    state = queue(state, alerts)          # persist this state before trying to deliver
    todo = pending(state)
    try:
        send_webhook(url, build_payload(todo, batch=..., run=...))
    except DeliveryError:
        ...                               # stays in the outbox, retried tomorrow
    else:
        state = delivered(state, [a.key for a in todo])
    # persist state again

State layout (``STATE_VERSION`` 1), all plain JSON::

    {"version": 1,
     "sites": {site: {"url": str, "last_run": int | None,
                      "items": {item: status},                          # confirmed statuses
                      "pending": {item: {"status": str, "count": int,   # a change not yet confirmed
                                         "first_seen": iso, "since": int | iso}},
                      "failures": int,                                  # consecutive nights not audited
                      "fail_since": {"run": int | None, "at": iso} | None,
                      "last_error": str | None,
                      "stale": {"run": ..., "at": iso, "nights": int} | None,   # a stale alert was sent
                      "last_audited": iso | None, "score": float | None,   # of the last audited night
                      "report": str | None}},
     "sent": [key, ...],                                                # most recent last, bounded
     "outbox": [{"alert": {...Alert fields...}, "channels": [str, ...]}, ...]}
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

STATE_VERSION = 1
SENT_KEYS_LIMIT = 2000  # dedup keys kept in the state (about 90 kB of JSON)
OUTBOX_LIMIT = 5000  # undelivered alerts kept; beyond that the oldest are dropped and counted
DEFAULT_CHANNEL = "default"

KINDS = ("item_changed", "stale", "fresh_again")

# Short status labels, as reports/i18n.py "status_short.*" (kept here so notify does not import the reports).
_STATUS = {
    "pass": ("ผ่าน", "pass"),
    "fail": ("ไม่ผ่าน", "fail"),
    "review": ("ต้องตรวจสอบ", "review"),
    "not_yet_due": ("ยังไม่ถึงกำหนด", "not yet due"),
}


@dataclass
class Observation:
    """What one nightly run learned about one site."""

    site: str  # stable site key (the batch's site name)
    url: str
    audited: bool  # False: could not be audited tonight (unreachable, blocked 403/challenge, crashed)
    error: str | None = None
    items: dict[str, str] = field(default_factory=dict)  # item id -> status pass|fail|review (when audited)
    score: float | None = None  # OIT score 0-100
    run_id: int | None = None
    report: str | None = None  # link/path to the site report


@dataclass
class Alert:
    kind: str  # "item_changed" | "stale" | "fresh_again"
    site: str
    url: str
    item: str | None
    old: str | None
    new: str | None
    message_th: str
    message_en: str
    key: str  # stable dedup key: sha1 of (kind, site, item, new, since-run)
    first_seen: str  # ISO time the change was first observed (before confirmation)
    run_id: int | None = None  # the run that emitted the alert
    report: str | None = None  # link/path to that run's report of the site
    error: str | None = None  # stale/fresh_again: why the site could not be audited

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def status_label(status: str | None, lang: str = "th") -> str:
    if status is None:
        return "-"
    pair = _STATUS.get(status)
    if pair is None:
        return status
    return pair[0] if lang == "th" else pair[1]


def new_state() -> dict[str, Any]:
    return {"version": STATE_VERSION, "sites": {}, "sent": [], "outbox": []}


def _normalise(state: dict[str, Any] | None) -> dict[str, Any]:
    out = copy.deepcopy(state) if state else new_state()
    version = out.setdefault("version", STATE_VERSION)
    if version != STATE_VERSION:
        raise ValueError(f"alert state version {version!r} is not supported (expected {STATE_VERSION})")
    out.setdefault("sites", {})
    out.setdefault("sent", [])
    out.setdefault("outbox", [])
    return out


def _key(kind: str, site: str, item: str | None, new: str | None, since: Any) -> str:
    raw = json.dumps([kind, site, item, new, since], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _new_site(obs: Observation) -> dict[str, Any]:
    return {
        "url": obs.url,
        "last_run": None,
        "items": {},
        "pending": {},
        "failures": 0,
        "fail_since": None,
        "last_error": None,
        "stale": None,
        "last_audited": None,
        "score": None,
        "report": None,
    }


def _item_alert(obs: Observation, item: str, old: str, new: str, pend: dict[str, Any], confirm_runs: int) -> Alert:
    th = (
        f"{item} เปลี่ยนจาก {status_label(old)} เป็น {status_label(new)} (ยืนยัน {confirm_runs} รอบ)"
    )
    runs = "run" if confirm_runs == 1 else "runs"
    en = (
        f"{item} changed from {status_label(old, 'en')} to {status_label(new, 'en')} "
        f"(confirmed over {confirm_runs} {runs})"
    )
    return Alert(
        kind="item_changed", site=obs.site, url=obs.url, item=item, old=old, new=new, message_th=th, message_en=en,
        key=_key("item_changed", obs.site, item, new, pend["since"]), first_seen=pend["first_seen"],
        run_id=obs.run_id, report=obs.report,
    )


def _stale_alert(obs: Observation, rec: dict[str, Any]) -> Alert:
    nights = rec["failures"]
    error = obs.error or rec["last_error"]
    th = f"ไม่สามารถตรวจเว็บไซต์ได้ {nights} คืนติดต่อกัน ข้อมูลที่แสดงอาจไม่เป็นปัจจุบัน"
    en = f"The website could not be audited for {nights} consecutive nights; the data shown may be out of date"
    if error:
        th += f": {error}"
        en += f": {error}"
    since = rec["fail_since"]
    return Alert(
        kind="stale", site=obs.site, url=obs.url, item=None, old=None, new=None, message_th=th, message_en=en,
        key=_key("stale", obs.site, None, None, since["run"] if since["run"] is not None else since["at"]),
        first_seen=since["at"], run_id=obs.run_id, report=rec.get("report"), error=error,
    )


def _fresh_alert(obs: Observation, rec: dict[str, Any], now_iso: str) -> Alert:
    nights = rec["failures"]
    th = f"กลับมาตรวจเว็บไซต์ได้แล้ว หลังจากตรวจไม่ได้ {nights} คืนติดต่อกัน ข้อมูลเป็นปัจจุบันอีกครั้ง"
    en = f"The website could be audited again after {nights} consecutive failed nights; the data is current again"
    since = rec["fail_since"] or {"run": None, "at": now_iso}
    return Alert(
        kind="fresh_again", site=obs.site, url=obs.url, item=None, old=None, new=None, message_th=th,
        message_en=en,
        key=_key("fresh_again", obs.site, None, None, since["run"] if since["run"] is not None else since["at"]),
        first_seen=now_iso, run_id=obs.run_id, report=obs.report, error=rec["last_error"],
    )


def plan(
    state: dict[str, Any] | None,
    observations: list[Observation],
    *,
    now: datetime,
    confirm_runs: int = 2,
    stale_after: int = 3,
) -> tuple[dict[str, Any], list[Alert]]:
    """Apply one night's observations; return the new state and the alerts to send (see the module docstring).

    ``state`` is not modified; ``{}`` or ``None`` is an empty state. Observations are applied in order; give one
    per site per run.
    """
    if confirm_runs < 1:
        raise ValueError("confirm_runs must be at least 1")
    if stale_after < 1:
        raise ValueError("stale_after must be at least 1")
    out = _normalise(state)
    now_iso = now.isoformat(timespec="seconds")
    sent: list[str] = out["sent"]
    sent_set = set(sent)
    alerts: list[Alert] = []

    def emit(alert: Alert) -> None:
        if alert.key in sent_set:
            return
        sent_set.add(alert.key)
        sent.append(alert.key)
        alerts.append(alert)

    for obs in observations:
        rec = out["sites"].get(obs.site)
        first = rec is None
        if rec is None:
            rec = out["sites"][obs.site] = _new_site(obs)
        elif obs.run_id is not None and rec["last_run"] is not None and obs.run_id <= rec["last_run"]:
            continue  # this run (or an older one) was already applied
        if obs.run_id is not None:
            rec["last_run"] = obs.run_id
        rec["url"] = obs.url

        if not obs.audited:
            if rec["failures"] == 0:
                rec["fail_since"] = {"run": obs.run_id, "at": now_iso}
            rec["failures"] += 1
            if obs.error:
                rec["last_error"] = obs.error
            if rec["failures"] >= stale_after and rec["stale"] is None and not first:
                emit(_stale_alert(obs, rec))
                rec["stale"] = {"run": obs.run_id, "at": now_iso, "nights": rec["failures"]}
            continue

        # Audited tonight.
        if rec["stale"] is not None and not first:
            emit(_fresh_alert(obs, rec, now_iso))
        rec["stale"] = None
        rec["failures"] = 0
        rec["fail_since"] = None
        rec["last_error"] = None
        rec["last_audited"] = now_iso
        rec["score"] = obs.score
        rec["report"] = obs.report

        confirmed: dict[str, str] = rec["items"]
        pending: dict[str, dict[str, Any]] = rec["pending"]
        for item in [i for i in confirmed if i not in obs.items]:  # dropped from the framework: silent
            del confirmed[item]
            pending.pop(item, None)
        for item in [i for i in pending if i not in obs.items]:
            del pending[item]
        for item, status in obs.items.items():
            old = confirmed.get(item)
            if old is None:  # first night, or an item new to the framework: baseline
                confirmed[item] = status
                pending.pop(item, None)
                continue
            if status == old:  # back to the confirmed status before confirmation: flapping, drop
                pending.pop(item, None)
                continue
            pend = pending.get(item)
            if pend is None or pend["status"] != status:
                pend = pending[item] = {
                    "status": status,
                    "count": 0,
                    "first_seen": now_iso,
                    "since": obs.run_id if obs.run_id is not None else now_iso,
                }
            pend["count"] += 1
            if pend["count"] >= confirm_runs:
                emit(_item_alert(obs, item, old, status, pend, confirm_runs))
                confirmed[item] = status
                del pending[item]

    if len(sent) > SENT_KEYS_LIMIT:
        del sent[: len(sent) - SENT_KEYS_LIMIT]
    return out, alerts


# --- outbox -----------------------------------------------------------------------------------------------------


def queue(
    state: dict[str, Any] | None, alerts: Iterable[Alert], *, channels: Iterable[str] = (DEFAULT_CHANNEL,)
) -> dict[str, Any]:
    """Return a copy of ``state`` with ``alerts`` added to the outbox for ``channels`` (an alert already queued is
    not added twice; it gains the channels it lacked)."""
    out = _normalise(state)
    wanted = list(dict.fromkeys(channels))
    if not wanted:
        raise ValueError("queue needs at least one channel")
    outbox: list[dict[str, Any]] = out["outbox"]
    by_key = {entry["alert"]["key"]: entry for entry in outbox}
    for alert in alerts:
        entry = by_key.get(alert.key)
        if entry is None:
            entry = by_key[alert.key] = {"alert": asdict(alert), "channels": list(wanted)}
            outbox.append(entry)
        else:
            entry["channels"].extend(c for c in wanted if c not in entry["channels"])
    if len(outbox) > OUTBOX_LIMIT:
        dropped = len(outbox) - OUTBOX_LIMIT
        del outbox[:dropped]
        out["outbox_dropped"] = out.get("outbox_dropped", 0) + dropped
    return out


def pending(state: dict[str, Any] | None, channel: str = DEFAULT_CHANNEL) -> list[Alert]:
    """Alerts in the outbox not yet delivered on ``channel``, oldest first."""
    if not state:
        return []
    return [Alert.from_dict(e["alert"]) for e in state.get("outbox", []) if channel in e["channels"]]


def delivered(state: dict[str, Any] | None, keys: Iterable[str], channel: str = DEFAULT_CHANNEL) -> dict[str, Any]:
    """Return a copy of ``state`` in which the alerts with ``keys`` are delivered on ``channel``; an alert leaves
    the outbox once delivered on all its channels."""
    out = _normalise(state)
    done = set(keys)
    kept = []
    for entry in out["outbox"]:
        if entry["alert"]["key"] in done and channel in entry["channels"]:
            entry["channels"].remove(channel)
        if entry["channels"]:
            kept.append(entry)
    out["outbox"] = kept
    return out
