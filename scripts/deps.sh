#!/bin/sh
# Install the Debian 12 packages teeq needs; idempotent, and a few
# milliseconds when everything is present (one dpkg-query, no apt).
#
#   scripts/deps.sh            build + test + bench toolchain
#   scripts/deps.sh kernel     also what the kernel-module tests need
set -eu

# Build: C toolchain, C++ only for the Google Benchmark shim.
BUILD="gcc g++ make pkg-config libc6-dev"
# Secure world crypto: OpenSSL libcrypto.
BUILD="$BUILD libssl-dev"
# Tests: clang for libFuzzer and sanitizers (gcc runs ASan/UBSan/TSan too).
TEST="clang libclang-rt-14-dev"
# Benchmarks: Google Benchmark, liburing (io_uring NOP baseline), gnuplot
# for the SVG charts, valgrind for callgrind instruction counts, jq for
# bench-smoke's checks of the JSON results, json-c for the report to read
# Google Benchmark's JSON back.
BENCH="libbenchmark-dev liburing-dev gnuplot-nox valgrind jq libjson-c-dev"
# Kernel module tests: Debian's own kernel booted in QEMU with a busybox
# initramfs, and the matching headers to build the module against; the
# DRM uapi headers (libdrm) for the vgem test.
KERNEL="qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio kmod libdrm-dev"
# The benchmarks' kernel rows build everywhere (make bench-kernel runs
# them): DRM's uapi headers for their vgem buffers.
BENCH="$BENCH libdrm-dev"

want="$BUILD $TEST $BENCH"
for group in "$@"; do
	case "$group" in
	kernel) want="$want $KERNEL" ;;
	*) echo "deps.sh: unknown group '$group' (known: kernel)" >&2; exit 2 ;;
	esac
done

# One dpkg-query for all: "name status" per package it knows.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $want 2>/dev/null |
	awk '$2 == "installed" { print $1 }' || true)
missing=""
for pkg in $want; do
	case " $(echo $installed) " in
	*" $pkg "*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps.sh: need root (or sudo) to install:$missing" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
