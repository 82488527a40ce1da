#!/usr/bin/env bash
# The real-sites benchmark (issue 14), one script: build every site with its real engine, serve each with nginx
# on its own loopback IP, crawl with the real copyhound CLI (first crawl + unchanged re-crawl), score against
# the truth taken from the engines' output. Not in CI (tests/e2e/test_realsites_small.py is the small version).
#
#   bench/realsites/run.sh                 # everything
#   SITES=hugo,jekyll bench/realsites/run.sh   # some engines (the syndication scenario needs hugo,repub,copier)
#   SKIP_SETUP=1 ...                       # tools already installed
#   PORT=8842 WORK=/tmp/rs-mine ...        # beside another run: own port and work dir (nginx, MariaDB, PHP-FPM,
#                                          # WordPress configs are per port and work dir)
#
# Needs root for apt-get (hugo, jekyll + plugins, nginx-light) on Debian; Pelican and Nikola go into a throwaway
# venv ($RS_PYENV, default /tmp/rs-engines), Hexo into $RS_HEXO (default /tmp/rs-hexo). copyhound is $COPYHOUND,
# else `copyhound` on PATH. Output: $WORK (default /tmp/realsites): out/<site>/, truth-*.json, report-*.json,
# score-*.json, and the table on stdout.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
export WORK="${WORK:-/tmp/realsites}" RS_PYENV="${RS_PYENV:-/tmp/rs-engines}" RS_HEXO="${RS_HEXO:-/tmp/rs-hexo}"
SITES="${SITES:-hugo,jekyll,pelican,nikola,hexo,repub,copier}"
WORDPRESS="${WORDPRESS:-1}"   # 0: skip the two WordPress sites (Debian wordpress + MariaDB + PHP-FPM)
PY="${PYTHON:-python3}"
PORT_ARGS=()
if [ -n "${PORT:-}" ]; then PORT_ARGS=(--port "$PORT"); fi
mkdir -p "$WORK"

if [ -z "${SKIP_SETUP:-}" ]; then
  if ! command -v hugo >/dev/null || ! command -v jekyll >/dev/null || ! command -v nginx >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo jekyll jekyll-theme-minima ruby-jekyll-archives \
      ruby-jekyll-feed ruby-jekyll-sitemap ruby-jekyll-paginate ruby-jekyll-seo-tag nginx-light >/dev/null
  fi
  # php-xml: WordPress's core sitemaps (wp-sitemap.xml) answer 501 without SimpleXML
  if [ "$WORDPRESS" = 1 ] && { ! command -v php-fpm8.2 >/dev/null || ! php -m | grep -qi '^simplexml$'; }; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordpress mariadb-server php-fpm php-mysql php-cli php-xml >/dev/null
  fi
  if [ ! -x "$RS_PYENV/bin/nikola" ]; then
    "$PY" -m venv "$RS_PYENV" && "$RS_PYENV/bin/pip" install -q pelican markdown nikola
  fi
  if [ ! -x "$RS_HEXO/node_modules/.bin/hexo" ]; then
    mkdir -p "$RS_HEXO" && cp "$HERE/engines/hexo/package.json" "$RS_HEXO/" && (cd "$RS_HEXO" && npm install --no-audit --no-fund -s)
  fi
fi

"$PY" "$HERE/posts/make_posts.py" >/dev/null
"$PY" "$HERE/build.py" --work "$WORK" --only "$SITES" "${PORT_ARGS[@]}"
trap '"$PY" "$HERE/serve.py" stop --work "$WORK"; [ "$WORDPRESS" = 1 ] && "$PY" "$HERE/wordpress.py" stop --work "$WORK"' EXIT
if [ "$WORDPRESS" = 1 ]; then
  "$PY" "$HERE/wordpress.py" start --work "$WORK" "${PORT_ARGS[@]}"
  # synd-wp: the roles on other engines (WordPress classic home, Hugo republisher, Jekyll copier)
  "$PY" "$HERE/build.py" --work "$WORK" --only repub-hugo,copier-jekyll "${PORT_ARGS[@]}"
fi
"$PY" "$HERE/serve.py" start --work "$WORK"
if [ "$WORDPRESS" = 1 ]; then
  "$PY" "$HERE/wordpress.py" mirror --work "$WORK"   # the pages WordPress serves, for the truth
fi

scenarios=()
for s in ${SITES//,/ }; do case "$s" in repub|copier) ;; *) scenarios+=("$s");; esac; done
case ",$SITES," in *,hugo,*repub*copier*|*,hugo,*copier*repub*) scenarios+=(synd);; esac
if [ "$WORDPRESS" = 1 ]; then scenarios+=(wp-tt3 wp-classic synd-wp); fi
for sc in "${scenarios[@]}"; do
  "$PY" "$HERE/truth.py" --work "$WORK" --scenario "$sc"
  "$PY" "$HERE/score.py" --work "$WORK" --scenario "$sc" > "$WORK/score-$sc.txt"
done
"$PY" "$HERE/table.py" --work "$WORK" "${scenarios[@]}"
