"""``oitcheck verify``: the URLs an agency plans to submit, judged item by item on a real loopback crawl."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from checks.pack import load_pack
from oitcheck.siteserver import SiteServer
from oitcheck.submission import SubmissionError, load_submission

ITEMS = Path(__file__).parent / "fixtures" / "items" / "nacc-2564"
HOST = "www.tambon-fixture.test"
SITE = f"http://{HOST}/"
PLAN = "plan/2564/แผนดำเนินงานประจำปี 2564.pdf"
REPORT = "plan/2564/รายงานการกำกับติดตามการดำเนินงาน รอบ 6 เดือน.pdf"


def url(path: str) -> str:
    return SITE + quote(path)


# -- reading the submission ------------------------------------------------------------------------

def test_csv_reads_item_labels_as_sites_write_them(tmp_path: Path) -> None:
    path = tmp_path / "submit.csv"
    path.write_text("\ufeffข้อ,URL ที่ส่ง,url2,คำอธิบาย\n"
                    "o10,http://a.go.th/plan.pdf,,แผนปี 2564\n"
                    "O๑๑,\"http://a.go.th/r1.pdf\nhttp://a.go.th/r2.pdf\",http://a.go.th/r3.pdf,\n"
                    "ข้อ 12,http://a.go.th/annual.pdf,,\n\n", encoding="utf-8")
    sub = load_submission(path, load_pack("nacc-2564"))
    assert sub.urls == {"O10": ["http://a.go.th/plan.pdf"],
                        "O11": ["http://a.go.th/r1.pdf", "http://a.go.th/r2.pdf", "http://a.go.th/r3.pdf"],
                        "O12": ["http://a.go.th/annual.pdf"]}
    assert sub.explanations == {"O10": "แผนปี 2564"} and sub.site() == "http://a.go.th/"


def test_yaml_forms(tmp_path: Path) -> None:
    path = tmp_path / "submit.yaml"
    path.write_text("O1: http://a.go.th/structure\n"
                    "O2: [http://a.go.th/exec, http://a.go.th/exec2]\n"
                    "O30: {urls: [mailto:complaint@a.go.th], explanation: อีเมลรับเรื่องร้องเรียน}\n", encoding="utf-8")
    sub = load_submission(path, load_pack("nacc-2564"))
    assert sub.urls["O2"] == ["http://a.go.th/exec", "http://a.go.th/exec2"]
    assert sub.urls["O30"] == ["mailto:complaint@a.go.th"] and sub.explanations["O30"] == "อีเมลรับเรื่องร้องเรียน"


@pytest.mark.parametrize(("row", "message"), [
    ("O99,http://a.go.th/x.pdf", "row 2: 'O99' is not an item of nacc-2564 (O1–O43)"),
    ("O3,/relative/page.html", "row 2: '/relative/page.html' is not an absolute http(s) URL"),
])
def test_bad_rows_are_named(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "submit.csv"
    path.write_text(f"item,url\n{row}\n", encoding="utf-8")
    with pytest.raises(SubmissionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_submission(path, load_pack("nacc-2564"))


# -- judging the submitted URLs --------------------------------------------------------------------

def make_site(root: Path) -> None:
    """A tambon site with the FY 2564 plan and six-month report, and a per-item page for the report."""
    h = root / "hosts" / HOST
    (h / "plan" / "2564").mkdir(parents=True)
    shutil.copy(ITEMS / "O10" / "pass" / "hosts" / HOST / PLAN, h / PLAN)
    shutil.copy(ITEMS / "O11" / "pass" / "hosts" / HOST / REPORT, h / REPORT)
    (h / "ita").mkdir()
    (h / "ita" / "o11.html").write_text(
        "<html><head><meta charset='utf-8'><title>O11 รายงานการกำกับติดตาม รอบ 6 เดือน</title></head><body>"
        f"<h1>O11</h1><p><a href='/{quote(REPORT)}'>ดาวน์โหลด</a></p>"
        "<p><a href='/about.html'>เกี่ยวกับเรา</a></p></body></html>", encoding="utf-8")
    (h / "index.html").write_text(
        "<html><head><meta charset='utf-8'><title>องค์การบริหารส่วนตำบลทดสอบ</title></head><body>"
        f"<a href='/{quote(PLAN)}'>แผนดำเนินงานประจำปี 2564</a> <a href='/ita/o11.html'>ITA O11</a>"
        "</body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("verify")
    make_site(root / "site")
    submit = root / "submit.csv"
    # O10: the six-month report submitted as the plan (wrong); O11: the per-item page (right, one click
    # from the file); O12: nothing submitted.
    submit.write_text(f"item,url\nO10,{url(REPORT)}\nO11,{SITE}ita/o11.html\n", encoding="utf-8")
    out = root / "verify.json"
    with SiteServer(root / "site") as server:
        env = {**os.environ, "http_proxy": server.proxy}
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        proc = subprocess.run(
            [sys.executable, "-m", "oitcheck.cli", "verify", "--framework", "nacc-2564", "--urls", str(submit),
             "--as-of", "2021-05-20", "--format", "json", "--output", str(out), "--db", str(root / "v.sqlite"),
             "-q"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {i["id"]: i for i in json.loads(out.read_text(encoding="utf-8"))["items"]}


def test_a_wrong_url_fails_and_the_right_one_on_the_site_is_named(verified: dict) -> None:
    o10 = verified["O10"]
    assert (o10["status"], o10["reason"]) == ("fail", "absent")
    assert o10["components"][0]["detail"] == "URL ที่จะส่งไม่แสดงข้อมูลนี้"
    assert o10["alternatives"] == [url(PLAN)]


def test_a_page_that_links_the_file_passes_on_the_file(verified: dict) -> None:
    o11 = verified["O11"]
    assert (o11["status"], o11["reason"]) == ("pass", "ok")
    assert [e["url"] for e in o11["evidence"]] == [url(REPORT)] and o11["alternatives"] == []


def test_an_item_without_a_submitted_url(verified: dict) -> None:
    o12 = verified["O12"]
    assert o12["status"] == "fail" and o12["components"][0]["detail"] == "ไม่ได้ระบุ URL ที่จะส่งสำหรับข้อนี้"
