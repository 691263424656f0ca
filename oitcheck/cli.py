"""``oitcheck``: audit an agency website against an OIT framework.

    oitcheck audit URL --framework bma-district-2568 [--as-of 2025-05-20] [--format html --output r.html]
    oitcheck check out/site.sqlite --framework bma-district-2568 --as-of 2025-05-20
    oitcheck demo
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
    from oitcheck.audit import check, crawl, default_db

    pack = load_pack(args.framework)
    db = args.db or default_db(args.url)
    crawl(args.url, db, scope=args.scope, max_pages=args.max_pages, max_depth=args.max_depth,
          time_budget=args.time_budget, progress=not args.quiet,
          extra={"DOWNLOAD_MAXSIZE": args.max_size, "OITCHECK_CACHE": args.cache,
                 "OITCHECK_EXTRACT_WORKERS": args.workers})
    result = check(db, pack, as_of=args.as_of, fy=args.fiscal_year, lang=args.lang, scope=args.scope)
    _emit(result, args)
    print(f"evidence store: {db}", file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Judge the URLs an agency plans to submit, item by item, after crawling its site for better ones."""
    from oitcheck.audit import crawl, default_db, verify
    from oitcheck.submission import SubmissionError, load_submission

    pack = load_pack(args.framework)
    try:
        sub = load_submission(args.urls, pack)
        site = args.site or sub.site()
    except (OSError, SubmissionError) as e:
        print(f"oitcheck: {args.urls}: {e}", file=sys.stderr)
        return 2
    db = args.db or default_db(site)
    seeds = [u for urls in sub.urls.values() for u in urls if u.startswith("http")]
    crawl(site, db, scope=args.scope, max_pages=args.max_pages, max_depth=args.max_depth,
          time_budget=args.time_budget, progress=not args.quiet, seeds=seeds,
          extra={"DOWNLOAD_MAXSIZE": args.max_size, "OITCHECK_CACHE": args.cache,
                 "OITCHECK_EXTRACT_WORKERS": args.workers})
    result = verify(db, pack, sub.urls, as_of=args.as_of, fy=args.fiscal_year, lang=args.lang, scope=args.scope)
    _emit(result, args)
    print(f"evidence store: {db}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from oitcheck.audit import check

    if not args.db.exists():
        print(f"oitcheck: no evidence store at {args.db}", file=sys.stderr)
        return 2
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
    a.add_argument("--db", type=Path, help="evidence store (SQLite), default out/<site>-<time>.sqlite")
    a.add_argument("--workers", type=int, help="extraction processes (default: one per core; 0: in the crawl)")
    a.add_argument("--cache", help="extraction cache file (default: extractions.sqlite beside the store);"
                   " 'off' for none")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress line")


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
    c.add_argument("db", type=Path)
    c.add_argument("--run", type=int, help="run id in the store (default: latest)")
    _add_check_options(c)
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("demo", help="audit the bundled demo site served on loopback")
    d.add_argument("--output", "-o", type=Path)
    d.add_argument("--lang", choices=["th", "en"], default="th")
    d.add_argument("--max-pages", type=int, default=1000)
    d.set_defaults(func=cmd_demo)

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
    except PackError as e:
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
