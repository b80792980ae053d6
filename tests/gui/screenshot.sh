#!/bin/bash
# screenshot.sh - show the pxe plugin in the real Wireshark Qt GUI and save a
# PNG of it: starts a private Xvfb, runs wireshark with the plugin from the
# build tree (as an unprivileged user when we are root, see tests/lib/as-user),
# opens CAPTURE with display filter "pxe", selects a frame, expands its
# "PXE network boot" subtree in the packet-details pane and grabs the screen.
# It is a visual check and a picture for the README, not an automated test.
#
# Usage: tests/gui/screenshot.sh [CAPTURE] [OUT.png]
#   CAPTURE  default ../shared/captures/Qubasa+rs_pxe/intel_bios_dhcp.pcapng
#            (next to the source tree)
#   OUT.png  default build/gui-pxe.png in the source tree
# Environment: PXEDIAG_BUILD (build tree, default <source>/build),
#   PXEDIAG_GUI_FRAME (frame to select, default 7),
#   PXEDIAG_GUI_FILTER (display filter, default pxe),
#   PXEDIAG_GUI_SETTLE (seconds to wait once the window shows, default 3),
#   PXEDIAG_GUI_DEBUG=1 (also save the screen after each step, OUT.N.png).
# Needs: Xvfb, xauth, mcookie, xdotool, xwd (x11-apps), convert (imagemagick),
#   wireshark (Qt), setpriv when run as root.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${PXEDIAG_BUILD:-$top/build}
frame=${PXEDIAG_GUI_FRAME:-7}
filter=${PXEDIAG_GUI_FILTER:-pxe}
capture=${1:-$here/../../../shared/captures/Qubasa+rs_pxe/intel_bios_dhcp.pcapng}
out=${2:-$top/build/gui-pxe.png}
width=1400
height=1000
deadline=$((SECONDS + 85))     # the whole run stays under 90 s

shot() { xwd -root -silent | convert xwd:- "png:$1"; }
step() {
    if [ "${PXEDIAG_GUI_DEBUG:-}" = 1 ]; then
        shot "${out%.png}.$1.png"
    fi
}
die() { echo "screenshot.sh: $*" >&2; exit 1; }
say() { echo "screenshot.sh: $*" >&2; }

[ -f "$capture" ] || die "capture not found: $capture (pass one as the first argument)"
[ -r "$capture" ] || die "capture not readable: $capture"
[ -f "$build/plugins/4.0/epan/pxe.so" ] ||
    die "plugin not built: $build/plugins/4.0/epan/pxe.so (cmake -S $top -B $build && cmake --build $build)"
for tool in Xvfb xauth mcookie xdotool xwd convert wireshark timeout; do
    command -v "$tool" >/dev/null ||
        die "$tool not found (apt-get install xvfb xauth util-linux xdotool x11-apps imagemagick wireshark-qt)"
done
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || die "setpriv not found (util-linux)"
fi
mkdir -p "$(dirname "$out")" || die "cannot create the directory of $out"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
[ -w "$(dirname "$out")" ] || die "cannot write to $(dirname "$out")"

work=$(mktemp -d "${TMPDIR:-/tmp}/pxediag-gui.XXXXXX")
xvfb_pid=
ws_pid=
win=
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
wait_gone() {   # PID TENTHS: wait up to TENTHS/10 s for PID to end
    local i
    for ((i = 0; i < $2; i++)); do
        alive "$1" || return 0
        sleep 0.1
    done
    return 1
}
cleanup() {
    set +e
    if alive "$ws_pid"; then
        # Ask wireshark to quit (Ctrl+Q), so that as-user's shell outlives it
        # and removes its own temporary HOME; failing that, end wireshark by
        # its id, then timeout(1), which passes the signal on to its process
        # group.
        if [ -n "$win" ]; then
            xdotool windowfocus "$win" key --clearmodifiers ctrl+q 2>/dev/null
        fi
        if ! wait_gone "$ws_pid" 50; then
            local sh_pid ws
            sh_pid=$(ps -o pid= --ppid "$ws_pid" 2>/dev/null | head -n 1 | tr -d ' ')
            ws=$(ps -o pid= --ppid "${sh_pid:-0}" 2>/dev/null | head -n 1 | tr -d ' ')
            [ -n "$ws" ] && kill -TERM "$ws" 2>/dev/null
            wait_gone "$ws_pid" 30 || kill -TERM "$ws_pid" 2>/dev/null
            wait_gone "$ws_pid" 30 || kill -KILL "$ws_pid" 2>/dev/null
        fi
        wait "$ws_pid" 2>/dev/null
    fi
    if alive "$xvfb_pid"; then
        kill -TERM "$xvfb_pid" 2>/dev/null
        wait "$xvfb_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Everything the unprivileged wireshark reads lives in $work: the capture (it
# may sit where uid 65534 cannot read), the X cookie and a writable HOME
# holding a profile that fixes the window layout.
chmod 755 "$work"
cp "$capture" "$work/"
cap=$work/$(basename "$capture")
chmod 644 "$cap"
home=$work/home
conf=$home/.config/wireshark
mkdir -p "$conf" "$home/run"
chmod 700 "$home/run"
upper=330       # height of the packet list in pixels
cat >"$conf/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $width
gui.geometry_main_height: $height
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOF
cat >"$conf/recent" <<EOF
gui.toolbar_show: TRUE
gui.filter_toolbar_show: TRUE
gui.packet_list_show: TRUE
gui.tree_view_show: TRUE
gui.byte_view_show: FALSE
gui.packet_diagram_show: FALSE
gui.statusbar_show: TRUE
gui.time_format: RELATIVE
gui.geometry_main_upper_pane: $upper
EOF
cat >"$conf/preferences" <<EOF
gui.update.enabled: FALSE
gui.ask_unsaved: FALSE
EOF
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$home"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        test -r "$cap" -a -w "$home" -a -r "$build/plugins/4.0/epan/pxe.so" ||
        die "uid 65534 cannot reach $work or $build (set TMPDIR elsewhere?)"
fi

# A private X server; -displayfd makes it pick a free display number itself.
cookie=$(mcookie)
touch "$work/server.auth" "$work/client.auth"
xauth -q -f "$work/server.auth" add :0 MIT-MAGIC-COOKIE-1 "$cookie"
timeout -k 2 88 Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" \
    -nolisten tcp -auth "$work/server.auth" 3>"$work/display" \
    >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
display=
while [ $SECONDS -lt $((deadline - 75)) ]; do
    display=$(tr -dc 0-9 <"$work/display")
    [ -n "$display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.2
done
[ -n "$display" ] || { cat "$work/xvfb.log" >&2; die "Xvfb did not start"; }
export DISPLAY=:$display
export XAUTHORITY=$work/client.auth
xauth -q -f "$XAUTHORITY" add "$DISPLAY" MIT-MAGIC-COOKIE-1 "$cookie"
chmod 644 "$XAUTHORITY"     # wireshark runs as uid 65534 when we are root
say "Xvfb on $DISPLAY"

# Wireshark, in its own process group under timeout(1) so that killing the
# timeout process ends it and everything it started.
timeout -k 3 70 "$top/tests/lib/as-user" "$build/plugins" \
    env HOME="$home" XDG_RUNTIME_DIR="$home/run" QT_ACCESSIBILITY=0 \
    NO_AT_BRIDGE=1 QT_QPA_PLATFORM=xcb \
    wireshark -r "$cap" -Y "$filter" -g "$frame" \
    >"$work/wireshark.log" 2>&1 &
ws_pid=$!

# The main window is titled after the file once it is loaded.
win=
name=$(basename "$cap")
while [ $SECONDS -lt $((deadline - 25)) ]; do
    kill -0 "$ws_pid" 2>/dev/null || { cat "$work/wireshark.log" >&2; die "wireshark exited early"; }
    win=$(xdotool search --onlyvisible --name "^$(printf %s "$name" | sed 's/[].[*^$+?(){}|\\]/\\&/g')" 2>/dev/null | head -n 1 || true)
    [ -n "$win" ] && break
    sleep 0.5
done
if [ -z "$win" ]; then
    xwd -root -silent | convert xwd:- "png:$out" || true
    cat "$work/wireshark.log" >&2
    die "no Wireshark window showing $name appeared (screen saved to $out)"
fi
say "window $win: $(xdotool getwindowname "$win")"
# No window manager: place the window ourselves, in case the profile's
# geometry was not honoured.
xdotool windowmove "$win" 0 0 windowsize "$win" "$width" "$height" || true
sleep "${PXEDIAG_GUI_SETTLE:-3}"   # let the list fill in and the frame dissect
step 1

# Expand the PXE subtree: focus the packet-details pane by clicking on empty
# space near its bottom (the byte view is off, so the pane reaches down to
# the status bar) and go to its last item with End, which is the
# postdissector's "PXE network boot" line as nothing is expanded yet. The
# tree has no current item at first, and then any cursor key only moves to
# the first item, hence End twice. Shift+Right is Wireshark's "Expand
# Subtrees": it opens the PXE item and everything below it.
xdotool windowfocus --sync "$win" 2>/dev/null || true
xdotool mousemove --window "$win" $((width / 2)) $((height - 60)) click 1
sleep 0.5
step 2
xdotool key --clearmodifiers End
sleep 0.3
xdotool key --clearmodifiers End
sleep 0.3
step 3
xdotool key --clearmodifiers shift+Right
sleep 0.3
xdotool mousemove 0 $((height - 1))      # keep the pointer out of the picture
sleep 1.5

shot "$out"
say "saved $out"
