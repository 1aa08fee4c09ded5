#!/usr/bin/env bash
# Debian libraries Compact's PDF exports need (WeasyPrint renders with Pango) and a font with
# wide Unicode coverage. Installed when missing; needs root, as on the CI and developer machines.
set -euo pipefail
missing=()
ldconfig -p | grep -q "libpango-1.0.so.0" || missing+=(libpango-1.0-0)
ldconfig -p | grep -q "libpangoft2-1.0.so.0" || missing+=(libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages for PDF export: ${missing[*]}. Install them: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for PDF export..."
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
