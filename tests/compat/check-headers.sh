#!/bin/bash
# check-headers.sh - does the pxe plugin still compile against another
# Wireshark release?  Compiles plugin/*.c (syntax only, no linking) against
# the headers of an unpacked Wireshark development tree, e.g. the
# libwireshark-dev of Debian trixie (4.4) or sid (4.6) extracted with
# dpkg-deb -x, with the warning flags of the real build (CMakeLists.txt and
# plugin/CMakeLists.txt) and -Werror, and reports ok/FAIL per file.
#
#   tests/compat/check-headers.sh [-q] TREE [FILE.c...]
#
# TREE is the root of an unpacked tree (holding usr/include/wireshark), an
# install prefix (include/wireshark) or the include directory itself; "/"
# checks the installed libwireshark-dev.  Without FILEs it checks plugin/*.c
# of this checkout.  Exit status: 0 all files compile, 1 some do not, 2 usage.
# Run with --help for how to fetch such a tree without touching apt's sources.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
prog=$(basename "$0")

usage() {
    cat <<EOF
Usage: $prog [-q] TREE [FILE.c...]

Compile the pxe plugin's sources (default: $top/plugin/*.c) with
  \${CC:-gcc} -std=c11 -fsyntax-only -Wall -Wextra -Werror -D_GNU_SOURCE
plus the project's warning flags, against the Wireshark headers in TREE and
GLib from pkg-config, and report ok/FAIL per file.

  TREE   root of an unpacked tree (TREE/usr/include/wireshark), a prefix
         (TREE/include/wireshark) or the header directory itself;
         "/" means the installed libwireshark-dev
  -q     on failure print only the error lines, not the full diagnostics
  CC, EXTRA_CFLAGS (environment) override the compiler / add flags

Getting a tree for another release (4.4 = Debian trixie, 4.6 = sid) without
changing the system's apt configuration: a private sources list, lists and
cache under /tmp, then download and unpack the -dev packages (nothing is
installed; use the mirror host of /etc/apt/sources.list*):

  suite=trixie; dest=/tmp/ws44          # or: suite=sid; dest=/tmp/ws46
  a=/tmp/wsapt-\$suite; mkdir -p \$a/lists/partial \$a/cache/archives/partial \$a/debs
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian \$suite main" >\$a/sources.list
  o="-o Dir::Etc::SourceList=\$a/sources.list -o Dir::Etc::SourceParts=/dev/null"
  o="\$o -o Dir::State::Lists=\$a/lists -o Dir::Cache=\$a/cache -o APT::Sandbox::User=root"
  apt-get \$o update
  apt-cache \$o policy libwireshark-dev     # the version that will come
  (cd \$a/debs && apt-get \$o download libwireshark-dev libwiretap-dev libwsutil-dev)
  mkdir -p \$dest && for d in \$a/debs/*.deb; do dpkg-deb -x "\$d" \$dest; done
  $prog \$dest

The trees and downloads are scratch files: keep them out of the repository.
GLib comes from this system (pkg-config), not from the tree.
EOF
}

quiet=0
while [ $# -gt 0 ]; do
    case $1 in
    -h|--help) usage; exit 0 ;;
    -q) quiet=1; shift ;;
    --) shift; break ;;
    -*) echo "$prog: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 1 ]; then
    usage >&2
    exit 2
fi
tree=$1
shift
[ "$tree" = / ] || tree=${tree%/}
[ "$tree" != / ] || tree=

# the directory holding ws_version.h, wireshark.h, epan/ ...
wsinc=
for d in "$tree/usr/include/wireshark" "$tree/include/wireshark" "$tree"; do
    if [ -f "$d/ws_version.h" ] && [ -d "$d/epan" ]; then
        wsinc=$(cd "$d" && pwd)
        break
    fi
done
if [ -z "$wsinc" ]; then
    echo "$prog: no Wireshark headers (ws_version.h, epan/) under $tree" >&2
    echo "  tried $tree/usr/include/wireshark, $tree/include/wireshark, $tree" >&2
    exit 2
fi

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=("$top"/plugin/*.c)
fi
for f in "${files[@]}"; do
    if [ ! -f "$f" ]; then
        echo "$prog: no such file: $f" >&2
        exit 2
    fi
done

cc=${CC:-gcc}
if ! glib=$(pkg-config --cflags glib-2.0 2>/dev/null); then
    echo "$prog: pkg-config finds no glib-2.0 (apt-get install libglib2.0-dev)" >&2
    exit 2
fi
# CMake passes the include directories of imported targets (Wireshark's
# epan, PkgConfig::GLIB) as -isystem: do the same, so that only warnings in
# our code or in header macros expanded in it count, as in the real build.
sysinc=(-isystem "$wsinc")
for w in $glib; do
    case $w in
    -I*) sysinc+=(-isystem "${w#-I}") ;;
    *) sysinc+=("$w") ;;
    esac
done

version=$(sed -n 's/^project([^ ]* VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt" | head -n 1)
# CMakeLists.txt: add_compile_options(...), add_compile_definitions(_GNU_SOURCE);
# plugin/CMakeLists.txt: target_compile_options(pxe PRIVATE -Wno-shadow),
# PXEDIAG_VERSION, C_VISIBILITY_PRESET hidden.  Keep in step with those.
flags=(-std=c11 -fsyntax-only
       -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter -Werror
       -Wno-shadow
       -D_GNU_SOURCE "-DPXEDIAG_VERSION=\"${version:-0.0.0}\"" -fvisibility=hidden)
# shellcheck disable=SC2206  # EXTRA_CFLAGS is a list of words on purpose
extra=(${EXTRA_CFLAGS:-})

# The version the compiler actually sees through these include paths.
ws_version=$(printf '#include <ws_version.h>\nWIRESHARK_VERSION_MAJOR.WIRESHARK_VERSION_MINOR.WIRESHARK_VERSION_MICRO\n' |
             "$cc" -E -P "${sysinc[@]}" - 2>/dev/null | tail -n 1 | tr -d ' ')
echo "Wireshark $ws_version headers: $wsinc"
echo "compiler:  $("$cc" --version | head -n 1), GLib $(pkg-config --modversion glib-2.0) (system)"

fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in "${files[@]}"; do
    dir=$(cd "$(dirname "$f")" && pwd)
    name=${f#"$top"/}
    if "$cc" "${flags[@]}" "${extra[@]}" -I"$dir" "${sysinc[@]}" "$f" >"$log" 2>&1; then
        printf '  ok    %s\n' "$name"
    else
        printf '  FAIL  %s\n' "$name"
        fail=$((fail + 1))
        if [ "$quiet" = 1 ]; then
            grep -E 'error:' "$log" | sed 's/^/        /'
        else
            sed 's/^/        /' "$log"
        fi
    fi
done
if [ "$fail" -gt 0 ]; then
    echo "Wireshark $ws_version: $fail of ${#files[@]} file(s) FAIL"
    exit 1
fi
echo "Wireshark $ws_version: all ${#files[@]} file(s) ok"
