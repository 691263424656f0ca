"""``oitcheck``: audit an agency website against an OIT framework.

    oitcheck audit URL --framework bma-district-2568 [--as-of 2025-05-20] [--format html --output r.html]
    oitcheck check out/oitcheck.sqlite [--run N | --site NAME] --framework bma-district-2568 --as-of 2025-05-20
    oitcheck demo
    oitcheck batch sites.csv [--concurrency 4]          many sites, one comparison report; resumes
    oitcheck nightly sites.csv --webhook URL --smtp URL  for cron: alerts on confirmed changes only
    oitcheck history SITE      oitcheck diff RUN_A RUN_B      oitcheck db status|upgrade
    oitcheck frameworks list | show ID | validate FILE
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from checks.pack import PackError, builtin_packs, load_pack
from checks.results import AuditResult
from store import StoreError

REPO = Path(__file__).resolve().parent.parent
DEMO_SITE = REPO / "demo" / "site"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_check_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--framework", "-f", required=True, help="pack id (see 'frameworks list') or a YAML file")
    p.add_argument("--as-of", type=_date, help="audit date, default today")
    p.add_argument("--fiscal-year", type=int, help="assessed fiscal year (B.E.), default from --as-of")
    p.add_argument("--format", choices=["table", "json", "html", "itas"], default="table",
                   help="itas: the ITAS submission sheet, CSV (XLSX when --output ends in .xlsx)")
    p.add_argument("--output", "-o", type=Path, help="write the report here (default: stdout for table/json)")
    p.add_argument("--lang", choices=["th", "en"], default="th")


def _emit(result: AuditResult, args: argparse.Namespace) -> None:
    from reports import render

    if args.format == "itas" and args.output and args.output.suffix.lower() == ".xlsx":
        from reports.itas import write_itas_xlsx

        write_itas_xlsx(result, args.output, args.lang)
        print(render(result, "table", args.lang))
        print(f"\nITAS sheet: {args.output.resolve()}")
        return
    text = render(result, args.format, args.lang)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        if args.format != "table":
            print(render(result, "table", args.lang))
        print(f"\nreport: {args.output.resolve()}")
    else:
        print(text)


def cmd_audit(args: argparse.Namespace) -> int:
    from oitcheck.audit import check, crawl, default_db, save
    from store import describe

    pack = load_pack(args.framework)
    db = args.db or default_db()
    run_id = crawl(args.url, db, scope=args.scope, max_pages=args.max_pages, max_depth=args.max_depth,
                   time_budget=args.time_budget, progress=not args.quiet, incremental=not args.full,
                   extra={"DOWNLOAD_MAXSIZE": args.max_size, "OITCHECK_CACHE": args.cache,
                          "OITCHECK_EXTRACT_WORKERS": args.workers})
    result = check(db, pack, run_id=run_id, as_of=args.as_of, fy=args.fiscal_year, lang=args.lang,
                   scope=args.scope)
    save(db, result)
    _emit(result, args)
    print(f"store: {describe(db)} (run {run_id})", file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Judge the URLs an agency plans to submit, item by item, after crawling its site for better ones."""
    from oitcheck.audit import crawl, default_db, verify
    from oitcheck.submission import SubmissionError, load_submission
    from store import describe

    pack = load_pack(args.framework)
    try:
        sub = load_submission(args.urls, pack)
        site = args.site or sub.site()
    except (OSError, SubmissionError) as e:
        print(f"oitcheck: {args.urls}: {e}", file=sys.stderr)
        return 2
    db = args.db or default_db()
    seeds = [u for urls in sub.urls.values() for u in urls if u.startswith("http")]
    run_id = crawl(site, db, scope=args.scope, max_pages=args.max_pages, max_depth=args.max_depth,
                   time_budget=args.time_budget, progress=not args.quiet, seeds=seeds, incremental=not args.full,
                   extra={"DOWNLOAD_MAXSIZE": args.max_size, "OITCHECK_CACHE": args.cache,
                          "OITCHECK_EXTRACT_WORKERS": args.workers})
    result = verify(db, pack, sub.urls, run_id=run_id, as_of=args.as_of, fy=args.fiscal_year, lang=args.lang,
                    scope=args.scope)
    _emit(result, args)
    print(f"store: {describe(db)} (run {run_id})", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from oitcheck.audit import check
    from store import is_url

    if not is_url(args.db) and not Path(args.db).exists():
        print(f"oitcheck: no store at {args.db}", file=sys.stderr)
        return 2
    if args.site and not args.run:
        from store import Store

        store = Store(args.db)
        site = store.find_site(args.site)
        args.run = store.latest_run(start_url=site["url"])
    result = check(args.db, load_pack(args.framework), run_id=args.run, as_of=args.as_of,
                   fy=args.fiscal_year, lang=args.lang)
    _emit(result, args)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the bundled demo site on loopback and audit it through a proxy, like a real site."""
    import yaml

    from oitcheck.audit import check, crawl
    from oitcheck.siteserver import SiteServer

    meta = yaml.safe_load((DEMO_SITE / "site.yaml").read_text(encoding="utf-8"))
    out = args.output or Path("out/demo-report.html")
    db = Path("out/demo.sqlite")
    if db.exists():
        db.unlink()
    with SiteServer(DEMO_SITE) as server:
        os.environ["http_proxy"] = server.proxy
        os.environ.pop("no_proxy", None)
        os.environ.pop("NO_PROXY", None)
        crawl(meta["start_url"], db, max_pages=args.max_pages, progress=True)
    as_of = date.fromisoformat(str(meta["as_of"]))
    result = check(db, load_pack(meta["framework"]), as_of=as_of, fy=int(meta["fiscal_year"]), lang=args.lang)
    args.format, args.output = "html", out
    _emit(result, args)
    return 0


def cmd_frameworks(args: argparse.Namespace) -> int:
    from checks.pack import pack_aliases
    from checks.score import group_shares, item_weights, round2

    lang = args.lang
    if args.action == "list":
        also: dict[str, list[str]] = {}
        for alias, pid in pack_aliases().items():
            also.setdefault(pid, []).append(alias)
        for pid in builtin_packs():
            pack = load_pack(pid)
            extra = f"  (also {', '.join(sorted(also[pid]))})" if pid in also else ""
            print(f"{pid:20} {len(pack.items):3} items  {getattr(pack.title, lang)}{extra}")
        return 0
    if not args.target:
        print("oitcheck: frameworks show/validate need an id or a file", file=sys.stderr)
        return 2
    pack = load_pack(args.target)
    comps = sum(len(i.components) for i in pack.items)
    if args.action == "validate":
        print(f"{args.target}: valid — {pack.id}, {len(pack.items)} items, {comps} components, "
              f"{len(pack.subindicators)} sub-indicators")
        return 0
    weights, shares = item_weights(pack), group_shares(pack)
    print(f"{pack.id}: {getattr(pack.title, lang)}")
    print(f"source: {pack.source}")
    if pack.selectable_as:
        print(f"also selectable as: {', '.join(pack.selectable_as)}")
    print("bands: " + ", ".join(f"{b.label} ≥ {b.min:g}" for b in pack.bands))
    for iid, ind in pack.indicators.items():
        print(f"\n{'ตัวชี้วัด' if lang == 'th' else 'indicator'} {iid} {getattr(ind.name, lang)} "
              f"— {round2(shares[iid] * 100)}% of OIT")
        for sid, sub in pack.subindicators.items():
            if sub.indicator != iid:
                continue
            print(f"  {sid} {getattr(sub.name, lang)} — {round2(shares[sid] * 100)}% of indicator {iid}")
            for item in (i for i in pack.items if i.subindicator == sid):
                recency = "+".join(r for c in item.components for r in c.recency)
                print(f"    {item.id:4} {round2(weights[item.id]):6.2f}%  [{item.confidence}] {recency:14} "
                      f"{getattr(item.title, lang)}")
    print(f"\n{len(pack.items)} items, {comps} components. Weights are each item's share of the OIT score; "
          "confidence: Q quoted, S second-hand, R recalled, I inferred.")
    return 0


def _add_crawl_options(a: argparse.ArgumentParser) -> None:
    a.add_argument("--scope", help="URL prefix of the main website on a shared portal (default: derived)")
    a.add_argument("--max-pages", type=int, default=3000, help="page budget (pages and documents)")
    a.add_argument("--max-depth", type=int, default=8, help="link depth budget")
    a.add_argument("--time-budget", type=int, default=1800, help="crawl time budget, seconds")
    a.add_argument("--max-size", type=int, default=64 * 1024 * 1024, help="largest file fetched, bytes")
    _add_db_option(a)
    a.add_argument("--full", action="store_true",
                   help="fetch everything again (no conditional requests against the previous run)")
    a.add_argument("--workers", type=int, help="extraction processes (default: one per core; 0: in the crawl)")
    a.add_argument("--cache", help="extraction cache file (default: extractions.sqlite beside the store);"
                   " 'off' for none")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress line")


def _add_db_option(a: argparse.ArgumentParser) -> None:
    a.add_argument("--db", help="store: a SQLite file or postgresql://user@host/db "
                   "(default: $OITCHECK_DB, else out/oitcheck.sqlite)")


def _add_batch_options(b: argparse.ArgumentParser) -> None:
    b.add_argument("sites", type=Path, help="CSV with columns name,url,framework[,scope][,group]")
    b.add_argument("--framework", "-f", help="framework for rows that name none")
    b.add_argument("--concurrency", "-j", type=int, default=4, help="sites crawled at once (default 4)")
    b.add_argument("--per-host", type=int, default=1,
                   help="sites crawled at once on one host, e.g. the districts of a shared portal (default 1)")
    b.add_argument("--as-of", type=_date, help="audit date, default today")
    b.add_argument("--fiscal-year", type=int, help="assessed fiscal year (B.E.), default from --as-of")
    b.add_argument("--lang", choices=["th", "en"], default="th")
    b.add_argument("--report-dir", type=Path, help="site reports and comparison (default out/<kind>-<id>/)")
    b.add_argument("--title", help="title of the comparison report")
    _add_crawl_options(b)
    b.set_defaults(max_pages=1500, time_budget=1200)


def _batch_options(args: argparse.Namespace, **more: object) -> object:
    from oitcheck.audit import default_db
    from oitcheck.batch import BatchOptions

    return BatchOptions(
        db=args.db or default_db(), concurrency=max(1, args.concurrency), per_host=max(1, args.per_host),
        max_pages=args.max_pages,
        max_depth=args.max_depth, time_budget=args.time_budget, as_of=args.as_of, fiscal_year=args.fiscal_year,
        lang=args.lang, report_dir=args.report_dir, progress=not args.quiet, incremental=not args.full,
        extra={"DOWNLOAD_MAXSIZE": args.max_size, "OITCHECK_CACHE": args.cache,
               "OITCHECK_EXTRACT_WORKERS": args.workers}, **more)


def _read_sites(args: argparse.Namespace) -> list | None:
    from oitcheck.batch import SitesFileError, read_sites

    try:
        rows, problems = read_sites(args.sites, args.framework)
    except SitesFileError as e:
        print(f"oitcheck: {e}", file=sys.stderr)
        return None
    for p in problems:
        print(f"oitcheck: {p}", file=sys.stderr)
    if not rows:
        print(f"oitcheck: {args.sites}: no usable row", file=sys.stderr)
        return None
    args.rejected = len(problems)
    return rows


def _batch_summary(summary: object, lang: str, title: str | None) -> Path:
    from oitcheck.batch import write_comparison

    index = write_comparison(summary, lang, title)  # type: ignore[arg-type]
    done = [s for s in summary.sites if s.state == "done"]  # type: ignore[attr-defined]
    failed = summary.failed  # type: ignore[attr-defined]
    print(f"{len(done)} sites audited, {len(failed)} could not be audited"
          + (", interrupted" if summary.interrupted else "")  # type: ignore[attr-defined]
          + f" ({summary.seconds:.0f} s)")  # type: ignore[attr-defined]
    for s in failed:
        print(f"  ✗ {s.row.name} ({s.row.url}, line {s.row.line}): {s.error_text(lang)}")
    print(f"comparison: {index.resolve()}")
    return index


def cmd_batch(args: argparse.Namespace) -> int:
    from oitcheck.batch import BatchRun

    rows = _read_sites(args)
    if rows is None:
        return 2
    summary = BatchRun(rows, args.sites.name, _batch_options(args, fresh=args.fresh)).run()  # type: ignore[arg-type]
    _batch_summary(summary, args.lang, args.title)
    if summary.interrupted:
        return 130
    return 1 if summary.failed or args.rejected else 0


def cmd_nightly(args: argparse.Namespace) -> int:
    from oitcheck.nightly import nightly

    rows = _read_sites(args)
    if rows is None:
        return 2
    return nightly(rows, args)


def cmd_history(args: argparse.Namespace) -> int:
    from oitcheck.audit import default_db
    from oitcheck.history import history_rows, render_history
    from store import Store

    store = Store(args.db or default_db())
    site = store.find_site(args.site)
    rows = history_rows(store, site, args.limit)
    if args.format == "json":
        import json

        print(json.dumps({"site": site, "audits": rows}, ensure_ascii=False, indent=1, default=str))
    else:
        print(render_history(site, rows, args.lang))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from oitcheck.audit import default_db
    from oitcheck.history import diff_runs, render_diff
    from store import Store

    store = Store(args.db or default_db())
    d = diff_runs(store, args.run_a, args.run_b)
    if args.format == "json":
        import json

        print(json.dumps(d.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(render_diff(d, args.lang))
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from oitcheck.audit import default_db
    from store import Store, describe
    from store.migrate import current, head

    target = args.db or default_db()
    store = Store(target)  # opening migrates an older store in place
    with store.engine.connect() as conn:
        revision = current(conn)
    print(f"{describe(target)}: {store.engine.dialect.name}, schema revision {revision} (current: {head()})")
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="oitcheck", description="OIT (ITA) website compliance checker")
    sub = ap.add_subparsers(dest="command", required=True)

    a = sub.add_parser("audit", help="crawl a site, check every item, score and report")
    a.add_argument("url")
    _add_check_options(a)
    _add_crawl_options(a)
    a.set_defaults(func=cmd_audit)

    v = sub.add_parser("verify", help="judge the URLs you plan to submit to ITAS, item by item")
    v.add_argument("--urls", type=Path, required=True,
                   help="CSV (item, url …, explanation) or YAML (O1: [url, …]) of the URLs to submit")
    v.add_argument("--site", help="the main website's start URL (default: the host most submitted URLs are on)")
    _add_check_options(v)
    _add_crawl_options(v)
    v.set_defaults(func=cmd_verify)

    c = sub.add_parser("check", help="re-check a stored run without crawling")
    c.add_argument("db", help="store: a SQLite file or a postgresql:// URL")
    c.add_argument("--run", type=int, help="run id in the store (default: the latest, of --site if given)")
    c.add_argument("--site", help="the latest run of this site (name, URL or part of either)")
    _add_check_options(c)
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("demo", help="audit the bundled demo site served on loopback")
    d.add_argument("--output", "-o", type=Path)
    d.add_argument("--lang", choices=["th", "en"], default="th")
    d.add_argument("--max-pages", type=int, default=1000)
    d.set_defaults(func=cmd_demo)

    b = sub.add_parser("batch", help="audit many sites listed in a CSV; one comparison report; resumes")
    _add_batch_options(b)
    b.add_argument("--fresh", action="store_true", help="start over instead of resuming an unfinished batch")
    b.set_defaults(func=cmd_batch)

    n = sub.add_parser("nightly", help="a batch for cron or a systemd timer, alerting on confirmed changes only")
    _add_batch_options(n)
    n.add_argument("--webhook", help="URL to POST alerts to as JSON")
    n.add_argument("--smtp", help="smtp://user@host:port?from=a@x&to=b@y,c@z (password: $OITCHECK_SMTP_PASSWORD)")
    n.add_argument("--confirm-runs", type=int, default=2, help="nights a change must hold before it alerts")
    n.add_argument("--stale-after", type=int, default=3, help="failed nights before a 'data is stale' notice")
    n.set_defaults(func=cmd_nightly)

    h = sub.add_parser("history", help="a site's audits over time: scores, items that changed")
    h.add_argument("site", help="site name, URL or part of either")
    _add_db_option(h)
    h.add_argument("--limit", type=int, default=60)
    h.add_argument("--format", choices=["table", "json"], default="table")
    h.add_argument("--lang", choices=["th", "en"], default="th")
    h.set_defaults(func=cmd_history)

    df = sub.add_parser("diff", help="what changed between two runs: items, evidence, score")
    df.add_argument("run_a", type=int)
    df.add_argument("run_b", type=int)
    _add_db_option(df)
    df.add_argument("--format", choices=["table", "json"], default="table")
    df.add_argument("--lang", choices=["th", "en"], default="th")
    df.set_defaults(func=cmd_diff)

    g = sub.add_parser("db", help="the store: show its schema revision; opening it migrates an older one")
    g.add_argument("action", choices=["status", "upgrade"])
    _add_db_option(g)
    g.set_defaults(func=cmd_db)

    f = sub.add_parser("frameworks", help="list, show or validate rule packs")
    f.add_argument("action", choices=["list", "show", "validate"])
    f.add_argument("target", nargs="?", help="pack id, or a YAML file for show/validate")
    f.add_argument("--lang", choices=["th", "en"], default="th")
    f.set_defaults(func=cmd_frameworks)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (PackError, StoreError) as e:
        print(f"oitcheck: {e}", file=sys.stderr)
        return 2
    except (ValueError, LookupError) as e:
        print(f"oitcheck: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head or less and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
