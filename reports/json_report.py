"""Machine-readable output (schema ``reports/audit-schema.json``) and its inverse, for re-rendering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checks.results import (
    JSON_VERSION,
    AuditResult,
    ComponentVerdict,
    Coverage,
    Evidence,
    GroupScore,
    ItemVerdict,
    Score,
)

SCHEMA_PATH = Path(__file__).with_name("audit-schema.json")


def render_json(result: AuditResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def _pick(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Keep the fields ``cls`` knows: additive changes in a newer v1 file must not break older readers."""
    names = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return {k: v for k, v in data.items() if k in names}


def _evidence(d: dict[str, Any]) -> Evidence:
    return Evidence(**_pick(Evidence, d))


def _component(d: dict[str, Any]) -> ComponentVerdict:
    f = _pick(ComponentVerdict, d)
    f["evidence"] = [_evidence(e) for e in f.get("evidence", [])]
    return ComponentVerdict(**f)


def _item(d: dict[str, Any]) -> ItemVerdict:
    f = _pick(ItemVerdict, d)
    f["evidence"] = [_evidence(e) for e in f.get("evidence", [])]
    f["components"] = [_component(c) for c in f.get("components", [])]
    return ItemVerdict(**f)


def from_dict(data: dict[str, Any]) -> AuditResult:
    """Rebuild an ``AuditResult`` from ``to_dict()`` output (e.g. a saved JSON report)."""
    version = data.get("version")
    if version != JSON_VERSION:
        raise ValueError(f"unsupported audit JSON version {version!r}; this build reads {JSON_VERSION}")
    f = _pick(AuditResult, data)
    s = _pick(Score, f["score"])
    s["indicators"] = [GroupScore(**_pick(GroupScore, g)) for g in s.get("indicators", [])]
    s["subindicators"] = [GroupScore(**_pick(GroupScore, g)) for g in s.get("subindicators", [])]
    s["bands"] = [(label, float(lo)) for label, lo in s.get("bands", [])]  # JSON arrays back to tuples
    c = _pick(Coverage, f.get("coverage", {}))
    c["error_urls"] = [(u, why) for u, why in c.get("error_urls", [])]
    c["unparseable"] = [(u, why) for u, why in c.get("unparseable", [])]
    c["cut_off"] = [(u, why) for u, why in c.get("cut_off", [])]
    f["score"] = Score(**s)
    f["coverage"] = Coverage(**c)
    f["items"] = [_item(i) for i in f.get("items", [])]
    return AuditResult(**f)


def load_json(text: str) -> AuditResult:
    return from_dict(json.loads(text))
