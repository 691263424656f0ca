"""Every shipped rule pack: its list, its shared concepts, its scoring, and user packs built on it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checks.pack import PackError, builtin_packs, load_pack
from checks.results import ItemVerdict
from checks.score import item_weights, score
from oitcheck.cli import main

SIZES = {"bma-district-2568": 22, "nacc-2562": 48, "nacc-2564": 43, "nacc-2566": 43}


def outcome(pack_id: str, failing: set[str]) -> list[ItemVerdict]:
    pack = load_pack(pack_id)
    w = item_weights(pack)
    return [ItemVerdict(i.id, "", "", "", "fail" if i.id in failing else "pass", "absent" if i.id in failing
                        else "ok", i.confidence, w[i.id], 0.0 if i.id in failing else 100.0) for i in pack.items]


def test_shipped_packs_load_with_every_item_numbered_in_order() -> None:
    assert builtin_packs() == sorted(SIZES)
    for pid, n in SIZES.items():
        pack = load_pack(pid)
        assert [i.id for i in pack.items] == [f"O{k}" for k in range(1, n + 1)], pid
        assert all(i.source and i.confidence in "QSRI" and i.components for i in pack.items), pid
        assert abs(sum(item_weights(pack).values()) - 100) < 1e-9, pid


def test_2563_and_2565_select_the_2564_list() -> None:
    assert load_pack("nacc-2563") is load_pack("nacc-2564") is load_pack("nacc-2565")


def test_one_concept_reaches_every_pack_that_uses_it() -> None:
    """The monthly procurement summary is BMA O15, NACC 2562/2564 O23 and NACC 2566 O21."""
    uses = [("bma-district-2568", "O15", "monthly"), ("nacc-2562", "O23", "procurement_monthly"),
            ("nacc-2564", "O23", "procurement_monthly"), ("nacc-2566", "O21", "procurement_monthly")]
    comps = [next(c for c in load_pack(p).item(i).components if c.id == cid) for p, i, cid in uses]
    dumps = [c.model_dump(exclude={"id"}) for c in comps]
    assert all(d == dumps[0] for d in dumps) and dumps[0]["h1_cap"] and dumps[0]["recency"] == ["MONTHLY"]


def test_same_number_means_different_things_across_packs() -> None:
    assert [c.id for c in load_pack("nacc-2564").item("O15").components] == ["service_stats"]
    assert [c.id for c in load_pack("nacc-2566").item("O15").components] == ["service_manual"]
    assert [c.id for c in load_pack("bma-district-2568").item("O15").components] == ["announcements", "monthly"]


def test_2562_inherits_2564_except_where_its_criteria_differ() -> None:
    old, new = load_pack("nacc-2562"), load_pack("nacc-2564")
    assert old.item("O10") == new.item("O10")  # "as 2564 O10"
    assert {e.id for e in old.item("O2").components[0].elements} == {"positions", "names"}  # no photo, no contact
    assert {e.id for e in new.item("O2").components[0].elements} == {"positions", "names", "photo", "contact"}
    assert [i.subindicator for i in old.items[41:]] == ["10.2"] * 7
    assert old.selectable_as == [] and old.fiscal_year == 2562


def test_2566_ethics_drive_has_three_components_with_their_own_recency() -> None:
    item = load_pack("nacc-2566").item("O40")
    assert [(c.id, c.recency) for c in item.components] == [
        ("ethics_team", ["EV"]), ("ethics_guide", ["EV"]), ("ethics_activity", ["CFY"])]


@pytest.mark.parametrize("pack_id, failing, expected", [
    # A Bangkok district's ITA 2564 (criteria §7): one miss in 9.1, one in 9.5 → indicator 9 = 93.78.
    ("nacc-2564", {"O1", "O30"}, {"9": 93.78, "10": 100.0, "oit": 96.89, "band": "AA"}),
    # An ESA's 2566 result: 9.5 = 3/4 and 10.2 = 4/5 → indicator 9 = 95.00, indicator 10 = 90.00.
    ("nacc-2566", {"O28", "O41"}, {"9": 95.0, "10": 90.0, "oit": 92.5, "band": "ผ่านดี"}),
    ("nacc-2562", {f"O{k}" for k in range(1, 49) if k % 3 == 0}, {"band": "C"}),
])
def test_rule_m_scores_and_the_years_grade_bands(pack_id: str, failing: set[str], expected: dict) -> None:
    s = score(load_pack(pack_id), outcome(pack_id, failing))
    inds = {g.id: g.score for g in s.indicators}
    for key in ("9", "10"):
        if key in expected:
            assert inds[key] == expected[key]
    if "oit" in expected:
        assert s.oit == expected["oit"]
    assert s.band == expected["band"]


def test_effective_weights_follow_the_framework_tables() -> None:
    w64, w66 = item_weights(load_pack("nacc-2564")), item_weights(load_pack("nacc-2566"))
    assert round(w64["O1"], 2) == 1.11 and round(w64["O18"], 2) == 1.43 and w64["O42"] == 12.5
    assert w66["O1"] == 1.0 and w66["O19"] == 2.5 and w66["O39"] == 5.0 and round(w66["O31"], 3) == 3.125


def write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_a_custom_pack_extends_a_shipped_one_and_reuses_concepts(tmp_path: Path) -> None:
    custom = write(tmp_path, {
        "id": "province-x-2567", "extends": "nacc-2566", "fiscal_year": 2567, "source": "our office's list",
        "title": {"th": "รายการของจังหวัด", "en": "A province's list"},
        "items": [{"id": "O44", "subindicator": "10.2", "confidence": "I", "source": "local rule",
                   "title": {"th": "ประกาศเจตจำนงสุจริต", "en": "Integrity declaration"},
                   "components": [{"concept": "integrity_declaration", "elements_drop": ["commitment"]}]}]})
    pack = load_pack(custom)
    assert pack.id == "province-x-2567" and len(pack.items) == 44 and pack.item("O15") == load_pack(
        "nacc-2566").item("O15")
    comp = pack.item("O44").components[0]
    assert comp.signed and comp.elements == [] and comp.id == "integrity_declaration"
    assert main(["frameworks", "validate", custom]) == 0


@pytest.mark.parametrize("component, message", [
    ({"concept": "no_such_thing"}, "unknown concept 'no_such_thing'"),
    ({"concept": "structure", "elements_drop": ["photo"]}, "elements_drop names unknown elements ['photo']"),
    ({"concept": "structure", "recency": ["NEVER"]}, "field components.0.recency"),
])
def test_custom_pack_errors_name_the_item(tmp_path: Path, component: dict, message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    custom = write(tmp_path, {
        "id": "broken", "extends": "nacc-2564", "source": "x", "title": {"th": "x", "en": "x"},
        "items": [{"id": "O7", "subindicator": "9.1", "confidence": "I", "source": "x",
                   "title": {"th": "ข่าว", "en": "News"}, "components": [component]}]})
    with pytest.raises(PackError) as err:
        load_pack(custom)
    assert "O7" in str(err.value) and message in str(err.value)
    assert main(["frameworks", "validate", custom]) == 2
    assert message in capsys.readouterr().err


def test_extends_must_name_a_shipped_pack(tmp_path: Path) -> None:
    custom = write(tmp_path, {"id": "x", "extends": "nacc-1999", "items": []})
    with pytest.raises(PackError, match="extends unknown pack 'nacc-1999'"):
        load_pack(custom)


def test_frameworks_show_prints_weights_and_confidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "show", "nacc-2565", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    o42 = next(line for line in out.splitlines() if line.strip().startswith("O42 "))
    assert "nacc-2564" in out and "12.50%" in o42 and "[R]" in o42 and "CFY" in o42 and "AA ≥ 95" in out
    assert "10.2 Internal transparency and anti-corruption measures — 50.0% of indicator 10" in out


def test_the_readme_example_pack_validates(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "province-x-2567.yaml"
    path.write_text(block, encoding="utf-8")
    pack = load_pack(str(path))
    assert pack.id == "province-x-2567" and len(pack.items) == 44
    assert [e.id for e in pack.item("O11").components[0].elements] == ["projects", "budget"]
