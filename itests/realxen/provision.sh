#!/bin/bash
# Provisions the real-Xen-under-QEMU lane into a cache folder: Debian's Xen
# 4.17 hypervisor, the matching PV-dom0-capable Debian kernel, busybox-static
# and a dom0 initramfs built from dom0-init.sh.  Also provisions xen-utils
# (xenstored and its peers) through ../fakexen/provision.sh, because dom0 runs
# them from the host's cache over 9p.
#
# Usage: provision.sh [CACHE_DIR]
#   default CACHE_DIR: ${JXENBUS_CACHE:-$HOME/.cache/jxenbus}/realxen
#
# Prints KEY=value lines on stdout (progress goes to stderr), every time:
#   XEN KERNEL INITRD QEMU KERNEL_VERSION
#   XENSTORED TEST_XENSTORE XENSTORE_BIN LIBDIR   (from ../fakexen/provision.sh)
# Nothing is installed system-wide except qemu-system-x86, and only when
# qemu-system-x86_64 is not on PATH (apt-get install; it says so on stderr).
# Idempotent and safe to run concurrently: the work is done under a flock and
# CACHE_DIR/.complete is touched last.  The initramfs is rebuilt whenever
# dom0-init.sh is newer than it; the packages are fetched again when MODULES
# changes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INIT_SRC=$HERE/dom0-init.sh
CACHE=${1:-${JXENBUS_CACHE:-$HOME/.cache/jxenbus}/realxen}
XEN=$CACHE/xen-4.17-amd64
INITRD=$CACHE/dom0-initrd.gz

XEN_PACKAGE=xen-hypervisor-4.17-amd64
KERNEL_META=linux-image-amd64
QEMU_PACKAGE=qemu-system-x86
# What dom0's /init needs beyond the built-in drivers: virtio-pci + 9p for the
# shares, overlay for a writable view of the read-only host root, and the Xen
# device drivers (xenfs needs xen-privcmd).  Dependencies are added from each
# module's own .modinfo and loaded first.
MODULES=(virtio_pci 9pnet_virtio 9p overlay
         xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback)
# What the PV domU's initramfs loads (domu-initrd.sh): the network frontend,
# so that the vif xl creates is connected from both ends.
DOMU_MODULES=(xen-netfront)
# The toolstack beyond ../fakexen's packages: xl's JSON library (xl and
# libxenlight are in xen-utils-4.17 and libxenmisc4.17 already) and xl.conf.
TOOLSTACK_PACKAGES=(libyajl2 xen-utils-common)

log() { echo "provision: $*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else log "not root and no sudo: cannot run $*"; return 1
    fi
}

kernel_version() { cat "$CACHE/kernel-version" 2>/dev/null; }

print_keys() {
    local kver
    kver=$(kernel_version)
    echo "XEN=$XEN"
    echo "KERNEL=$CACHE/vmlinuz-$kver"
    echo "INITRD=$INITRD"
    echo "QEMU=$(command -v qemu-system-x86_64)"
    echo "KERNEL_VERSION=$kver"
    grep -E '^(XENSTORED|TEST_XENSTORE|XENSTORE_BIN|LIBDIR)=' <<<"$XEN_UTILS_KEYS"
    echo "TOOLSTACK=$CACHE/toolstack"
    echo "DOMU_MODULES=$CACHE/domu-modules"
    echo "BUSYBOX=$CACHE/busybox"
}

# The kernel is extracted again when MODULES changes.
extracted() {
    [ -e "$CACHE/.complete" ] &&
        [ "$(cat "$CACHE/modules/wanted" 2>/dev/null)" = "${MODULES[*]} / ${DOMU_MODULES[*]} / ${TOOLSTACK_PACKAGES[*]}" ]
}

up_to_date() {
    extracted && [ -e "$INITRD" ] && ! [ "$INIT_SRC" -nt "$INITRD" ] &&
        command -v qemu-system-x86_64 >/dev/null
}

# QEMU is the one system install: its many shared libraries make an extracted
# copy fragile, and Debian's package is what the lane was verified with.
ensure_qemu() {
    if command -v qemu-system-x86_64 >/dev/null; then return; fi
    log "qemu-system-x86_64 not found: apt-get install -y --no-install-recommends $QEMU_PACKAGE"
    if ! as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "$QEMU_PACKAGE" >&2; then
        log "install failed; running apt-get update once"
        as_root apt-get update >&2
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "$QEMU_PACKAGE" >&2
    fi
    log "installed $(dpkg-query -W -f '${Package} ${Version}' "$QEMU_PACKAGE")"
}

# xenstored, xenstore-utils and test-xenstore, shared with the fakexen lane.
XEN_UTILS_KEYS=$("$HERE/../fakexen/provision.sh")

if up_to_date; then
    print_keys
    exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
# Another run may have finished while we waited for the lock.
if up_to_date; then
    print_keys
    exit 0
fi

ensure_qemu

# The kernel package is versioned (linux-image-6.1.0-N-amd64) and Debian
# serves only the newest N; the meta package names it.
resolve_kernel_package() {
    apt-cache depends "$KERNEL_META" 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

download() {
    local dir=$1; shift
    (cd "$dir" && apt-get download "$@") >&2
}

# Extracts into a scratch root and keeps only what the lane boots (the debs and
# the kernel's 4000 other modules are dropped).
fetch_and_extract() {
    local tmp kpkg root kver deb
    tmp=$(mktemp -d "$CACHE/download.XXXXXX")
    # The _apt sandbox user cannot write here; apt warns and downloads anyway.
    chmod 755 "$tmp"
    kpkg=$(resolve_kernel_package)
    if [ -z "$kpkg" ] || ! download "$tmp" "$XEN_PACKAGE" "$kpkg" busybox-static; then
        log "apt-get download failed; running apt-get update once"
        as_root apt-get update >&2
        kpkg=$(resolve_kernel_package)
        [ -n "$kpkg" ] || { log "cannot resolve $KERNEL_META to a kernel package"; exit 1; }
        download "$tmp" "$XEN_PACKAGE" "$kpkg" busybox-static
    fi
    mkdir -p "$tmp/toolstack"
    chmod 755 "$tmp/toolstack"
    download "$tmp/toolstack" "${TOOLSTACK_PACKAGES[@]}"
    rm -rf "$CACHE/toolstack"
    mkdir -p "$CACHE/toolstack"
    for deb in "$tmp"/toolstack/*.deb; do dpkg -x "$deb" "$CACHE/toolstack"; done
    kver=${kpkg#linux-image-}
    log "kernel $kpkg"

    root=$tmp/root
    mkdir -p "$root"
    for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$root"; done

    # QEMU's multiboot loader takes Xen's 32-bit ELF, not the gzip.
    gunzip -c "$root/boot/xen-4.17-amd64.gz" >"$XEN.tmp"
    mv -f "$XEN.tmp" "$XEN"
    cp "$root/boot/vmlinuz-$kver" "$root/boot/config-$kver" "$CACHE/"
    cp "$root/bin/busybox" "$CACHE/busybox"
    rm -rf "$CACHE/modules"
    mkdir -p "$CACHE/modules"
    collect_modules "$CACHE/modules" "$root/lib/modules/$kver" "${MODULES[@]}" >"$CACHE/modules/load-order"
    rm -rf "$CACHE/domu-modules"
    mkdir -p "$CACHE/domu-modules"
    collect_modules "$CACHE/domu-modules" "$root/lib/modules/$kver" "${DOMU_MODULES[@]}" \
        >"$CACHE/domu-modules/load-order"
    echo "${MODULES[*]} / ${DOMU_MODULES[*]} / ${TOOLSTACK_PACKAGES[*]}" >"$CACHE/modules/wanted"
    rm -rf "$tmp"
    echo "$kver" >"$CACHE/kernel-version"
}

# modinfo name ("xen_evtchn") of a .ko file name ("xen-evtchn.ko").
module_name() { local n=${1##*/}; n=${n%%.ko*}; echo "${n//-/_}"; }

module_depends() {
    tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# collect_modules OUT MODDIR MODULE...: copies the modules and their
# dependencies from MODDIR into OUT and prints their file names, dependencies
# before dependants.
collect_modules() {
    local out=$1 moddir=$2 f
    shift 2
    declare -A path=() done=()
    while IFS= read -r f; do
        path[$(module_name "$f")]=$f
    done < <(find "$moddir/kernel" -name '*.ko*')
    visit() {
        local name=${1//-/_} dep file
        [ -z "${done[$name]:-}" ] || return 0
        done[$name]=1
        file=${path[$name]:-}
        if [ -z "$file" ]; then
            # Built in (modules.builtin) needs nothing; anything else is an error.
            if grep -q "/${1}.ko\$\|/${name}.ko\$" "$moddir/modules.builtin"; then return 0; fi
            log "module $1 not found under $moddir"; exit 1
        fi
        case $file in
            *.ko.xz)  xz -dc "$file" >"$out/$name.ko" ;;
            *.ko.zst) zstd -dcq "$file" >"$out/$name.ko" ;;
            *.ko.gz)  gzip -dc "$file" >"$out/$name.ko" ;;
            *)        cp "$file" "$out/$name.ko" ;;
        esac
        for dep in $(module_depends "$out/$name.ko"); do visit "$dep"; done
        echo "$name.ko"
    }
    local m
    for m in "$@"; do visit "$m"; done
}

# The initramfs: busybox, the modules and /init; written with busybox's cpio.
build_initrd() {
    local tmp applet
    log "building $INITRD"
    tmp=$(mktemp -d "$CACHE/initrd.XXXXXX")
    mkdir -p "$tmp"/{bin,sbin,dev,proc,sys,host,results,newroot,overlay,modules}
    cp "$CACHE/busybox" "$tmp/bin/busybox"
    for applet in $("$CACHE/busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$tmp/bin/$applet"
    done
    cp "$CACHE/modules/"*.ko "$CACHE/modules/load-order" "$tmp/modules/"
    cp "$INIT_SRC" "$tmp/init"
    chmod 755 "$tmp/init"
    (cd "$tmp" && find . -mindepth 1 | "$CACHE/busybox" cpio -o -H newc -R 0:0 2>/dev/null) |
        gzip -6 >"$INITRD.tmp.$$"
    mv -f "$INITRD.tmp.$$" "$INITRD"
    rm -rf "$tmp"
}

if ! extracted; then
    rm -f "$CACHE/.complete"
    fetch_and_extract
fi
build_initrd
touch "$CACHE/.complete"
print_keys
