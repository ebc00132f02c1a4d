#!/usr/bin/env bash
# Installs the system packages the test suite needs when they are missing: the PostgreSQL server
# and the headless Chromium the browser tests drive (Debian's chromium, never `playwright install`).
set -euo pipefail
need=()
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need+=(postgresql)
fi
if [ ! -x /usr/bin/chromium ]; then
    need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    echo "installing: ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
