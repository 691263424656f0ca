"""Rule packs validate with errors that name the item and field; scores follow the pack's weights."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checks.engine import combine
from checks.pack import PackError, load_pack
from checks.results import ComponentVerdict, ItemVerdict
from checks.score import item_weights, score
from crawler.scope import Scope

PACK = "bma-district-2568"


def verdict(item_id: str, status: str, pack_weights: dict[str, float]) -> ItemVerdict:
    return ItemVerdict(item_id, "", "", "", status, "ok" if status == "pass" else "absent", "I",
                       pack_weights[item_id], 100.0 if status == "pass" else 0.0)


def test_shipped_pack_has_all_22_items_with_sources() -> None:
    pack = load_pack(PACK)
    assert [i.id for i in pack.items] == [f"O{n}" for n in range(1, 23)]
    assert all(i.source and i.confidence in "QSRI" for i in pack.items)


def test_bad_pack_names_the_item_and_field(tmp_path: Path) -> None:
    data = yaml.safe_load((Path(__file__).parent.parent / "item_specs" / f"{PACK}.yaml").read_text("utf-8"))
    data["items"][4]["components"][0]["recency"] = ["SOMETIMES"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(str(bad))
    assert "item O5" in str(err.value) and "recency" in str(err.value)


def test_unknown_framework_lists_shipped_packs() -> None:
    with pytest.raises(PackError, match=PACK):
        load_pack("nacc-1999")


def test_effective_weights_match_the_bma_table() -> None:
    w = item_weights(load_pack(PACK))
    assert round(w["O1"], 2) == 3.98 and round(w["O5"], 2) == 1.99 and round(w["O15"], 2) == 3.75
    assert round(w["O16"], 2) == 15.94 and round(w["O18"], 2) == 3.12 and round(w["O22"], 2) == 12.5
    assert abs(sum(w.values()) - 100) < 1e-9


def test_prawet_2567_published_result_is_reproduced() -> None:
    """Only O15 failed: 9.3 = 66.67, indicator 9 = 95.00, OIT = 96.25 as published."""
    pack = load_pack(PACK)
    w = item_weights(pack)
    items = [verdict(i.id, "fail" if i.id == "O15" else "pass", w) for i in pack.items]
    s = score(pack, items)
    subs = {g.id: g.score for g in s.subindicators}
    inds = {g.id: g.score for g in s.indicators}
    assert subs["9.3"] == 66.67 and inds["9"] == 95.0 and inds["10"] == 100.0 and s.oit == 96.25
    assert s.complete and s.band == "ผ่านดีเยี่ยม"


def test_review_marks_the_score_incomplete() -> None:
    pack = load_pack(PACK)
    w = item_weights(pack)
    items = [verdict(i.id, "review" if i.id == "O1" else "pass", w) for i in pack.items]
    assert not score(pack, items).complete


@pytest.mark.parametrize("states, expected", [
    ([("pass", "ok"), ("pass", "ok")], ("pass", "ok")),
    ([("pass", "not_yet_due")], ("pass", "not_yet_due")),
    ([("fail", "absent"), ("fail", "absent")], ("fail", "absent")),
    ([("pass", "ok"), ("fail", "absent")], ("fail", "incomplete")),
    ([("fail", "stale"), ("fail", "broken")], ("fail", "stale")),
    ([("fail", "absent"), ("fail", "broken")], ("fail", "broken")),
    ([("review", "unverified"), ("pass", "ok")], ("review", "unverified")),
    ([("review", "unverified"), ("fail", "absent")], ("fail", "incomplete")),
])
def test_components_combine_as_the_criteria_say(states: list, expected: tuple) -> None:
    comps = [ComponentVerdict(f"c{i}", "", s, r, "CFY") for i, (s, r) in enumerate(states)]
    assert combine(comps) == expected


@pytest.mark.parametrize("url, scope, inside, outside", [
    ("http://www.khet.go.th/", "khet.go.th/", "https://khet.go.th/a/b.pdf", "http://eservice.khet.go.th/"),
    ("http://webportal.bangkok.go.th/bangkhen/", "webportal.bangkok.go.th/bangkhen/",
     "http://webportal.bangkok.go.th/public/bangkhen/page/1", "http://webportal.bangkok.go.th/bangsue/"),
    ("http://www.site.go.th/index.php", "site.go.th/", "http://site.go.th/ita/", "http://other.go.th/"),
    ("http://www.site.go.th/th/home", "site.go.th/", "http://site.go.th/en/", "http://drive.google.com/x"),
])
def test_scope_of_the_main_website(url: str, scope: str, inside: str, outside: str) -> None:
    s = Scope.from_start(url)
    assert s.describe() == scope
    assert s.contains(inside) and not s.contains(outside)


def test_shared_upload_tree_is_recognised() -> None:
    s = Scope.from_start("http://webportal.bangkok.go.th/bangkhen/")
    assert s.is_shared_upload("http://webportal.bangkok.go.th/public/user_files_editor/12/ITA/a.pdf")
    assert not s.contains("http://webportal.bangkok.go.th/public/user_files_editor/12/ITA/a.pdf")
