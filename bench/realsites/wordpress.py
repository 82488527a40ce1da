#!/usr/bin/env python3
"""WordPress sites for the benchmark: Debian's `wordpress` on its own MariaDB and PHP-FPM (instances under
WORK/wp/, nothing system-wide is started), served by serve.py's nginx.

    python wordpress.py start --work W     # MariaDB + PHP-FPM up, both sites installed and posts inserted
    python wordpress.py mirror --work W    # (nginx up) save every HTML page each site serves into WORK/out/<site>/
    python wordpress.py stop --work W

MariaDB and PHP-FPM run in the foreground in the caller's process group: killing the run stops them too.

Sites: wp-tt3 127.0.0.16 (Twenty Twenty-Three, Debian's stock theme: listings show automatic excerpts, set to
80 words) and wp-classic 127.0.0.17 (engines/wordpress/realsites-classic: listings show the_content(), i.e. the
full post or the part before <!--more-->). Posts go in through WordPress's own PHP functions (insert.php).
Writes /etc/wordpress/config-realsites-<site>-<port>.php (picked through WORDPRESS_CONFIG, which serve.py's nginx
passes, so two benchmark runs on other ports or work dirs never share a database), the theme and a one-filter
mu-plugin under /var/lib/wordpress/wp-content (Debian's layout); needs root.

    python wordpress.py start --work W --port 8842   # sites at http://127.0.0.16:8842/ (default port 80)
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

HERE = Path(__file__).resolve().parent
WPDIR = HERE / "engines" / "wordpress"
CONTENT = Path("/var/lib/wordpress/wp-content")
SITES = {"wp-tt3": (16, "twentytwentythree", 80), "wp-classic": (17, "realsites-classic", 0)}
SKIP = re.compile(
    r"^/(wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-content|wp-includes|wp-cron\.php)|/feed/?$|/embed/?$"
)


def post_html(body: str) -> str:
    out = []
    for para in body.strip().split("\n\n"):
        if para.strip() == "<!--more-->":
            out.append("<!--more-->")
        elif para.startswith("> "):
            out.append("<blockquote><p>" + html.escape(para[2:].strip()) + "</p></blockquote>")
        else:
            out.append("<p>" + html.escape(para.strip()) + "</p>")
    return "\n\n".join(out)


def alive(pidfile: Path, *leftovers: Path) -> bool:
    """Is the process of `pidfile` running? If not, remove the pid file and `leftovers` (sockets) a killed
    server left behind, so the next start does not take them for a live one."""
    try:
        if Path(f"/proc/{int(pidfile.read_text().strip())}").exists():
            return True
    except (OSError, ValueError):
        pass
    for f in (pidfile, *leftovers):
        f.unlink(missing_ok=True)
    return False


def config_name(site: str, port: int | None) -> str:
    """Debian's wp-config.php loads /etc/wordpress/config-$WORDPRESS_CONFIG.php when that is set."""
    return f"realsites-{site}-{port or 80}"


def start(work: Path, posts_path: Path, port: int | None = None) -> None:
    wp = work / "wp"
    wp.mkdir(parents=True, exist_ok=True)
    sock, data = wp / "mysqld.sock", wp / "mysql"
    if not data.exists():
        subprocess.run(
            [
                "mariadb-install-db",
                f"--datadir={data}",
                "--user=root",
                "--skip-test-db",
                "--auth-root-authentication-method=normal",
            ],
            check=True,
            capture_output=True,
        )
    if not alive(wp / "mysqld.pid", sock):
        subprocess.Popen(
            [
                "mariadbd",
                f"--datadir={data}",
                f"--socket={sock}",
                "--skip-networking",
                "--user=root",
                f"--pid-file={wp / 'mysqld.pid'}",
                f"--log-error={wp / 'mysqld.err'}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.2)
    fpm_conf = wp / "php-fpm.conf"
    fpm_conf.write_text(
        f"[global]\npid = {wp}/php-fpm.pid\nerror_log = {wp}/php-fpm.log\ndaemonize = no\n"
        f"[rs]\nuser = root\ngroup = root\nlisten = {wp}/php-fpm.sock\nlisten.mode = 0666\n"
        "pm = static\npm.max_children = 4\n"
    )
    if not alive(wp / "php-fpm.pid", wp / "php-fpm.sock"):
        fpm = shutil.which("php-fpm8.2") or "php-fpm8.2"
        subprocess.Popen([fpm, "-R", "-y", str(fpm_conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if (wp / "php-fpm.sock").exists():
                break
            time.sleep(0.1)
    shutil.copytree(WPDIR / "realsites-classic", CONTENT / "themes" / "realsites-classic", dirs_exist_ok=True)
    (CONTENT / "mu-plugins").mkdir(exist_ok=True)
    shutil.copy(WPDIR / "mu-realsites.php", CONTENT / "mu-plugins" / "realsites.php")
    posts = json.loads(posts_path.read_text())
    src = wp / "posts-wp.json"
    src.write_text(json.dumps([dict(p, html=post_html(p["body"])) for p in posts], ensure_ascii=False))
    manifest_path = work / "sites.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for site, (n, theme, excerpt) in SITES.items():
        host = f"127.0.0.{n}" + (f":{port}" if port else "")
        db = site.replace("-", "_")
        conf = config_name(site, port)
        subprocess.run(
            [
                "mariadb",
                f"--socket={sock}",
                "-uroot",
                "-e",
                f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db} CHARACTER SET utf8mb4",
            ],
            check=True,
        )
        Path(f"/etc/wordpress/config-{conf}.php").write_text(
            "<?php\n"
            f"define('DB_NAME', '{db}');\ndefine('DB_USER', 'root');\ndefine('DB_PASSWORD', '');\n"
            f"define('DB_HOST', 'localhost:{sock}');\ndefine('WP_CONTENT_DIR', '{CONTENT}');\n"
            "define('DISABLE_WP_CRON', true);\ndefine('AUTOMATIC_UPDATER_DISABLED', true);\n"
            "define('WP_HTTP_BLOCK_EXTERNAL', true);\n$table_prefix = 'wp_';\n"
        )
        r = subprocess.run(
            ["php", str(WPDIR / "insert.php"), host, theme, str(src), str(excerpt), conf],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if r.returncode != 0 or not r.stdout.strip().startswith("{"):
            raise SystemExit(f"{site}: insert.php failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
        links = json.loads(r.stdout[r.stdout.index("{") :])
        manifest[site] = {
            "base": f"http://{host}/",
            "out": str(work / "out" / site),
            "posts": links,
            "home": site,
            "transforms": {},
            "php_root": "/usr/share/wordpress",
            "php_socket": str(wp / "php-fpm.sock"),
            "wp_config": conf,
        }
        print(f"wordpress {site}: {theme}, {len(links)} posts")
    manifest_path.write_text(json.dumps(manifest, indent=1))


def sitemap_urls(base: str, limit: int = 50) -> list[str]:
    """The page URLs WordPress's core sitemaps list (wp-sitemap.xml and its children): pages no link reaches
    (a theme without author links still has author archives in wp-sitemap-users-1.xml) are crawled too."""
    docs, pages = deque([urljoin(base, "wp-sitemap.xml")]), []
    while docs and limit > 0:
        limit -= 1
        try:
            with urllib.request.urlopen(docs.popleft(), timeout=30) as resp:
                body = resp.read().decode("utf-8", "replace")
        except urllib.error.URLError:
            continue
        locs = [html.unescape(u) for u in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", body)]
        if "<sitemapindex" in body:
            docs.extend(locs)
        else:
            pages.extend(locs)
    return pages


def mirror(work: Path, limit: int = 3000) -> None:
    """Save every same-host HTML page (no query strings, no admin/feeds) as out/<path>/index.html, reached
    from the home page and the core sitemaps."""
    manifest = json.loads((work / "sites.json").read_text())
    for site in SITES:
        if site not in manifest:
            continue
        base = manifest[site]["base"]
        out = Path(manifest[site]["out"])
        if out.exists():
            shutil.rmtree(out)
        start = list(dict.fromkeys([base, *sitemap_urls(base)]))
        seen, queue = set(start), deque(start)
        saved = 0
        while queue and len(seen) <= limit:
            url = queue.popleft()
            try:
                with urllib.request.urlopen(url, timeout=30) as resp:
                    if urlsplit(resp.geturl()).path != urlsplit(url).path or "html" not in resp.headers.get(
                        "Content-Type", ""
                    ):
                        continue
                    body = resp.read().decode("utf-8", "replace")
            except urllib.error.HTTPError:
                continue
            path = urlsplit(url).path
            target = out / path.lstrip("/") / "index.html" if path.endswith("/") else out / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body)
            saved += 1
            for href in re.findall(r"""href=["']([^"'#]+)""", body):
                u = urljoin(url, html.unescape(href))
                s = urlsplit(u)
                if s.netloc != urlsplit(base).netloc or s.query or SKIP.search(s.path):
                    continue
                u = f"{s.scheme}://{s.netloc}{s.path or '/'}"
                if u not in seen:
                    seen.add(u)
                    queue.append(u)
        print(f"mirrored {site}: {saved} pages")


def stop(work: Path) -> None:
    wp = work / "wp"
    for pidf in (wp / "php-fpm.pid", wp / "mysqld.pid"):
        if pidf.exists():
            pid = int(pidf.read_text().strip())
            subprocess.run(["kill", str(pid)], check=False)
            for _ in range(100):
                if not Path(f"/proc/{pid}").exists():
                    break
                time.sleep(0.1)
            pidf.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["start", "mirror", "stop"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("--posts", type=Path, default=HERE / "posts" / "posts.json")
    ap.add_argument("--port", type=int, default=None, help="port of the sites' URLs (default 80)")
    args = ap.parse_args()
    args.work = args.work.resolve()  # sockets and pid files are named in server configs
    {
        "start": lambda: start(args.work, args.posts, args.port),
        "mirror": lambda: mirror(args.work),
        "stop": lambda: stop(args.work),
    }[args.action]()


if __name__ == "__main__":
    main()
