"""A fault-injecting HTTP/1.1 server on 127.0.0.1 (port 0, threaded) for the
reliability tests (issue 7): the worst of the web, each fault bounded.

One `FaultServer` is one origin. Its `site` decides robots.txt and what the
home page links to:

- "main": the normal pages below and every page-level fault (broken HTTP
  itself too: garbage status line, 2 MB header, bad chunk, two lengths...);
- "sitemaps": robots.txt naming the hostile sitemaps (a ~50 MB one, one
  that includes itself, billion laughs, external entities and DTD, a 60 MB
  one with no length), crawled with a realistic timeout (50 MB takes
  seconds on loopback);
- "clean": the normal pages alone (the baseline a hostile crawl must equal);
- "flaky": 500, 502, 503 and 429 with Retry-After (a host of its own, since
  back-off is per host and would slow the other faults' host);
- "robots-huge": a 10 MB robots.txt; "robots-garbage": binary robots.txt;
- "farm": a link farm, every page linking to FARM_LINKS new pages of the host;
- "cookies": a chain of pages, each setting COOKIES_PER_PAGE new cookies.

The normal pages are two posts of generated prose, a verbatim copy of the
first on another URL with other chrome, and a tag archive holding both: they
form clusters. No hostile page carries their prose, so the clusters of a
hostile crawl must equal those of a crawl of the clean site.

Every endless or dripping answer stops by itself: at most `MAX_FAULT_S`
seconds and a fixed number of bytes. `requests` logs every path asked for,
so a test can assert that an external entity or a `javascript:` link was
never fetched.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_FAULT_S = 4.0  # no answer hangs or drips longer than this
ENDLESS_CAP_BYTES = 64 * 1024 * 1024  # an "endless" chunked body stops here
BIG_SITEMAP_BYTES = 49_900_000  # just under the crawler's 50,000,000-byte sitemap cap: read and parsed
HUGE_SITEMAP_BYTES = 60 * 1024 * 1024  # over the cap, sent without Content-Length
BOMB_EXPANDED_BYTES = 256 * 1024 * 1024  # the gzip bomb's size once expanded
ROBOTS_HUGE_BYTES = 10 * 1024 * 1024
NESTING_LEVELS = 100_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

_WORDS_TEXT = """garden soil compost tomato seedling harvest water light season frost root leaf bed mulch
worm spring autumn summer winter plant grow yield variety pest slug shade sun row path fence gate neighbour
market recipe sauce jar shelf cellar onion garlic bean pea squash pumpkin herb basil thyme rosemary patience
weekend morning evening rain wind clay sand loam nitrogen potassium bloom"""
_GLUE_TEXT = "the a of to and in for with on that is was it as at by from this be are or an not we you they"
_WORDS = tuple(_WORDS_TEXT.split())
_GLUE = tuple(_GLUE_TEXT.split())


def prose(seed: int, words: int) -> list[str]:
    """Deterministic pseudo-English paragraphs, about `words` words in all."""
    rng = random.Random(seed)
    paras: list[str] = []
    sentence: list[str] = []
    para: list[str] = []
    for i in range(words):
        sentence.append(rng.choice(_WORDS) if rng.random() < 0.6 else rng.choice(_GLUE))
        if len(sentence) >= rng.randint(8, 16) or i == words - 1:
            para.append(" ".join(sentence).capitalize() + ".")
            sentence = []
            if len(para) >= 4:
                paras.append(" ".join(para))
                para = []
    if para:
        paras.append(" ".join(para))
    return paras


POST_A = ("Why we mulch every bed in autumn", prose(1, 420))
POST_B = ("Onions and garlic through a wet winter", prose(2, 380))


def _chrome(title: str, main: str, *, theme: str = "plain", extra_head: str = "") -> str:
    nav = "".join(f'<li><a href="/{p}">{p}</a></li>' for p in ("about", "contact", "archive"))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{extra_head}</head>'
        f'<body class="{theme}"><header><nav><ul>{nav}</ul></nav></header><main>{main}</main>'
        '<aside class="sidebar"><h3>Subscribe</h3><p>Get our newsletter every week.</p></aside>'
        "<footer><p>© Example Garden Blog</p></footer></body></html>"
    )


def _article(title: str, paras: list[str], *, href: str | None = None) -> str:
    head = f'<a href="{href}">{title}</a>' if href else title
    return f"<article><h1>{head}</h1>" + "".join(f"<p>{p}</p>" for p in paras) + "</article>"


NORMAL_PAGES: dict[str, str] = {
    "/posts/mulch": _chrome(POST_A[0], _article(*POST_A)),
    "/posts/onions": _chrome(POST_B[0], _article(*POST_B)),
    # Declares the original canonical, so the election does not hang on fetch order.
    "/syndicated/mulch": _chrome(POST_A[0] + " (republished)", _article(*POST_A), theme="partner",
                                 extra_head='<link rel="canonical" href="/posts/mulch">'),
    "/tag/garden": _chrome("Tag: garden", _article(POST_A[0], POST_A[1], href="/posts/mulch")
                           + _article(POST_B[0], POST_B[1], href="/posts/onions"), theme="archive"),
}
NORMAL_LINKS = tuple(NORMAL_PAGES)

# Links a crawler must never request.
BAD_LINKS = (
    "javascript:fetch('/pwned-js')", "JavaScript:void(location='/pwned-js2')", "data:text/html,<a href=/pwned-data>",
    "mailto:someone@example.com?body=/pwned-mail", "tel:+15550100", "http://[::1", "http://127.0.0.1:99999/pwned",
    "http://exa mple.com/pwned", "/pwned-long/" + "x" * 10_000, "vbscript:msgbox(1)", "file:///etc/passwd",
)

# Page-level faults on the "main" site: path → what the crawl should record (pages.error_kind).
PAGE_FAULTS: dict[str, str | None] = {
    "/fault/hang": "timeout",
    "/fault/drip": "timeout",
    "/fault/reset": "protocol",
    "/fault/content-length-2gb": "too-large",
    "/fault/endless-chunked": "too-large",
    "/fault/gzip-bomb": "too-large",
    "/fault/binary": "not-html",
    "/fault/redirect-loop-a": None,  # a 302 to …-b, which redirects back: refused there
    "/fault/redirect-loop-b": "redirect-loop",
    "/fault/chain/0": None,  # hops 0..9 are redirects; hop 10 is refused (see CHAIN_REFUSED)
    "/fault/charset-lie": None,  # decoded anyway
    "/fault/nested": None,  # fetched; extraction says why there is no post
    "/fault/bad-links": None,
    "/fault/html-entities": None,  # an HTML page with a DTD, entities and subresources: none loaded
    # Broken HTTP itself, written raw.
    "/proto/garbage-status": "protocol",
    "/proto/huge-header": "protocol",
    "/proto/bad-chunk": "protocol",
    "/proto/two-lengths": "protocol",
    "/proto/close-early": "protocol",
    "/proto/bad-gzip": "decode",
    "/proto/brotli-unasked": "decode",
}
CHAIN_LENGTH = 30
COOKIES_PER_PAGE = 300  # ~10 KB of Set-Cookie a page: a jar that kept them would send 64 KB after 20 pages
FARM_LINKS = 20_000  # distinct in-scope links on every link-farm page
STATUS_FAULTS = {"/status/500": 500, "/status/502": 502, "/status/503": 503, "/status/429": 429}


def _huge_sitemap_chunks(total: int, *, loc: Callable[[int], str]) -> Iterator[bytes]:
    """A urlset of exactly `total` bytes, generated as it is sent."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'.encode()
    foot = b"</urlset>\n"
    yield head
    left = total - len(head) - len(foot)
    i = 0
    while left > 0:
        rows = []
        size = 0
        while size < 65_536 and left - size > 0:
            row = f"<url><loc>{loc(i)}</loc><lastmod>2024-01-01</lastmod></url>\n".encode()
            if len(row) > left - size:  # pad the end with whitespace to the exact size
                row = b" " * (left - size)
            rows.append(row)
            size += len(row)
            i += 1
        left -= size
        yield b"".join(rows)
    yield foot


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """A valid gzip stream of BOMB_EXPANDED_BYTES zeros, ~1000× smaller: one
    fully flushed deflate segment of 1 MiB of zeros, repeated."""
    mib = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    n = BOMB_EXPANDED_BYTES >> 20
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(mib, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + segment * n + c.flush() + struct.pack("<II", crc, BOMB_EXPANDED_BYTES & 0xFFFFFFFF)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the crawler hanging up on a fault is the point


class FaultServer:
    def __init__(self, site: str = "main") -> None:
        if site not in ("main", "sitemaps", "clean", "flaky", "robots-huge", "robots-garbage", "farm", "cookies"):
            raise ValueError(f"unknown fault site {site!r}")
        self.site = site
        self.requests: list[str] = []
        self.cookie_headers: list[str] = []  # the Cookie header of each request ("" when none)
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, prefix: str) -> int:
        with self._lock:
            return sum(1 for p in self.requests if p.startswith(prefix))

    def __enter__(self) -> FaultServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(self.path)
                    server.cookie_headers.append(self.headers.get("Cookie", ""))
                server._route(self)

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- routing ----------------------------------------------------------------------------

    def home_links(self) -> list[str]:
        if self.site == "main":  # (the loop's second half is reached only through its first)
            return [*NORMAL_LINKS, *(p for p in PAGE_FAULTS if p != "/fault/redirect-loop-b")]
        if self.site == "clean":
            return list(NORMAL_LINKS)
        if self.site == "flaky":
            return list(STATUS_FAULTS)
        if self.site == "sitemaps":
            return []
        if self.site == "cookies":
            return ["/c/0"]
        return ["/page"]

    def _route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path == "/robots.txt":
            return self._robots(h)
        if path == "/":
            links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in self.home_links())
            return _send(h, 200, _chrome("Home", f"<ul>{links}</ul>"))
        if path in NORMAL_PAGES:
            return _send(h, 200, NORMAL_PAGES[path])
        if self.site in ("main", "sitemaps"):
            handler = _FAULTS.get(path) or (_chain if path.startswith("/fault/chain/") else None)
            if handler is not None:
                return handler(self, h)
        if self.site == "flaky" and path in STATUS_FAULTS:
            status = STATUS_FAULTS[path]
            headers = {"Retry-After": "1"} if status == 429 else {}
            return _send(h, status, f"<p>error {status}</p>", headers=headers)
        if self.site == "cookies" and path.startswith("/c/"):
            n = int(path[3:] or 0)
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            for i in range(COOKIES_PER_PAGE):
                h.send_header("Set-Cookie", f"session{n}_{i}=tracking-value-{i}; Path=/")
            body = f'<html><body><p>Page {n}</p><a href="/c/{n + 1}">next</a></body></html>'.encode()
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            return _write(h, [body])
        if self.site == "farm":
            links = "".join(f'<a href="/farm{path.rstrip("/")}/{i}">{i}</a> ' for i in range(FARM_LINKS))
            return _send(h, 200, f"<html><body><p>Page {path} of a link farm.</p>{links}</body></html>")
        if self.site.startswith("robots-") and path == "/page":
            return _send(h, 200, _chrome(f"A page on {self.site}", f"<p>A page behind the {self.site} robots.txt"
                                                                   f" of {self.base}.</p>"))
        _send(h, 404, "<p>not found</p>")

    def _robots(self, h: BaseHTTPRequestHandler) -> None:
        if self.site == "robots-huge":
            line = b"Disallow: /nothing-here-" + b"x" * 40 + b"\n"
            body_head = b"User-agent: *\n"
            n = (ROBOTS_HUGE_BYTES - len(body_head)) // len(line)
            h.send_response(200)
            h.send_header("Content-Type", "text/plain")
            h.send_header("Content-Length", str(len(body_head) + n * len(line)))
            h.end_headers()
            _write(h, _repeat(body_head, line, n))
            return
        if self.site == "robots-garbage":
            rng = random.Random(7)
            body = bytes(rng.randrange(256) for _ in range(20_000)) + b"\nDisallow: /page\x00\xff\n"
            return _send(h, 200, body, ctype="text/plain")
        lines = "User-agent: *\nDisallow: /private/\n"
        if self.site == "sitemaps":
            for p in ("/maps/big.xml", "/maps/huge.xml", "/maps/self-index.xml", "/maps/laughs.xml",
                      "/maps/xxe.xml", "/maps/dtd.xml"):
                lines += f"Sitemap: {self.base}{p}\n"
        _send(h, 200, lines, ctype="text/plain")


def _send(h: BaseHTTPRequestHandler, status: int, body: str | bytes, *, ctype: str = "text/html; charset=utf-8",
          headers: dict[str, str] | None = None) -> None:
    data = body.encode() if isinstance(body, str) else body
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    _write(h, [data])


def _write(h: BaseHTTPRequestHandler, chunks: Iterator[bytes] | list[bytes], *, chunked: bool = False) -> None:
    deadline = time.monotonic() + 30.0  # a reader that stalls forever does not keep a thread forever
    try:
        for c in chunks:
            if time.monotonic() > deadline:
                break
            h.wfile.write(b"%x\r\n%s\r\n" % (len(c), c) if chunked else c)
        if chunked:
            h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()
    except OSError:
        pass  # the crawler hung up: expected


def _repeat(head: bytes, line: bytes, n: int) -> Iterator[bytes]:
    yield head
    block = line * 1000
    while n >= 1000:
        yield block
        n -= 1000
    yield line * n


# -- the faults -------------------------------------------------------------------------------


def _hang(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    time.sleep(MAX_FAULT_S)  # no status line at all, then the connection closes


def _drip(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    deadline = time.monotonic() + MAX_FAULT_S
    try:
        while time.monotonic() < deadline:
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(0.05)
    except OSError:
        pass
    h.close_connection = True


def _reset(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "50000")
    h.end_headers()
    try:
        h.wfile.write(b"<html><body><p>" + b"half a page " * 100)
        h.wfile.flush()
        # SO_LINGER 0: close() sends a TCP RST instead of a FIN.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
    except OSError:
        pass
    h.close_connection = True


def _content_length_2gb(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(2 * 1024**3))
    h.end_headers()
    _write(h, (b"<p>" + b"y" * 65_536 for _ in range(ENDLESS_CAP_BYTES // 65_536)))
    h.close_connection = True


def _endless_chunked(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    _write(h, (b"<p>" + b"z" * 65_536 + b"</p>" for _ in range(ENDLESS_CAP_BYTES // 65_536)), chunked=True)
    h.close_connection = True


def _gzip_bomb(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, gzip_bomb(), headers={"Content-Encoding": "gzip"})


def _binary(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    rng = random.Random(3)
    body = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(rng.randrange(256) for _ in range(30_000))
    _send(h, 200, body, ctype="text/html; charset=utf-8")


CHARSET_LIE_TITLE = "Crème brûlée à la française"


def _charset_lie(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    # Declared UTF-8 twice (header and meta), written in windows-1252.
    text = (f'<!doctype html><html><head><meta charset="utf-8"><title>{CHARSET_LIE_TITLE}</title></head>'
            "<body><p>Déjà vu: the header says one charset, the bytes are another.</p></body></html>")
    _send(h, 200, text.encode("cp1252"), ctype="text/html; charset=utf-8")


def _nested(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    head = b"<!doctype html><html><head><title>Deep</title></head><body>"
    _send(h, 200, head + b"<div>" * NESTING_LEVELS + b"deep text" + b"</div>" * NESTING_LEVELS + b"</body></html>")


def _bad_links(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    anchors = "".join(f'<a href="{link}">bad link</a> ' for link in BAD_LINKS)
    _send(h, 200, _chrome("Links nobody should follow", f"<p>{anchors}</p><p>And one good: "
                                                        f'<a href="/posts/onions">onions</a>.</p>'))


def _html_entities(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    x = srv.base + ENTITY_TARGET_PREFIX
    page = (f'<!DOCTYPE html SYSTEM "{x}html.dtd" [<!ENTITY ext SYSTEM "{x}html-entity">]>'
            f'<html><head><title>Entities &ext;</title><link rel="stylesheet" href="{x}style.css">'
            f'<script src="{x}script.js"></script></head><body><p>Text &ext; here.</p>'
            f'<img src="{x}image.png"><iframe src="{x}frame.html"></iframe><object data="{x}object"></object>'
            f'<video src="{x}video"></video></body></html>')
    _send(h, 200, page)


def _loop_a(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    _send(h, 302, "", headers={"Location": "/fault/redirect-loop-b"})


def _loop_b(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    _send(h, 302, "", headers={"Location": "/fault/redirect-loop-a"})


def _chain(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    n = int(h.path.rsplit("/", 1)[1] or 0)
    if n >= CHAIN_LENGTH:
        return _send(h, 200, _chrome("End of the chain", "<p>You followed thirty redirects.</p>"))
    _send(h, 301, "", headers={"Location": f"/fault/chain/{n + 1}"})


# -- hostile XML (named in robots.txt as sitemaps) ---------------------------------------------


def _urlset(srv: FaultServer, locs: list[str], doctype: str = "") -> str:
    rows = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?>{doctype}<urlset xmlns="{SITEMAP_NS}">{rows}</urlset>'


def _big_sitemap(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/xml")
    h.send_header("Content-Length", str(BIG_SITEMAP_BYTES))
    h.end_headers()
    # Its entries are out of scope: read, counted, not crawled.
    _write(h, _huge_sitemap_chunks(BIG_SITEMAP_BYTES, loc=lambda i: f"http://elsewhere.invalid/p/{i:09d}"))


def _huge_sitemap(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/xml")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    _write(h, _huge_sitemap_chunks(HUGE_SITEMAP_BYTES, loc=lambda i: f"http://elsewhere.invalid/q/{i:09d}"),
           chunked=True)
    h.close_connection = True


def _self_index(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    body = (f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">'
            f"<sitemap><loc>{srv.base}/maps/self-index.xml</loc></sitemap>"
            f"<sitemap><loc>{srv.base}/maps/self-index.xml?again=1</loc></sitemap></sitemapindex>")
    _send(h, 200, body, ctype="application/xml")


LAUGHS_DEPTH = 10


def _laughs_doc(srv: FaultServer) -> str:
    ents = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        '<!ENTITY lol' + str(i) + ' "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, LAUGHS_DEPTH))
    return _urlset(srv, [f"{srv.base}/laughs/&lol{LAUGHS_DEPTH - 1};"], doctype=f"<!DOCTYPE urlset [{ents}]>")


def _laughs_send(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    _send(h, 200, _laughs_doc(srv), ctype="application/xml")


def _xxe(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    doctype = (f'<!DOCTYPE urlset [<!ENTITY ext SYSTEM "{srv.base}/xxe/entity-target">'
               f'<!ENTITY % pe SYSTEM "{srv.base}/xxe/parameter-entity"> %pe;'
               '<!ENTITY file SYSTEM "file:///etc/passwd">]>')
    _send(h, 200, _urlset(srv, [f"{srv.base}/xxe-page/&ext;", f"{srv.base}/xxe-file/&file;"], doctype=doctype),
          ctype="application/xml")


def _dtd(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    doctype = f'<!DOCTYPE urlset SYSTEM "{srv.base}/xxe/external.dtd">'
    _send(h, 200, _urlset(srv, [f"{srv.base}/posts/onions"], doctype=doctype), ctype="application/xml")


_RAW: dict[str, bytes] = {
    "/proto/garbage-status": b"HTTQ/9.9 abc\r\n\r\nhello",
    "/proto/huge-header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 2_000_000 + b"\r\nContent-Length: 2\r\n\r\nok",
    "/proto/bad-chunk": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhi\r\n",
    "/proto/two-lengths": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n"
                           b"Content-Length: 7\r\n\r\nhello"),
    "/proto/close-early": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\nshort",
    "/proto/bad-gzip": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                        b"Content-Length: 10\r\n\r\n\x1f\x8b\x08garbag"),
    "/proto/brotli-unasked": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n"
                              b"Content-Length: 2\r\n\r\nok"),
}


def _raw(srv: FaultServer, h: BaseHTTPRequestHandler) -> None:
    _write(h, [_RAW[h.path]])
    h.close_connection = True


_FAULTS: dict[str, Callable[[FaultServer, BaseHTTPRequestHandler], None]] = {
    **{path: _raw for path in _RAW},
    "/fault/hang": _hang,
    "/fault/drip": _drip,
    "/fault/reset": _reset,
    "/fault/content-length-2gb": _content_length_2gb,
    "/fault/endless-chunked": _endless_chunked,
    "/fault/gzip-bomb": _gzip_bomb,
    "/fault/binary": _binary,
    "/fault/charset-lie": _charset_lie,
    "/fault/nested": _nested,
    "/fault/bad-links": _bad_links,
    "/fault/html-entities": _html_entities,
    "/fault/redirect-loop-a": _loop_a,
    "/fault/redirect-loop-b": _loop_b,
    "/maps/big.xml": _big_sitemap,
    "/maps/huge.xml": _huge_sitemap,
    "/maps/self-index.xml": _self_index,
    "/maps/self-index.xml?again=1": _self_index,
    "/maps/laughs.xml": _laughs_send,
    "/maps/xxe.xml": _xxe,
    "/maps/dtd.xml": _dtd,
}
# A request under this path would mean an external entity or DTD was loaded.
ENTITY_TARGET_PREFIX = "/xxe/"


# -- a generated two-site fixture for the crash tests ------------------------------------------
# Big enough that a crawl at --delay 0 takes a few seconds; clusters whose
# canonical is decided by published dates, not by fetch order (which a
# killed-and-resumed crawl changes).

CRASH_POSTS = 90
CRASH_PER_ARCHIVE = 3
CRASH_COPY_EVERY = 2  # every second post is republished on the partner site


def _crash_page(title: str, body: str, *, published: str | None = None, head: str = "") -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}{head}</head>'
            '<body><header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>'
            f"<main>{body}</main><footer><p>Footer text of the site.</p></footer></body></html>")


def _crash_article(i: int, *, link: bool = False) -> str:
    title = f"Post number {i} about the garden"
    head = f'<a href="/posts/{i}/">{title}</a>' if link else title
    return f"<article><h2>{head}</h2>" + "".join(f"<p>{p}</p>" for p in prose(1000 + i, 260)) + "</article>"


def build_crash_sites(root: Path, posts: int = CRASH_POSTS) -> Path:
    """Write the sites under `root` (blog, partner); returns `root`."""
    blog, partner = root / "blog", root / "partner"
    for i in range(posts):
        date = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
        post = _crash_page(f"Post {i}", _crash_article(i), published=date)
        _write_file(blog / "posts" / str(i) / "index.html", post)
        if i % CRASH_COPY_EVERY == 0:
            _write_file(partner / "copies" / str(i) / "index.html",
                   _crash_page(f"Republished {i}", _crash_article(i), published="2025-06-01"))
    archives = []
    for a in range(0, posts, CRASH_PER_ARCHIVE):
        name = f"tag-{a // CRASH_PER_ARCHIVE}"
        archives.append(name)
        items = "".join(_crash_article(i, link=True) for i in range(a, min(a + CRASH_PER_ARCHIVE, posts)))
        _write_file(blog / "tag" / name / "index.html", _crash_page(f"Tag {name}", items))
    links = "".join(f'<li><a href="/tag/{n}/">{n}</a></li>' for n in archives)
    links += "".join(f'<li><a href="/posts/{i}/">post {i}</a></li>' for i in range(posts))
    links += "".join(f'<li><a href="{{{{partner}}}}/copies/{i}/">copy {i}</a></li>'
                     for i in range(0, posts, CRASH_COPY_EVERY))
    _write_file(blog / "index.html", _crash_page("Home", f"<ul>{links}</ul>"))
    _write_file(blog / "about" / "index.html", _crash_page("About", "<p>About this blog.</p>"))
    _write_file(partner / "index.html", _crash_page("Partner", "<p>Partner home.</p>"))
    return root


def _write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
