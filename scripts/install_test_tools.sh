#!/usr/bin/env bash
# System tools the test suite drives: headless Chromium (HTML pages) and npm (the OB 3.0 context).
# Installs Debian's chromium and chromium-driver when missing and we are root; says what to do otherwise.
set -euo pipefail
if ! command -v chromium >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        echo "Chromium is missing: run 'apt-get install -y chromium chromium-driver' as root (the page tests need it)" >&2
    fi
fi
bash "$(dirname "$0")/cache_ob3_context.sh"
