"""History and diff over stored audits: what became pass or fail, evidence that moved or vanished."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from reports.i18n import has, t
from store import Store


@dataclass
class ItemChange:
    item: str
    old: str | None  # status in A (None: not in A's framework)
    new: str | None
    old_reason: str | None = None
    new_reason: str | None = None
    gone: list[str] = field(default_factory=list)  # evidence URLs in A, not in B
    added: list[str] = field(default_factory=list)  # evidence URLs in B, not in A

    @property
    def kind(self) -> str:
        if self.old != self.new:
            return {"pass": "became_pass", "fail": "became_fail"}.get(self.new or "", "status_changed")
        if self.gone and not self.added:
            return "evidence_vanished"
        return "evidence_moved"


@dataclass
class Diff:
    a: dict  # audit summary: id, run_id, framework, as_of, oit, started
    b: dict
    changes: list[ItemChange]

    @property
    def oit_delta(self) -> float:
        return round(float(self.b["oit"]) - float(self.a["oit"]), 2)

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "oit_delta": self.oit_delta,
                "changes": [{**asdict(c), "kind": c.kind} for c in self.changes]}


def _summary(audit: dict) -> dict:
    keys = ("id", "run_id", "site_id", "framework", "fiscal_year", "as_of", "oit", "band", "complete", "created")
    return {k: audit[k] for k in keys}


def diff_audits(store: Store, audit_a: int, audit_b: int) -> Diff:
    a, b = store.audit(audit_a), store.audit(audit_b)
    changes = []
    for item in list(dict.fromkeys([*a["items"], *b["items"]])):
        va, vb = a["items"].get(item), b["items"].get(item)
        old, new = (va or {}).get("status"), (vb or {}).get("status")
        ea, eb = (va or {}).get("evidence", []), (vb or {}).get("evidence", [])
        change = ItemChange(item, old, new, (va or {}).get("reason"), (vb or {}).get("reason"),
                            gone=[u for u in ea if u not in eb], added=[u for u in eb if u not in ea])
        # Evidence changes matter while the item passes (where its proof now lives); a failing item's
        # candidate list churns without meaning.
        if old != new or (old == new == "pass" and (change.gone or change.added)):
            changes.append(change)
    return Diff(_summary(a), _summary(b), changes)


def diff_runs(store: Store, run_a: int, run_b: int) -> Diff:
    return diff_audits(store, store.audit_of_run(run_a), store.audit_of_run(run_b))


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")


def render_diff(d: Diff, lang: str = "th") -> str:
    th = lang == "th"
    def status(s: str | None) -> str:
        return t(f"status_short.{s}", lang) if s and has(f"status_short.{s}") else s or "—"

    lines = [
        (f"เทียบรอบ {d.a['run_id']} ({_when(d.a['created'])}) กับรอบ {d.b['run_id']} ({_when(d.b['created'])})"
         if th else f"run {d.a['run_id']} ({_when(d.a['created'])}) → run {d.b['run_id']} ({_when(d.b['created'])})"),
        (f"คะแนน OIT {d.a['oit']:.2f} → {d.b['oit']:.2f} ({d.oit_delta:+.2f})" if th
         else f"OIT score {d.a['oit']:.2f} → {d.b['oit']:.2f} ({d.oit_delta:+.2f})"),
    ]
    if d.a["framework"] != d.b["framework"]:
        lines.append(f"{'กรอบการประเมินต่างกัน' if th else 'different frameworks'}: "
                     f"{d.a['framework']} / {d.b['framework']}")
    if not d.changes:
        lines.append("ไม่มีข้อใดเปลี่ยนแปลง" if th else "no item changed")
    heads = {"became_pass": ("กลายเป็นผ่าน", "became pass"), "became_fail": ("กลายเป็นไม่ผ่าน", "became fail"),
             "status_changed": ("สถานะเปลี่ยน", "status changed"),
             "evidence_moved": ("หลักฐานย้ายที่", "evidence moved"),
             "evidence_vanished": ("หลักฐานหายไป", "evidence vanished")}
    for kind, (h_th, h_en) in heads.items():
        group = [c for c in d.changes if c.kind == kind]
        if not group:
            continue
        lines.append(f"\n{h_th if th else h_en} ({len(group)})")
        for c in group:
            reason = f" [{c.new_reason}]" if c.new_reason and c.new_reason != "ok" else ""
            lines.append(f"  {c.item:5} {status(c.old)} → {status(c.new)}{reason}")
            lines += [f"        − {u}" for u in c.gone[:5]] + [f"        + {u}" for u in c.added[:5]]
    return "\n".join(lines)


def history_rows(store: Store, site: dict, limit: int = 60) -> list[dict]:
    """Audits of a site, oldest first, with pass/fail counts and what changed since the one before."""
    found = (store.audits(site_id=site["id"], limit=limit) if site["id"] is not None
             else store.audits(start_url=site["url"], limit=limit))
    rows: list[dict] = []
    previous = None
    for row in reversed(found):
        audit = store.audit(row["id"])
        counts = {s: sum(1 for v in audit["items"].values() if v["status"] == s) for s in ("pass", "fail", "review")}
        entry = {**row, **counts, "became_pass": [], "became_fail": []}
        if previous is not None and previous["framework"] == audit["framework"]:
            for item, v in audit["items"].items():
                before = previous["items"].get(item, {}).get("status")
                if before and before != v["status"]:
                    entry["became_pass" if v["status"] == "pass" else "became_fail"].append(item)
        rows.append(entry)
        previous = audit
    return rows


def render_history(site: dict, rows: list[dict], lang: str = "th") -> str:
    th = lang == "th"
    lines = [f"{site['name']}  {site['url']}" if site["name"] != site["url"] else site["url"]]
    if not rows:
        lines.append("ยังไม่มีผลการตรวจ" if th else "no audits yet")
        return "\n".join(lines)
    head = ("วันที่ตรวจ        รอบ  กรอบ                 ปีงบ  OIT    ผ่าน ไม่ผ่าน รอตรวจ  เปลี่ยนแปลง" if th
            else "audited           run  framework            FY    OIT    pass fail review  changes")
    lines.append(head)
    for r in rows:
        change = " ".join([f"+{i}" for i in r["became_pass"]] + [f"-{i}" for i in r["became_fail"]])
        lines.append(f"{_when(r['created']):17} {r['run_id']:4}  {r['framework']:20} {r['fiscal_year']:4}  "
                     f"{r['oit']:6.2f} {r['pass']:4} {r['fail']:7} {r['review']:6}  {change}")
    first, last = rows[0]["oit"], rows[-1]["oit"]
    lines.append(("คะแนน OIT " if th else "OIT score ") + f"{first:.2f} → {last:.2f} ({last - first:+.2f})")
    return "\n".join(lines)
