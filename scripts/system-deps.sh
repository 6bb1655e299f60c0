#!/usr/bin/env bash
# Installs what the integration and browser tests need from Debian's packages when it is
# missing: a PostgreSQL 15 server (initdb, pg_ctl), Chromium with its driver, and poppler-utils
# (pdftotext, pdftoppm: the rakor report's tests read and render its PDF). Called by
# `make test`; idempotent, non-interactive, and silent when everything is already there.
#
# The test suite starts its own throwaway cluster (tests/pg_server.py), so the package's
# default "main" cluster is not wanted: it is switched off before the server is installed.
set -euo pipefail

have_initdb() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

need=()
have_initdb || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# The report's and the charts' font (typst and vl-convert read the system's fonts).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing from Debian's packages: ${need[*]}"

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: apt-get not found; install ${need[*]} with this system's package manager" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system-deps: not root and no sudo; install ${need[*]} as root" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt_get() {
  # env inside sudo, which would otherwise drop DEBIAN_FRONTEND; keep existing config files
  # rather than prompt; wait for a concurrent apt run instead of failing on its lock. apt's
  # chatter goes to a log that is shown only when something fails.
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q \
    -o DPkg::Lock::Timeout=300 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "$@" >>"$log" 2>&1; then
    echo "system-deps: apt-get $* failed:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

apt_get update
if [[ " ${need[*]} " == *" postgresql "* ]]; then
  apt_get install -y --no-install-recommends postgresql-common
  "${SUDO[@]}" sed -ri 's/^#?\s*(create_main_cluster)\s*=.*$/\1 = false/' \
    /etc/postgresql-common/createcluster.conf
fi
apt_get install -y --no-install-recommends "${need[@]}"

if [[ " ${need[*]} " == *" postgresql "* ]] && ! have_initdb; then
  echo "system-deps: postgresql installed but no initdb in /usr/lib/postgresql/*/bin" >&2
  exit 1
fi
