"""Batch audits: many sites in one process, bad rows named, failures isolated, interruption resumed,
history and diff over the stored audits, conditional re-audits. Sites are copies of the demo site
served on loopback under their own host names."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from oitcheck.batch import read_sites
from oitcheck.siteserver import SiteServer

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo" / "site" / "hosts"
DEMO_HOST = "www.tuayang.bangkok.test"
AS_OF = "2025-05-20"


def _copy_site(hosts: Path, host: str, drop: tuple[str, ...] = ()) -> None:
    """The demo site under another host name, its absolute links rewritten; ``drop`` removes files."""
    target = hosts / host
    shutil.copytree(DEMO / DEMO_HOST, target)
    for f in target.rglob("*"):
        if f.is_file() and f.suffix.lower() not in (".pdf", ".docx", ".xlsx", ".doc", ".xls", ".png", ".jpg"):
            data = f.read_bytes()
            if DEMO_HOST.encode() in data:
                f.write_bytes(data.replace(DEMO_HOST.encode(), host.encode()))
    for rel in drop:
        for f in target.glob(rel):
            f.unlink()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch-sites")
    hosts = root / "hosts"
    hosts.mkdir()
    for extra in ("eservice.tuayang.bangkok.test", "drive.google.com", "www.nacc.go.test"):
        shutil.copytree(DEMO / extra, hosts / extra)
    _copy_site(hosts, "www.khet-a.bangkok.test")
    _copy_site(hosts, "www.khet-b.bangkok.test", drop=("ita/2568/o7*",))
    _copy_site(hosts, "www.khet-c.bangkok.test")
    blocked = hosts / "www.blocked.bangkok.test"
    blocked.mkdir()
    (blocked / "_routes.yaml").write_text("status:\n  /: 403\n", encoding="utf-8")
    challenge = hosts / "www.challenge.bangkok.test"  # a WAF page answered with 200 in place of the site
    challenge.mkdir()
    (challenge / "index.html").write_text(
        "<html><head><title>Just a moment...</title></head><body><h1>Checking your browser before accessing"
        "</h1><p>Please enable JavaScript and cookies to continue.</p></body></html>", encoding="utf-8")
    return root


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["name", "url", "framework", "scope", "group"], *rows])
    return path


_started: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_orphans() -> Iterator[None]:
    """A failed assertion must not leave a batch running after its test."""
    yield
    while _started:
        proc = _started.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _oitcheck(args: list[str], proxy: str, cwd: Path, **kw) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    env = {**os.environ, "http_proxy": proxy, "OITCHECK_EXTRACT_WORKERS": "0"}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    proc = subprocess.Popen([sys.executable, "-m", "oitcheck.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    _started.append(proc)
    return proc


def test_bad_rows_are_named_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        "name,url,framework,group\n"
        "เขตเอ,http://www.khet-a.bangkok.test/,bma-district-2568,ใต้\n"
        ",http://nameless.test/,bma-district-2568,\n"
        "เขตบี,not a url,bma-district-2568,\n"
        "เขตซี,www.khet-c.bangkok.test,no-such-framework,\n"
        "เขตเอ,http://other.test/,bma-district-2568,\n"
        "เขตดี,http://www.khet-a.bangkok.test,bma-district-2568,\n"
        "เขตอี,www.khet-e.bangkok.test,bma-district-2568,เหนือ,extra\n"
        "# a comment line\n"
        "เขตเอฟ,www.khet-f.bangkok.test,,เหนือ\n", encoding="utf-8")
    rows, problems = read_sites(path, default_framework="bma-district-2568")
    assert [(r.name, r.url, r.group) for r in rows] == [
        ("เขตเอ", "http://www.khet-a.bangkok.test/", "ใต้"),
        ("เขตเอฟ", "http://www.khet-f.bangkok.test", "เหนือ")]
    assert rows[1].framework == "bma-district-2568"  # from the default
    text = "\n".join(problems)
    for line, words in ((3, "no name"), (4, "not a website address"), (5, "unknown framework"),
                        (6, "same name as line 2"), (7, "same address as line 2"), (8, "fields")):
        assert f"sites.csv line {line}" in text and words in text, (line, text)
    # Thai Excel's windows-874 CSV reads the same.
    path.write_bytes("name,url,framework\nเขตเอ,http://a.test/,bma-district-2568\n".encode("cp874"))
    assert read_sites(path)[0][0].name == "เขตเอ"


def _store_rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_batch_isolates_failures_resumes_after_a_kill_and_keeps_history(sites: Path, tmp_path: Path) -> None:
    table = _csv(tmp_path / "sites.csv", [
        ["เขตเอ", "http://www.khet-a.bangkok.test/", "bma-district-2568", "", "ใต้"],
        ["เขตบี", "http://www.khet-b.bangkok.test/", "bma-district-2568", "", "ใต้"],
        ["เขตบล็อก", "http://www.blocked.bangkok.test/", "bma-district-2568", "", "เหนือ"],
        ["เขตหาย", "http://www.nowhere.bangkok.test/", "bma-district-2568", "", "เหนือ"],
        ["เขตซี", "http://www.khet-c.bangkok.test/", "bma-district-2568", "", "เหนือ"],
        ["เขตกั้น", "http://www.challenge.bangkok.test/", "bma-district-2568", "", "เหนือ"],
    ])
    db = tmp_path / "store.sqlite"
    args = ["batch", str(table), "--db", str(db), "--as-of", AS_OF, "--fiscal-year", "2568", "-j", "1",
            "--report-dir", str(tmp_path / "report")]
    with SiteServer(sites) as server:
        # First attempt: killed (no chance to clean up) once one site is done.
        proc = _oitcheck(args, server.proxy, tmp_path)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            try:
                if _store_rows(db, "SELECT count(*) FROM batch_sites WHERE state='done'")[0][0] >= 1:
                    break
            except sqlite3.OperationalError:  # not created yet
                pass
            time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done_before = {r[0] for r in _store_rows(db, "SELECT site_id FROM batch_sites WHERE state='done'")}
        assert done_before, "no site was finished before the kill"
        runs_before = _store_rows(db, "SELECT count(*) FROM runs")[0][0]

        # Same command again: resumes, the finished site is not crawled again.
        proc = _oitcheck(args, server.proxy, tmp_path)
        out, err = proc.communicate(timeout=600)
    assert "resuming batch 1" in err, err
    assert proc.returncode == 1, (out, err)  # two sites could not be audited
    states = dict(_store_rows(db, "SELECT s.name, b.state FROM batch_sites b JOIN sites s ON s.id=b.site_id"))
    assert states == {"เขตเอ": "done", "เขตบี": "done", "เขตซี": "done", "เขตบล็อก": "failed", "เขตหาย": "failed",
                      "เขตกั้น": "failed"}
    errors = dict(_store_rows(db, "SELECT s.name, b.error FROM batch_sites b JOIN sites s ON s.id=b.site_id"))
    assert "blocked: the site refused the crawler (HTTP 403)" in errors["เขตบล็อก"]
    assert "start page unreachable" in errors["เขตหาย"]
    assert "bot-challenge page" in errors["เขตกั้น"]
    # The output speaks Thai (the default) and names the row.
    assert "เขตบล็อก (http://www.blocked.bangkok.test/, line 4): เว็บไซต์ปฏิเสธโปรแกรมตรวจ (HTTP 403)" in out, out
    for site_id in done_before:  # one run only for what was finished before the kill
        runs = _store_rows(db, f"SELECT count(*) FROM runs WHERE site_id={site_id}")[0][0]
        assert runs == 1
    assert _store_rows(db, "SELECT count(*) FROM runs")[0][0] > runs_before
    assert _store_rows(db, "SELECT count(*) FROM batches WHERE finished IS NOT NULL")[0][0] == 1

    # Comparison: heat map, CSV with one row per site, links to the site reports.
    report = tmp_path / "report"
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "เขตบี" in index and "เว็บไซต์ปฏิเสธโปรแกรมตรวจ (HTTP 403)" in index
    with (report / "comparison.csv").open(encoding="utf-8-sig") as f:
        scores = {r[0]: r for r in csv.reader(f)}
    assert set(scores) - {next(iter(scores))} == set(states)
    links = set(re.findall(r'href="([^":]+\.html)"', index))
    assert len(links) == 3 and all((report / link).exists() for link in links), links
    assert all("www.khet-" in (report / link).read_text(encoding="utf-8") for link in links)

    # History and diff: khet-a loses one O7 service manual; a re-audit revalidates the rest (304s)
    # and the diff names O7 alone.
    a_run = _store_rows(db, "SELECT b.run_id FROM batch_sites b JOIN sites s ON s.id=b.site_id "
                            "WHERE s.name='เขตเอ'")[0][0]
    (sites / "hosts" / "www.khet-a.bangkok.test" / "service" / "manual" / "birth.html").unlink()
    with SiteServer(sites) as server:
        proc = _oitcheck(["audit", "http://www.khet-a.bangkok.test/", "-f", "bma-district-2568", "--as-of", AS_OF,
                          "--db", str(db), "-q", "--format", "json", "-o", str(tmp_path / "a2.json")],
                         server.proxy, tmp_path)
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    a2_run = json.loads((tmp_path / "a2.json").read_text(encoding="utf-8"))["run_id"]
    revalidated, fetched = _store_rows(db, f"SELECT sum(revalidated), count(*) FROM documents WHERE run_id={a2_run}")[0]
    assert revalidated > fetched / 2, (revalidated, fetched)
    assert _store_rows(db, f"SELECT status, revalidated FROM documents WHERE run_id={a2_run} "
                           "AND url LIKE '%birth.html'") == [(404, 0)]
    proc = _oitcheck(["diff", str(a_run), str(a2_run), "--db", str(db), "--format", "json"], "", tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    diff = json.loads(out)
    # O7 still passes on the site's other manuals: its evidence vanished, its status held.
    assert [(c["item"], c["kind"]) for c in diff["changes"]] == [("O7", "evidence_vanished")], diff["changes"]
    assert any(u.endswith("/service/manual/birth.html") for u in diff["changes"][0]["gone"])
    assert diff["oit_delta"] == 0
    proc = _oitcheck(["diff", str(a_run), str(a2_run), "--db", str(db)], "", tmp_path)
    assert "O7" in proc.communicate(timeout=60)[0]
    proc = _oitcheck(["history", "khet-a", "--db", str(db)], "", tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "เขตเอ" in out and f" {a_run} " in out and f" {a2_run} " in out, out


def test_a_batch_into_postgresql_stops_on_ctrl_c_and_resumes(sites: Path, tmp_path: Path, pg_url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))

    def rows(sql: str) -> list[tuple]:
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(sa.text(sql))]
        except sa.exc.ProgrammingError:  # tables not created yet
            return []

    table = _csv(tmp_path / "pg.csv", [
        ["เขตบี", "http://www.khet-b.bangkok.test/", "bma-district-2568", "", ""],
        ["เขตซี", "http://www.khet-c.bangkok.test/", "bma-district-2568", "", ""],
        ["เขตบล็อก", "http://www.blocked.bangkok.test/", "bma-district-2568", "", ""],
    ])
    args = ["batch", str(table), "--db", pg_url, "--as-of", AS_OF, "-j", "1", "--report-dir", str(tmp_path / "r")]
    with SiteServer(sites) as server:
        proc = _oitcheck(args, server.proxy, tmp_path)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            if rows("SELECT count(*) FROM batch_sites WHERE state='done'") and \
                    rows("SELECT count(*) FROM batch_sites WHERE state='done'")[0][0] >= 1:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err
        assert "resumes this batch" in err
        states = sorted(r[0] for r in rows("SELECT state FROM batch_sites"))
        assert states.count("done") >= 1 and "running" not in states, states
        assert rows("SELECT finished FROM batches") == [(None,)]

        proc = _oitcheck(args, server.proxy, tmp_path)
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "resuming batch 1" in err, err
    assert dict(rows("SELECT s.name, b.state FROM batch_sites b JOIN sites s ON s.id = b.site_id")) == {
        "เขตบี": "done", "เขตซี": "done", "เขตบล็อก": "failed"}
    audits = rows("SELECT s.name, count(*) FROM audits a JOIN sites s ON s.id = a.site_id GROUP BY s.name")
    assert dict(audits) == {"เขตบี": 1, "เขตซี": 1}  # nothing audited twice
    text = rows("SELECT count(*) FROM contents WHERE text LIKE '%สำนักงานเขต%'")[0][0]
    assert text > 10  # Thai text stored in PostgreSQL
    engine.dispose()


def test_the_scheduler_keeps_the_concurrency_limit_and_one_crawl_per_host(tmp_path: Path) -> None:
    from oitcheck.batch import BatchOptions, BatchRun, SiteOutcome, SiteRow

    portal = [SiteRow(i, f"เขต{i}", f"https://webportal.bangkok.go.th/khet{i}/", "bma-district-2568",
                      f"webportal.bangkok.go.th/khet{i}/") for i in range(1, 4)]
    own = [SiteRow(9 + i, f"อบต.{i}", f"http://www.abt{i}.go.th/", "bma-district-2568") for i in range(1, 4)]
    run = BatchRun(portal + own, "s.csv", BatchOptions(db=str(tmp_path / "s.sqlite"), concurrency=3))
    run.queue = [SiteOutcome(row, i) for i, row in enumerate(portal + own)]
    first = run.next_sites()
    assert [o.row.name for o in first] == ["เขต1", "อบต.1", "อบต.2"]  # one portal district at a time
    run.running = {o.site_id: (o, None, 0.0) for o in first}
    for o in first:
        run.queue.remove(o)
    assert run.next_sites() == []  # the limit is reached
    del run.running[first[1].site_id]  # อบต.1 finished
    assert [o.row.name for o in run.next_sites()] == ["อบต.3"]  # still not a second district
    run.opt.per_host = 2
    assert [o.row.name for o in run.next_sites()] == ["เขต2"]
