"""A loopback web server for fixture and demo sites, keyed by host name.

A site folder holds ``hosts/<hostname>/`` document roots. The server answers both as an HTTP
proxy (absolute-form request lines, so a crawler with ``http_proxy`` set reaches every host by
its real-looking name) and as an origin server (by ``Host`` header, falling back to the first
host). ``hosts/<host>/_routes.yaml`` adds redirects, status codes, headers, content types and
delays, so bad input (404, loops, windows-874, slow pages) is served for real, never mocked.
Unknown hosts get 502, as an offline proxy would answer.
"""

from __future__ import annotations

import mimetypes
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml


class _Host:
    def __init__(self, root: Path) -> None:
        self.root = root
        routes_file = root / "_routes.yaml"
        routes = yaml.safe_load(routes_file.read_text(encoding="utf-8")) if routes_file.exists() else {}
        routes = routes or {}
        self.redirects = {unquote(k): v for k, v in (routes.get("redirects") or {}).items()}
        self.status = {unquote(k): int(v) for k, v in (routes.get("status") or {}).items()}
        self.headers = {unquote(k): v for k, v in (routes.get("headers") or {}).items()}
        self.content_type = {unquote(k): v for k, v in (routes.get("content_type") or {}).items()}
        self.delay = {unquote(k): float(v) for k, v in (routes.get("delay") or {}).items()}

    @staticmethod
    def _lookup(table: dict, path: str, query: str):
        if query and f"{path}?{query}" in table:
            return table[f"{path}?{query}"]
        return table.get(path)

    def file_for(self, path: str, query: str) -> Path | None:
        rel = path.lstrip("/")
        candidates = []
        if query:  # a query string is a file named "<path>?<query>" or, as in the shared corpus, "<path>@<query>"
            candidates += [self.root / f"{rel}?{query}", self.root / f"{rel}@{query}"]
        candidates.append(self.root / rel)
        for c in candidates:
            try:
                c = c.resolve()
                c.relative_to(self.root.resolve())
            except (ValueError, OSError):
                return None
            if c.is_dir():
                c = c / "index.html"
            if c.is_file() and not c.name.startswith("_"):
                return c
        return None


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a crawler closing a connection early (size limit, shutdown) is not an error here


class SiteServer:
    """Serve ``<site>/hosts/*`` on 127.0.0.1 in a background thread."""

    def __init__(self, site: Path, port: int = 0, conditional: bool = True) -> None:
        self.conditional = conditional  # answer If-None-Match with 304 Not Modified
        hosts_dir = Path(site) / "hosts"
        self.hosts = {p.name.lower(): _Host(p) for p in sorted(hosts_dir.iterdir()) if p.is_dir()}
        if not self.hosts:
            raise ValueError(f"no hosts/<hostname>/ folders under {site}")
        self.default_host = next(iter(self.hosts))
        self.requests: list[dict] = []
        handler = self._handler_class()
        self.httpd = _QuietServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve(head=True)

            def do_GET(self) -> None:  # noqa: N802
                self._serve(head=False)

            def _serve(self, head: bool) -> None:
                parts = urlsplit(self.path)
                host = (parts.hostname or self.headers.get("Host", "").split(":")[0]).lower()
                if host.startswith("127.0.0.1") or host in ("localhost", ""):
                    host = server.default_host
                path = unquote(parts.path or "/")
                query = unquote(parts.query)
                site = server.hosts.get(host)
                status = self._respond(site, host, path, query, head)
                server.requests.append({"host": host, "path": path, "query": query, "status": status})

            def _send(self, status: int, body: bytes, headers: dict, head: bool) -> int:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
                return status

            def _respond(self, site: _Host | None, host: str, path: str, query: str, head: bool) -> int:
                if site is None:
                    return self._send(502, b"unknown host", {"Content-Type": "text/plain"}, head)
                for prefix, seconds in site.delay.items():
                    if path.startswith(prefix):
                        time.sleep(seconds)
                redirect = site._lookup(site.redirects, path, query)
                if redirect:
                    code, location = redirect
                    return self._send(int(code), b"", {"Location": quote(location, safe=":/?&=%#")}, head)
                code = site._lookup(site.status, path, query)
                if code:
                    return self._send(code, b"", {"Content-Type": "text/plain"}, head)
                file = site.file_for(path, query)
                if file is None:
                    body = b"<html><body><h1>404 Not Found</h1></body></html>"
                    return self._send(404, body, {"Content-Type": "text/html"}, head)
                ctype = site._lookup(site.content_type, path, query)
                if not ctype:
                    name = file.name.split("@")[0].split("?")[0] or "index.html"
                    ctype = mimetypes.guess_type(name)[0] or "text/html"
                    if ctype.startswith("text/") and "charset" not in ctype:
                        ctype += "; charset=utf-8"
                body = file.read_bytes()
                # Validators, as a static file server sends them, so re-audits can ask "changed since?".
                stat = file.stat()
                etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
                headers = {"Content-Type": ctype, "ETag": etag,
                           "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
                headers.update(site._lookup(site.headers, path, query) or {})
                if server.conditional and self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", {"ETag": etag}, head=True)
                return self._send(200, body, headers, head)

        return Handler


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Serve a fixture site folder (hosts/<host>/...) on loopback")
    ap.add_argument("site", type=Path)
    ap.add_argument("--port", type=int, default=8999)
    args = ap.parse_args()
    with SiteServer(args.site, args.port) as srv:
        print(f"serving {args.site} on {srv.proxy} (use it as http_proxy)")
        srv.thread.join()


if __name__ == "__main__":
    main()
