#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download is not
# possible here). Install it when missing; needs root, as on the CI and developer machines.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing at $CHROMIUM. Install it: sudo apt-get install chromium" >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests..."
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core
