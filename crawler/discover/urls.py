"""URL normalisation and scope rules.

`normalize_url` turns every spelling of a URL into one key so the frontier
fetches it once: scheme and host case, default ports, fragments, dot
segments, percent-encoding, sorted query, and tracking/session parameters
removed. It returns None for what a crawler must never fetch (non-http
schemes, malformed or absurdly long URLs).

`host_matches` is the contract's `--own-domain` / `--scope` host rule: a
pattern matches its host with or without `www.`, any subdomain, any scheme
and any port.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from copyhound.crawler.types import DEFAULT_STRIP_PARAMS

# Browsers and sitemaps cap URLs near 2k; 10k-character links are garbage
# or traps (issue 7), never pages worth fetching.
MAX_URL_CHARS = 4096
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left as they are in a path/query; everything else is %-encoded.
_SAFE_PATH = frozenset(b"!$&'()*+,;=:@/-._~%")
_SAFE_QUERY = frozenset(b"!$'()*+,;:@/?-._~%")  # '=' and '&' are separators there
_PCT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# What browsers strip around a URL (WHATWG: C0 controls and space). Not
# str.strip()'s Unicode whitespace: a trailing no-break space is part of the
# URL, as its %C2%A0 spelling is (found by tests/unit/test_fuzz_urls.py).
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
# What a host name may hold once IDNA-encoded (letters, digits, '-', '.', and
# the '_' some real hosts use); anything else is a malformed or hostile link.
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._")
_IPV6_CHARS = frozenset("0123456789abcdef:.")

__all__ = [
    "MAX_URL_CHARS",
    "absolutize",
    "alias_key",
    "alias_rank",
    "host_matches",
    "host_of",
    "is_private_host",
    "make_normalizer",
    "normalize_host_pattern",
    "normalize_url",
]


def _fix_pct(m: re.Match[str]) -> str:
    byte = int(m.group(1), 16)
    # %41 and A are the same URL (RFC 3986 §6.2.2.2): decode unreserved bytes,
    # upper-case the hex of the others.
    return chr(byte) if byte in _UNRESERVED else "%" + m.group(1).upper()


def _quote(part: str, safe: frozenset[int]) -> str:
    if part.isascii() and all(b in safe or b in _UNRESERVED for b in part.encode()):
        out = part
    else:
        out = "".join(
            chr(b) if (b in safe or b in _UNRESERVED) else f"%{b:02X}" for b in part.encode("utf-8", "surrogatepass")
        )
    # A stray '%' not followed by two hex digits is a literal percent sign.
    if "%" in out:
        out = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", out)
        out = _PCT_RE.sub(_fix_pct, out)
    return out


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/" + "/".join(out)


def _param_dropped(name: str, patterns: tuple[str, ...]) -> bool:
    low = name.lower()
    return any(fnmatchcase(low, p) for p in patterns)


def _normalize_host(host: str) -> str | None:
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if ":" in host:  # an IPv6 literal (urlsplit took the brackets off)
        return host if _IPV6_CHARS.issuperset(host) else None
    if not _HOST_CHARS.issuperset(host):  # control characters, spaces, '%', quotes...: httpx refuses them
        return None
    return host


@lru_cache(maxsize=8192)
def _normalize_cached(url: str, strip_params: tuple[str, ...]) -> str | None:
    if len(url) > MAX_URL_CHARS:
        return None
    url = url.strip(_C0_AND_SPACE)
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        hostname = parts.hostname
        port = parts.port
    except ValueError:  # bad port, bad IPv6 literal
        return None
    if not hostname:
        return None
    host = _normalize_host(hostname)
    if host is None:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _remove_dot_segments(_quote(parts.path or "/", _SAFE_PATH))
    if not path.startswith("/"):
        path = "/" + path
    query = ""
    if parts.query:
        pairs = [p for p in parts.query.split("&") if p]
        if strip_params:
            pairs = [p for p in pairs if not _param_dropped(p.split("=", 1)[0], strip_params)]
        if pairs:
            pairs = [_quote(p.split("=", 1)[0], _SAFE_QUERY) + ("=" + _quote(p.split("=", 1)[1], _SAFE_QUERY)
                                                                if "=" in p else "") for p in pairs]
            pairs.sort()
            query = "?" + "&".join(pairs)
    return f"{scheme}://{netloc}{path}{query}"


def normalize_url(
    url: str, *, base: str | None = None, strip_params: Iterable[str] = DEFAULT_STRIP_PARAMS
) -> str | None:
    """The canonical form of `url` (resolved against `base` when relative),
    or None when it is not an http(s) URL worth fetching."""
    resolved = _resolve(url, base)
    if resolved is None:
        return None
    patterns = strip_params if isinstance(strip_params, tuple) else tuple(strip_params)
    return _normalize_cached(resolved, tuple(p.lower() for p in patterns))


def _resolve(url: str, base: str | None) -> str | None:
    """`url` made absolute against `base` (None when it cannot be)."""
    if base is None or url.startswith(("http://", "https://")):
        return url
    if len(url) > MAX_URL_CHARS:
        return None
    try:
        return urljoin(base, url.strip(_C0_AND_SPACE))
    except ValueError:
        return None


def absolutize(link: str, base: str) -> str | None:
    """`link` resolved against `base`, without normalising (None if malformed)."""
    if link.startswith(("http://", "https://")):
        return link
    try:
        return urljoin(base, link.strip(_C0_AND_SPACE))
    except ValueError:
        return None


def host_of(url: str) -> str:
    """The lower-cased host of a normalised URL, without port or brackets."""
    netloc = url.split("/", 3)[2]
    if netloc.startswith("["):
        return netloc[1 : netloc.index("]")]
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def normalize_host_pattern(pattern: str) -> str:
    """`https://WWW.Example.com:8080/x` → `example.com`: the form `host_matches` compares."""
    p = pattern.strip().lower()
    if "://" in p:
        p = p.split("://", 1)[1]
    p = p.split("/", 1)[0].split("?", 1)[0].split("@")[-1]
    if p.startswith("["):
        p = p[1 : p.find("]")] if "]" in p else p[1:]
    elif p.count(":") == 1:
        p = p.split(":", 1)[0]
    p = p.rstrip(".")
    if not p.isascii():
        with contextlib.suppress(UnicodeError):
            p = p.encode("idna").decode("ascii")
    return p.removeprefix("www.")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_matches(host: str, patterns: Iterable[str]) -> bool:
    """True when `host` is one of `patterns` (with or without `www.`) or a
    subdomain of one. Patterns may be hosts, host:port or URLs; IP addresses
    match exactly."""
    h = normalize_host_pattern(host)
    for raw in patterns:
        p = normalize_host_pattern(raw)
        if not p:
            continue
        if h == p or (h.endswith("." + p) and not _is_ip(p)):
            return True
    return False


def is_private_host(host: str) -> bool | None:
    """True for loopback/private/link-local/reserved IP literals and
    `localhost`; False for public IP literals; None for other names (the
    caller resolves them when it matters)."""
    h = host.strip("[]").lower().rstrip(".")
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


def make_normalizer(strip_params: Iterable[str] = DEFAULT_STRIP_PARAMS) -> Callable[..., str | None]:
    """A fast `normalize(url, base=None)` bound to one set of stripped
    parameters (the crawl's hot path: no per-call tuple building)."""
    patterns = tuple(p.lower() for p in strip_params)

    def normalize(url: str, base: str | None = None) -> str | None:
        resolved = _resolve(url, base)
        return None if resolved is None else _normalize_cached(resolved, patterns)

    return normalize


# Directory index files servers answer for a directory's URL. Stripping them
# in the normaliser would be guessing (a server may serve another page, or
# none, at `/dir/`); two stored pages with the same bytes are the evidence.
_INDEX_FILES = ("index.html", "index.htm", "index.php", "default.htm", "default.html", "default.aspx")


def alias_key(url: str) -> str:
    """What is left of `url` without its query, a trailing directory index
    file and a trailing slash: two pages of one host with the same body whose
    URLs share this key are one page under two URLs (`/`, `/index.html`,
    `/post/` and `/post/index.html`, `/post` and `/post/`, `/?ref=x`)."""
    base = url.split("#", 1)[0].split("?", 1)[0]
    head, _, last = base.rpartition("/")
    if last.lower() in _INDEX_FILES:
        base = head + "/"
    return base.rstrip("/")


def alias_rank(url: str) -> tuple[bool, bool, bool, str]:
    """Which URL of one page's aliases names it (smallest first): no query,
    no index file, the directory form with its slash, then the shortest."""
    no_query = url.split("#", 1)[0].split("?", 1)[0]
    index_file = no_query.rpartition("/")[2].lower() in _INDEX_FILES
    return ("?" in url, index_file, not no_query.endswith("/"), url)
