#!/usr/bin/env bash
# Installs the Debian packages Kompeten needs, when they are missing and we may (root or sudo).
#   runtime: WeasyPrint's Pango stack, HarfBuzz subsetting (5-6x faster PDF fonts), fonts that
#            cover Indonesian names
#   test:    Chromium for the browser journeys, poppler (pdfsig, pdfdetach, pdftoppm) and zbar
#            (zbarimg) for the independent certificate checks
set -euo pipefail
kind=${1:-runtime}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core)
if [ "$kind" = "test" ]; then
  packages+=(chromium poppler-utils zbar-tools)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Kompeten needs these Debian/Ubuntu packages (or your system's equivalents): ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "Missing system packages. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
