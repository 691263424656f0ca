"""The store behaves the same on SQLite and on a real PostgreSQL server: evidence, audits, batches."""

from __future__ import annotations

import sqlalchemy as sa

from checks.results import AuditResult, Coverage, Evidence, ItemVerdict, Score
from crawler.documents import Document, Extraction, Link
from store import Store
from store.migrate import head


def _result(run_id: int, statuses: dict[str, str], oit: float) -> AuditResult:
    items = [ItemVerdict(id=i, title=f"ข้อ {i}", title_en=i, subindicator="9.1", status=s,
                         reason="ok" if s == "pass" else "absent", confidence="I", weight=5.0,
                         score=100.0 if s == "pass" else 0.0,
                         evidence=[Evidence(url=f"http://x.go.th/{i}.pdf")] if s == "pass" else [],
                         missing=[] if s == "pass" else ["ประกาศ"])
             for i, s in statuses.items()]
    return AuditResult(framework="bma-district-2568", framework_title="t", site="http://x.go.th/", scope="x.go.th",
                       fiscal_year=2570, as_of="2026-12-01", run_id=run_id, db="", items=items,
                       score=Score(oit=oit, indicators=[], subindicators=[], complete=True, band="A"),
                       coverage=Coverage())


def test_evidence_round_trips_with_thai_text_and_stray_nul(store_target: str) -> None:
    store = Store(store_target)
    run = store.start_run("http://www.x.go.th/", "www.x.go.th", {"max_pages": 10})
    ex = Extraction(kind="pdf", title="แผนปฏิบัติราชการ ประจำปี ๒๕๗๐", text="ประกาศ\x00 ณ วันที่ ๑ ตุลาคม ๒๕๖๙",
                    pages=3, links=[Link(url="http://www.x.go.th/a", text="ก")], source="ocr", ocr_pages=1,
                    ocr_confidence=80.5, notes=["หมายเหตุ"])
    store.add_document(run, Document(url="http://www.x.go.th/plan.pdf", final_url="", status=200, sha256="abc",
                                     size=10, extraction=ex), [["date", "2026-10-01"]], etag='"v1"',
                       last_modified="Thu, 01 Oct 2026 00:00:00 GMT")
    store.add_document(run, Document(url="http://www.x.go.th/gone", final_url="", status=404, error="http_404"))
    store.add_skipped(run, "http://www.x.go.th/cal?m=1", "trap_suspected", "http://www.x.go.th/")
    store.finish_run(run, {"pages": 1, "finish_reason": "finished"})
    # Writing the same URL twice in one run keeps one row, the later one.
    store.add_document(run, Document(url="http://www.x.go.th/gone", final_url="", status=410, error="http_410"))

    docs = {d.url: d for d in store.documents(run)}
    assert set(docs) == {"http://www.x.go.th/plan.pdf", "http://www.x.go.th/gone"}
    plan = docs["http://www.x.go.th/plan.pdf"].extraction
    assert plan.title == ex.title and plan.text == "ประกาศ ณ วันที่ ๑ ตุลาคม ๒๕๖๙"
    assert (plan.links[0].text, plan.source, plan.ocr_confidence, plan.notes) == ("ก", "ocr", 80.5, ["หมายเหตุ"])
    assert docs["http://www.x.go.th/gone"].error == "http_410"
    assert store.skipped(run) == [("http://www.x.go.th/cal?m=1", "trap_suspected", "http://www.x.go.th/")]
    assert store.run_info(run)["stats"]["finish_reason"] == "finished"
    assert store.latest_run() == run
    assert store.validators(run) == {"http://www.x.go.th/plan.pdf": {
        "url": "http://www.x.go.th/plan.pdf", "final_url": "", "status": 200, "content_type": "", "size": 10,
        "sha256": "abc", "etag": '"v1"', "last_modified": "Thu, 01 Oct 2026 00:00:00 GMT"}}
    assert store.extraction("abc").title == ex.title  # type: ignore[union-attr]


def test_audits_sites_batches_and_alert_state(store_target: str) -> None:
    store = Store(store_target)
    site = store.upsert_site("สำนักงานเขตบางรัก", "http://bangrak.go.th/", "bma-district-2568", None, "กรุงเทพใต้")
    assert store.upsert_site("สำนักงานเขตบางรัก", "http://bangrak.go.th/", "bma-district-2568", None, "ใต้") == site
    assert store.find_site("bangrak")["grp"] == "ใต้"
    run1 = store.start_run("http://bangrak.go.th/", "bangrak.go.th", {}, site_id=site)
    a1 = store.save_audit(_result(run1, {"O1": "pass", "O2": "fail"}, 50.0), site)
    run2 = store.start_run("http://bangrak.go.th/", "bangrak.go.th", {}, site_id=site)
    a2 = store.save_audit(_result(run2, {"O1": "pass", "O2": "pass"}, 100.0), site)
    assert [a["id"] for a in store.audits(site_id=site)] == [a2, a1]
    got = store.audit(a1)
    assert got["items"]["O2"] == {"status": "fail", "reason": "absent", "score": 0.0, "weight": 5.0,
                                  "evidence": [], "missing": ["ประกาศ"]}
    assert got["items"]["O1"]["evidence"] == ["http://x.go.th/O1.pdf"]
    assert store.audit_of_run(run2) == a2

    batch, resumed = store.open_batch("sites.csv", "f1", "batch", {})
    assert not resumed and store.open_batch("sites.csv", "f1", "batch", {}) == (batch, True)
    store.set_batch_site(batch, site, row=2, state="running")
    store.set_batch_site(batch, site, state="done", run_id=run2, audit_id=a2)
    assert store.batch_sites(batch)[site]["state"] == "done"
    store.finish_batch(batch)
    assert store.open_batch("sites.csv", "f1", "batch", {})[1] is False  # finished: a new batch

    store.save_alert_state("nightly", {"sites": {"บางรัก": {"O1": "pass"}}})
    store.save_alert_state("nightly", {"sites": {"บางรัก": {"O1": "fail"}}})
    assert store.alert_state("nightly") == {"sites": {"บางรัก": {"O1": "fail"}}}
    assert store.alert_state("other") == {}


def test_a_new_store_is_at_the_head_revision_and_matches_the_schema(store_target: str) -> None:
    from store.schema import metadata

    store = Store(store_target)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head()
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name


def test_diff_names_items_that_became_pass_or_fail_and_evidence_that_moved(store_target: str) -> None:
    from oitcheck.history import diff_runs, history_rows, render_diff

    store = Store(store_target)
    site = store.upsert_site("เขตบางรัก", "http://x.go.th/")
    run_a = store.start_run("http://x.go.th/", "x.go.th", {}, site_id=site)
    store.save_audit(_result(run_a, {"O1": "pass", "O2": "fail", "O3": "pass", "O4": "fail"}, 50.0), site)
    run_b = store.start_run("http://x.go.th/", "x.go.th", {}, site_id=site)
    moved = _result(run_b, {"O1": "pass", "O2": "pass", "O3": "fail", "O4": "fail"}, 50.0)
    moved.items[0].evidence = [Evidence(url="http://x.go.th/new/O1.pdf")]
    store.save_audit(moved, site)
    d = diff_runs(store, run_a, run_b)
    assert {c.item: c.kind for c in d.changes} == {"O1": "evidence_moved", "O2": "became_pass", "O3": "became_fail"}
    assert d.changes[0].gone == ["http://x.go.th/O1.pdf"] and d.changes[0].added == ["http://x.go.th/new/O1.pdf"]
    text = render_diff(d, "th")
    assert "กลายเป็นผ่าน (1)" in text and "กลายเป็นไม่ผ่าน (1)" in text and "หลักฐานย้ายที่ (1)" in text
    rows = history_rows(store, store.find_site("บางรัก"))
    assert [(r["run_id"], r["became_pass"], r["became_fail"]) for r in rows] == [
        (run_a, [], []), (run_b, ["O2"], ["O3"])]


def test_migrations_go_down_and_up_again_keeping_the_evidence(store_target: str) -> None:
    from alembic import command

    from store.migrate import _config, current

    store = Store(store_target)
    run = store.start_run("http://www.x.go.th/", "www.x.go.th", {})
    store.add_document(run, Document(url="http://www.x.go.th/", final_url="", status=200, sha256="h",
                                     extraction=Extraction(kind="html", text="หน้าแรก")), etag='"e"')
    with store.engine.begin() as conn:
        command.downgrade(_config(conn), "0001")
        assert current(conn) == "0001"
        assert "sites" not in sa.inspect(conn).get_table_names()
        command.upgrade(_config(conn), "head")
        assert current(conn) == head()
    [doc] = list(store.documents(run))
    assert doc.extraction.text == "หน้าแรก"
    assert store.validators(run) == {}  # validators went with the downgrade; the evidence stayed
