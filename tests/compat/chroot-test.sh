#!/bin/bash
# chroot-test.sh - build pxediag and run its tests against the Wireshark of
# another Debian release, in a chroot of that release: the plugin, pxe-report
# and every ctest test (unit, e2e with the real tshark of that release, report)
# exactly as on Debian 12, only with Wireshark 4.4 (trixie) or 4.6 (forky, sid).
# tests/compat/ws44-chroot.sh and ws46-check.sh are the documented commands;
# this is what they run.
#
#   tests/compat/chroot-test.sh --suite SUITE [OPTIONS] [-- CTEST-ARGS...]
#
# The chroot is made once with mmdebstrap (or debootstrap) from
# deb.debian.org into /var/tmp/pxediag-SUITE, outside the repository, and
# re-used; packages missing from it are installed on each run.  The checkout
# is copied in at its own path (or bound read-only, --live), and ../shared
# beside it is bound read-only, so the tests that use ../shared/captures find
# them as on the host.
# The mounts live in a private mount namespace and are also undone on exit.
# The build directory is /tmp/pxediag-build inside the chroot, made afresh.
# Needs root (chroot, mounts).  Exit status: 0 built and every test passed,
# 1 the build or a test failed, 2 usage or chroot setup error.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
prog=$(basename "$0")

# What the build and the tests need (setup.sh's list, plus what a minbase
# chroot lacks: libc6-dev, which gcc only recommends).
packages=(gcc libc6-dev make cmake pkg-config libglib2.0-dev libjson-glib-dev tshark
          libwireshark-dev libwiretap-dev wireshark-dev python3 util-linux)
mirror=${PXE_MIRROR:-http://deb.debian.org/debian}
# A test chroot only builds and tests: accept a Release file past its
# Valid-Until (testing and sid are valid for a week; a mirror that lags, or a
# snapshot, serves older ones).  Signatures are still checked.
apt_no_expiry='Acquire::Check-Valid-Until "false"'

usage() {
    cat <<EOF
Usage: $prog --suite SUITE [OPTIONS] [-- CTEST-ARGS...]

Build pxediag in a Debian SUITE chroot and run ctest there (as root).

  --suite SUITE    Debian suite: trixie (Wireshark 4.4), forky or sid (4.6)
  --root DIR       the chroot (default /var/tmp/pxediag-SUITE; made if absent)
  --expect X.Y     fail unless the chroot's Wireshark is the X.Y series
  --update         apt-get update and upgrade the chroot first
  --no-test        configure and build only
  --shell          open a shell in the chroot (mounts in place) instead
  --live           bind the working tree read-only instead of copying it
                   (faster; edits made during the run are seen by it)
  CTEST-ARGS       passed to ctest (default: the full suite), e.g. -R 'e2e|report'

Environment: PXE_MIRROR (default $mirror), PXE_CHROOT_EXTRA (more packages
to install in the chroot, e.g. "valgrind libpcap-dev").
EOF
}

args=("$@")
suite='' root='' expect='' update=0 run_tests=1 shell=0 live=0
ctest_args=()
while [ $# -gt 0 ]; do
    case $1 in
    -h|--help) usage; exit 0 ;;
    --suite) suite=${2:?}; shift 2 ;;
    --root) root=${2:?}; shift 2 ;;
    --expect) expect=${2:?}; shift 2 ;;
    --update) update=1; shift ;;
    --no-test) run_tests=0; shift ;;
    --shell) shell=1; shift ;;
    --live) live=1; shift ;;
    --) shift; ctest_args=("$@"); break ;;
    *) echo "$prog: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$suite" ]; then
    usage >&2
    exit 2
fi
root=${root:-/var/tmp/pxediag-$suite}
root=${root%/}
# shellcheck disable=SC2206  # a list of words on purpose
packages+=(${PXE_CHROOT_EXTRA:-})

if [ "$(id -u)" != 0 ]; then
    echo "$prog: needs root (mmdebstrap, chroot, bind mounts); try sudo $0" >&2
    exit 2
fi
case $root in
/|"$top"|"$top"/*|[!/]*)
    echo "$prog: the chroot must be an absolute path outside the checkout ($root)" >&2
    exit 2 ;;
esac

# Private mount namespace: whatever happens to this script, its mounts go
# away with it and never show on the host.
if [ -z "${PXE_CHROOT_NS:-}" ] && command -v unshare >/dev/null; then
    PXE_CHROOT_NS=1 exec unshare --mount --propagation private "$0" "${args[@]}"
fi

t_start=$(date +%s)
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
say() { printf '%s: %s\n' "$prog" "$*"; }

# One run per chroot at a time: two would unpack over each other.
mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
if ! flock -n 9; then
    echo "$prog: another run uses $root (lock $root.lock)" >&2
    exit 2
fi

mounts=()
cleanup() {
    local i
    for (( i=${#mounts[@]}-1; i>=0; i-- )); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
    done
    mounts=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mnt() {   # mnt DEST MOUNT-ARGS...: mount, and remember to undo it
    local dest=$1
    shift
    mkdir -p "$dest"
    mount "$@" "$dest"
    mounts+=("$dest")
}

bind_ro() {   # bind_ro SRC DEST
    mnt "$2" --bind "$1"
    mount -o remount,bind,ro "$2"
}

in_chroot() {   # a clean environment: nothing of the caller's leaks in
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" DEBIAN_FRONTEND=noninteractive \
        chroot "$root" "$@"
}

make_chroot() {
    local new=$root.new incl
    incl=$(IFS=,; echo "${packages[*]}")
    rm -rf "$new"
    if ! command -v mmdebstrap >/dev/null && ! command -v debootstrap >/dev/null; then
        say "installing mmdebstrap on the host"
        apt-get install -y -q mmdebstrap >/dev/null
    fi
    say "creating the $suite chroot in $root (once; several minutes)"
    if command -v mmdebstrap >/dev/null; then
        mmdebstrap --mode=root --variant=minbase --aptopt="$apt_no_expiry" \
            --include="$incl" "$suite" "$new" "$mirror"
    else
        debootstrap --variant=minbase --include="$incl" "$suite" "$new" "$mirror"
    fi
    echo "$apt_no_expiry;" >"$new/etc/apt/apt.conf.d/99pxediag-no-expiry"
    echo "$suite $mirror $(date -u +%FT%TZ)" >"$new/.pxediag-chroot"
    mv "$new" "$root"
}

# The system mounts apt and the tests need; /dev is populated by mmdebstrap
# and debootstrap, bound from the host only if not.  Pseudo-terminals (the
# tests of coloured output use one): a devpts instance of the chroot's own.
system_mounts() {
    mnt "$root/proc" -t proc proc
    [ -c "$root/dev/null" ] || mnt "$root/dev" --bind /dev
    mnt "$root/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts
    mnt "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev tmpfs
    cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
}

ensure_packages() {
    local missing=() p
    # shellcheck disable=SC2016  # a dpkg-query format, not shell
    for p in "${packages[@]}"; do
        in_chroot dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
            missing+=("$p")
    done
    if [ "$update" = 1 ]; then
        say "updating the chroot"
        in_chroot apt-get update -q
        in_chroot apt-get -y -q dist-upgrade
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing in the chroot: ${missing[*]}"
        [ "$update" = 1 ] || in_chroot apt-get update -q
        in_chroot apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

if [ -f "$root/.pxediag-chroot" ]; then
    say "re-using the chroot $root ($(cat "$root/.pxediag-chroot"))"
elif [ -e "$root" ]; then
    echo "$prog: $root exists but is not a chroot made by this script; remove it or use --root" >&2
    exit 2
else
    make_chroot
fi
t_chroot=$(elapsed "$t_start")

system_mounts
ensure_packages

# The checkout at its own path, ../shared beside it: paths in the tests and
# their messages are those of the host.  By default a copy taken now (without
# .git and what .gitignore names), so that edits made in the working tree while
# the tests run cannot mix two states; --live binds the tree read-only.
tree_state=$(git -C "$top" log -1 --format=%h 2>/dev/null || echo "no git")
tree_dirty=$({ git -C "$top" status --porcelain 2>/dev/null || true; } | wc -l)
if [ "$live" = 1 ]; then
    bind_ro "$top" "$root$top"
    say "source: $top bound read-only (commit $tree_state, $tree_dirty changed path(s))"
else
    if mountpoint -q "$root$top"; then
        echo "$prog: $root$top is a mount point (a --live run left on the host?); umount it first" >&2
        exit 2
    fi
    rm -rf "${root:?}$top"
    mkdir -p "$root$top"
    # what .gitignore leaves out: build trees, the lab's scratch, bytecode
    tar -C "$top" --warning=no-file-ignored --exclude=./.git --exclude=./build \
        --exclude='./build-*' --exclude=./samples/lab/work --exclude=__pycache__ -cf - . |
        tar -C "$root$top" -xf -
    say "source: copy of $top (commit $tree_state, $tree_dirty changed path(s)) in $root$top"
fi
shared=$(cd "$top/.." && pwd)/shared
if [ -d "$shared" ]; then
    bind_ro "$shared" "$root$shared"
else
    say "no $shared beside the checkout: the tests that need it will skip"
fi

# shellcheck disable=SC2016  # dpkg-query formats, not shell
ws_version=$(in_chroot dpkg-query -W -f='${Version}' libwireshark-dev)
series=$(echo "$ws_version" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
say "Debian $suite: libwireshark-dev $ws_version, $(in_chroot tshark --version | head -n 1)"
if [ -n "$expect" ] && [ "$series" != "$expect" ]; then
    echo "$prog: expected Wireshark $expect in $suite, found $ws_version" >&2
    exit 2
fi

if [ "$shell" = 1 ]; then
    in_chroot /bin/bash -c "cd '$top' && exec bash -i"
    exit
fi

build=/tmp/pxediag-build
rm -rf "$root$build"
t_build=$(date +%s)
say "configure and build in $root$build"
rc=0
in_chroot /bin/sh -c "cmake -S '$top' -B '$build' && cmake --build '$build' -j1" || rc=$?
if [ "$rc" != 0 ]; then
    say "Wireshark $ws_version ($suite): BUILD FAILED ($(elapsed "$t_build"))"
    exit 1
fi
say "built in $(elapsed "$t_build"): $(cd "$root$build" && ls plugins/*/epan/pxe.so)"
if [ "$run_tests" = 0 ]; then
    exit 0
fi

t_test=$(date +%s)
log=$root$build/ctest.log
set +e
in_chroot ctest --test-dir "$build" --output-on-failure -j1 "${ctest_args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1)
skipped=$(grep -c -- '\*\*\*Skipped\|Not Run' "$log" || true)
# Inside the ctest tests: the Python unittest cases, GLib test cases and
# tests/package checks run, and what skipped, from ctest's full log (--output-on-failure hides them).
last=$root$build/Testing/Temporary/LastTest.log
if [ -f "$last" ]; then
    inner=$(awk '/^Ran [0-9]+ tests? in/ { py += $2 }
                 /^(OK|FAILED) \(.*skipped=/ { s = $0; sub(/.*skipped=/, "", s); sk += s + 0 }
                 /^ok [0-9]+ / { tap++ }
                 /^ok   / { sh++ }
                 END { printf "%d Python cases (%d skipped), %d GLib cases, %d install checks",
                              py, sk, tap, sh }' "$last")
    say "inside them: $inner"
    grep -o "skipped '.*'" "$last" | sort -u | sed "s/^/$prog:   /" || true
fi
say "Wireshark $ws_version ($suite): ${summary:-no test summary}, $skipped skipped;" \
    "chroot $t_chroot, build $(( t_test - t_build ))s, tests $(elapsed "$t_test"), total $(elapsed "$t_start")"
[ "$rc" = 0 ] || exit 1
