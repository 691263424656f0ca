"""Roll item verdicts up to sub-indicators, indicators 9 and 10, and the OIT score (criteria §7)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from checks.pack import Pack
from checks.results import GroupScore, ItemVerdict, Score


def round2(x: float) -> float:
    return float(Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _shares(groups: dict, members: dict[str, list[str]]) -> dict[str, float]:
    """A pack's weights, or equal shares (rule M) where it gives none."""
    out = {}
    for ids in members.values():
        given = [groups[i].weight for i in ids]
        if all(w is not None for w in given):
            total = sum(given)  # type: ignore[arg-type]
            out.update({i: groups[i].weight / total for i in ids})  # type: ignore[operator]
        else:
            out.update({i: 1 / len(ids) for i in ids})
    return out


def group_shares(pack: Pack) -> dict[str, float]:
    """Each sub-indicator's share of its indicator and each indicator's share of the OIT, by id."""
    subs_of: dict[str, list[str]] = {}
    for sid, sub in pack.subindicators.items():
        subs_of.setdefault(sub.indicator or "", []).append(sid)
    return {**_shares(pack.subindicators, subs_of), **_shares(pack.indicators, {"": list(pack.indicators)})}


def item_weights(pack: Pack) -> dict[str, float]:
    """Effective weight of each item in % of OIT (criteria §7)."""
    shares = group_shares(pack)
    size: dict[str, int] = {}
    for item in pack.items:
        size[item.subindicator] = size.get(item.subindicator, 0) + 1
    return {item.id: 100 / size[item.subindicator] * shares[item.subindicator]
            * shares[pack.subindicators[item.subindicator].indicator or ""] for item in pack.items}


def score(pack: Pack, items: list[ItemVerdict], lang: str = "th") -> Score:
    by_id = {i.id: i for i in items}
    subs: list[GroupScore] = []
    subs_of: dict[str, list[str]] = {}
    for sid, sub in pack.subindicators.items():
        subs_of.setdefault(sub.indicator or "", []).append(sid)
    share = group_shares(pack)
    sub_value: dict[str, float] = {}
    for sid, sub in pack.subindicators.items():
        ids = [i.id for i in pack.items if i.subindicator == sid]
        value = sum(by_id[i].score for i in ids) / len(ids) if ids else 0.0
        sub_value[sid] = value
        subs.append(GroupScore(sid, getattr(sub.name, lang), round2(value), round2(share[sid]), ids))
    inds: list[GroupScore] = []
    oit = 0.0
    for iid, ind in pack.indicators.items():
        value = sum(sub_value[s] * share[s] for s in subs_of.get(iid, []))
        oit += value * share[iid]
        inds.append(GroupScore(iid, getattr(ind.name, lang), round2(value), round2(share[iid]),
                               subs_of.get(iid, [])))
    oit = round2(oit)
    band = next((b.label for b in pack.bands if oit >= b.min), pack.bands[-1].label)
    return Score(oit=oit, indicators=inds, subindicators=subs,
                 complete=not any(i.status == "review" for i in items), band=band,
                 bands=[(b.label, b.min) for b in pack.bands])
