#!/usr/bin/env bash
# Builds ferry's QEMU test guest from Debian packages only (nothing is downloaded from anywhere else):
#   vmlinuz    the kernel of Debian's linux-image-cloud-amd64 (fetched with apt-get download, never installed)
#   initrd.gz  a busybox initramfs whose /init is guest-init (beside this script): it prints READY once, rewrites
#              ferry.dirty=MiB of memory in a loop and prints "TICK n" on the serial console every 200 ms
# Usage: build-guest.sh OUTDIR. Installs qemu-system-x86, qemu-utils and busybox-static when missing (needs root).
# Safe to run concurrently: builders take a lock and the files appear in OUTDIR only when complete.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-guest.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

exec 9>"$out/.build.lock"
flock 9
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.gz" ]; then
  exit 0 # another builder finished while this one waited
fi

need_apt() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
command -v qemu-system-x86_64 >/dev/null || need_apt qemu-system-x86
command -v qemu-img >/dev/null || need_apt qemu-utils
# busybox-static: a statically linked busybox with insmod and cpio; the dynamic one would need its libraries
if ! { [ -x /bin/busybox ] && /bin/busybox --list | grep -qx insmod && ! ldd /bin/busybox >/dev/null 2>&1; }; then
  need_apt busybox-static
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# The meta package names the current cloud kernel; its package holds vmlinuz and the modules.
apt-get download -qq linux-image-cloud-amd64 >/dev/null 2>&1 \
  || { apt-get update -qq >/dev/null && apt-get download -qq linux-image-cloud-amd64 >/dev/null 2>&1; } \
  || { echo "build-guest: apt-get download linux-image-cloud-amd64 failed (no Debian mirror reachable?)" >&2; exit 1; }
meta=$(ls linux-image-cloud-amd64_*.deb | head -n1)
kpkg=$(dpkg-deb -f "$meta" Depends | grep -oE 'linux-image-[0-9][^ ,]*-cloud-amd64' | head -n1)
[ -n "$kpkg" ] || { echo "build-guest: cannot tell the kernel package from $meta" >&2; exit 1; }
apt-get download -qq "$kpkg" >/dev/null 2>&1
dpkg-deb -x "$kpkg"_*.deb kernel

mkdir -p initrd/bin initrd/sbin initrd/proc initrd/sys initrd/dev initrd/tmp initrd/lib/modules
cp /bin/busybox initrd/bin/busybox
cp "$here/guest-init" initrd/init
chmod 755 initrd/init
# The cloud kernel builds virtio as modules; busybox insmod needs them uncompressed, in dependency order (see guest-init).
for m in virtio_ring virtio failover net_failover virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_net virtio_blk; do
  f=$(find kernel/lib/modules -name "$m.ko*" | head -n1)
  [ -n "$f" ] || continue
  case "$f" in
    *.xz) xz -dc "$f" >"initrd/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" >"initrd/lib/modules/$m.ko" ;;
    *) cp "$f" "initrd/lib/modules/$m.ko" ;;
  esac
done
(cd initrd && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -6) >initrd.gz

cp kernel/boot/vmlinuz-* "$out/.vmlinuz.tmp"
cp initrd.gz "$out/.initrd.gz.tmp"
echo "$kpkg" >"$out/kernel-package"
mv "$out/.vmlinuz.tmp" "$out/vmlinuz"
mv "$out/.initrd.gz.tmp" "$out/initrd.gz"
echo "build-guest: $kpkg + busybox initramfs in $out" >&2
