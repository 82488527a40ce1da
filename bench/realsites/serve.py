#!/usr/bin/env python3
"""Serve every built site with nginx on its own loopback IP (its own nginx instance, prefix WORK/nginx).

    python serve.py start --work /tmp/realsites      # reads WORK/sites.json
    python serve.py stop  --work /tmp/realsites
    python serve.py mark  --work /tmp/realsites      # print the access logs' sizes (a run's start)
    python serve.py count --work /tmp/realsites --since MARK.json   # requests/bytes/statuses per site since MARK

nginx gives each static file an ETag and Last-Modified and answers If-None-Match /
If-Modified-Since with 304, and logs every request with status and bytes sent. nginx runs in the foreground
in the caller's process group, so killing the run (SIGTERM or SIGKILL to its group) stops it too.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

CONF = """worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format rs '$status $bytes_sent "$request" "$http_if_none_match" "$http_if_modified_since"';
  client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
  uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
  sendfile on; keepalive_timeout 30;
{servers}
}}
"""
SERVER = """  server {{
    listen {host}:{port};
    server_name _;
    root {root};
    index index.html;
    charset utf-8;
    access_log {prefix}/{site}.log rs;
    location / {{ try_files $uri $uri/ $uri.html =404; }}
  }}
"""
PHP_SERVER = """  server {{
    listen {host}:{port};
    server_name _;
    root {root};
    index index.php;
    access_log {prefix}/{site}.log rs;
    location / {{ try_files $uri $uri/ /index.php?$args; }}
    location ~ \\.php$ {{
      include /etc/nginx/fastcgi_params;
      fastcgi_param HTTP_HOST $http_host;  # Debian's params send $host: no port, and WordPress redirects to it
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_param WORDPRESS_CONFIG {wp_config};
      fastcgi_pass unix:{socket};
    }}
  }}
"""


def nginx_bin() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start(work: Path) -> None:
    sites = json.loads((work / "sites.json").read_text())
    prefix = work.resolve() / "nginx"
    stop(work)
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    servers = []
    for site, info in sites.items():
        u = urlsplit(info["base"])
        if info.get("php_root"):
            servers.append(
                PHP_SERVER.format(
                    host=u.hostname,
                    port=u.port or 80,
                    root=info["php_root"],
                    prefix=prefix,
                    site=site,
                    socket=info["php_socket"],
                    wp_config=info["wp_config"],
                )
            )
        else:
            servers.append(
                SERVER.format(host=u.hostname, port=u.port or 80, root=info["out"], prefix=prefix, site=site)
            )
    conf = prefix / "nginx.conf"
    conf.write_text(CONF.format(prefix=prefix, servers="".join(servers)))
    # In the foreground (daemon off) and in the caller's process group: a daemonised nginx calls setsid() and
    # outlives a run killed with SIGTERM (timeout, a job runner killing the group) or SIGKILL, holding the ports.
    with (prefix / "stderr.log").open("wb") as err:
        proc = subprocess.Popen(
            [nginx_bin(), "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
        )
    for _ in range(50):
        if (prefix / "nginx.pid").exists() or proc.poll() is not None:
            break
        time.sleep(0.1)
    if proc.poll() is not None or not (prefix / "nginx.pid").exists():
        raise SystemExit(f"nginx did not start: {(prefix / 'stderr.log').read_text()[-2000:]}")
    print(f"nginx serving {', '.join(s + ' ' + i['base'] for s, i in sites.items())}")


def stop(work: Path) -> None:
    prefix = work.resolve() / "nginx"
    pidf = prefix / "nginx.pid"
    if pidf.exists() and not Path(f"/proc/{pidf.read_text().strip()}").exists():
        pidf.unlink()  # left by an nginx killed with SIGKILL
    if pidf.exists():
        subprocess.run([nginx_bin(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-s", "stop"], check=False)
        for _ in range(50):
            if not pidf.exists():
                break
            time.sleep(0.1)


def mark(work: Path) -> dict[str, int]:
    return {f.stem: f.stat().st_size for f in (work / "nginx").glob("*.log") if f.stem != "error"}


def count(work: Path, since: dict[str, int], until: dict[str, int] | None = None) -> dict[str, dict]:
    out = {}
    for f in sorted((work / "nginx").glob("*.log")):
        if f.stem == "error":
            continue
        with f.open("rb") as fh:
            fh.seek(since.get(f.stem, 0))
            start = since.get(f.stem, 0)
            end = (until or {}).get(f.stem)
            lines = fh.read(None if end is None else max(0, end - start)).decode("utf-8", "replace").splitlines()
        statuses: dict[str, int] = {}
        nbytes, full = 0, []
        for line in lines:
            st, b, rest = line.split(" ", 2)
            statuses[st] = statuses.get(st, 0) + 1
            nbytes += int(b)
            if st == "200":
                full.append(rest.split('"')[1])
        out[f.stem] = {"requests": len(lines), "bytes": nbytes, "statuses": statuses, "full_downloads": full}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["start", "stop", "mark", "count"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("--since", type=Path)
    args = ap.parse_args()
    if args.action == "start":
        start(args.work)
    elif args.action == "stop":
        stop(args.work)
    elif args.action == "mark":
        print(json.dumps(mark(args.work)))
    else:
        since = json.loads(args.since.read_text()) if args.since else {}
        print(json.dumps(count(args.work, since), indent=1))


if __name__ == "__main__":
    main()
