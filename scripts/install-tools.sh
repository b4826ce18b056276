#!/bin/sh
# Installs the Debian packages cca-emu's sample images and tests need:
# the AArch64 cross toolchain, make, QEMU (user and system) for reference
# runs, Unicorn's Python binding, the device-tree compiler and valgrind
# (scripts/host-instructions.sh).
#
# Run as root on Debian (or a derivative). Idempotent: packages that are
# already installed are skipped, and apt is not touched when nothing is
# missing.
set -eu

PACKAGES="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu make qemu-user \
qemu-system-arm python3-unicorn device-tree-compiler valgrind"

if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools.sh: must run as root" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-tools.sh: needs a Debian system (apt-get, dpkg-query)" >&2
    exit 1
fi

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
    *" installed") ;;
    *) missing="$missing $pkg" ;;
    esac
done

if [ -z "$missing" ]; then
    echo "install-tools.sh: all packages already installed"
    exit 0
fi

echo "install-tools.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is wanted
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-tools.sh: done"
