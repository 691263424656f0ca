"""What counts as the agency's main website (criteria §4): a host, or a path prefix on a shared portal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# First path segments that are a site's language or entry point, not an agency's prefix.
_NOT_A_PREFIX = {"th", "en", "home", "index", "main", "web", "site", "www", "portal", "public", "th-th", "en-us"}
# Shared upload areas of portals: files there count as the agency's own when linked from its pages.
_SHARED_UPLOADS = re.compile(r"^/(public/)?(user_files_editor|upload|uploads|files|filemanager|storage|media)/", re.I)


def host_key(url: str) -> str:
    """Host without a leading ``www.`` and without default ports; scheme ignored."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class Scope:
    host: str  # host_key of the main website
    prefix: str = "/"  # path prefix ("/bangsommut/") on a shared portal

    @classmethod
    def from_start(cls, start_url: str, override: str | None = None) -> Scope:
        """Derive the scope from the start URL, or take ``--scope URL-PREFIX`` as given."""
        if override:
            parts = urlsplit(override if "://" in override else "http://" + override)
            path = unquote(parts.path or "/")
            return cls(host_key(parts.geturl()), path if path.endswith("/") else path + "/")
        parts = urlsplit(start_url)
        segments = [s for s in unquote(parts.path).split("/") if s]
        prefix = "/"
        # /<district>/ or /<district>/index.php: the first segment is the agency's prefix.
        if segments and segments[0].lower() not in _NOT_A_PREFIX and (
            len(segments) > 1 or unquote(parts.path).endswith("/")
        ) and "." not in segments[0]:
            prefix = f"/{segments[0]}/"
        elif len(segments) > 1 and segments[0].lower() == "public" and "." not in segments[1]:
            prefix = f"/public/{segments[1]}/"
        return cls(host_key(start_url), prefix)

    def _prefixes(self) -> tuple[str, ...]:
        if self.prefix == "/":
            return ("/",)
        # BMA portal variant: /<district>/ and /public/<district>/ are the same agency.
        bare = self.prefix[len("/public"):] if self.prefix.startswith("/public/") else self.prefix
        return (bare, "/public" + bare)

    def same_host(self, url: str) -> bool:
        return host_key(url) == self.host

    def contains(self, url: str) -> bool:
        """Inside the main website proper (host and prefix)."""
        if not self.same_host(url):
            return False
        path = unquote(urlsplit(url).path or "/")
        if not path.endswith("/") and (path + "/") in self._prefixes():
            return True
        return any(path.startswith(p) for p in self._prefixes())

    def is_shared_upload(self, url: str) -> bool:
        """A portal's shared upload area on the same host, outside any agency prefix."""
        return self.same_host(url) and bool(_SHARED_UPLOADS.match(unquote(urlsplit(url).path or "/")))

    def describe(self) -> str:
        return f"{self.host}{self.prefix}"
