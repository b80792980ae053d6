#!/bin/bash
# stats-screenshot.sh - show Statistics > PXE (the pxe plugin's statistics
# tree) in the real Wireshark Qt GUI and save a PNG of it: starts a private
# Xvfb, runs `wireshark -r CAPTURE -z pxe,tree` with the plugin from the build
# tree (as an unprivileged user when we are root, see tests/lib/as-user),
# which opens the statistics dialog once the file is read, and grabs that
# dialog. Like screenshot.sh, a visual check and a picture for the README,
# not an automated test.
#
# Usage: tests/gui/stats-screenshot.sh [CAPTURE] [OUT.png]
#   CAPTURE  default samples/captures/multi-client.pcapng
#   OUT.png  default build/gui-pxe-stats.png in the source tree
# Environment: PXEDIAG_BUILD (build tree, default <source>/build),
#   PXEDIAG_GUI_SETTLE (seconds to wait once the dialog shows, default 3),
#   PXEDIAG_GUI_DEBUG=1 (also save the whole screen, OUT.screen.png),
#   PXEDIAG_GUI_PROFILE=DIR (run with DIR, e.g. doc/profile-pxe, installed as
#   the configuration profile PXE: wireshark -C PXE),
#   PXEDIAG_GUI_FILTER (display filter for the packet list, default none),
#   PXEDIAG_GUI_MAIN=MAIN.png (also save the main window, before the dialog
#   opens: with PXEDIAG_GUI_PROFILE, a picture of the profile's columns,
#   colours and filter buttons).
# Needs: Xvfb, xauth, mcookie, xdotool, xwd (x11-apps), convert (imagemagick),
#   wireshark (Qt), setpriv when run as root.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${PXEDIAG_BUILD:-$top/build}
capture=${1:-$top/samples/captures/multi-client.pcapng}
out=${2:-$top/build/gui-pxe-stats.png}
width=1400
height=900
dlg_w=820
dlg_h=860
deadline=$((SECONDS + 85))     # the whole run stays under 90 s

die() { echo "stats-screenshot.sh: $*" >&2; exit 1; }
say() { echo "stats-screenshot.sh: $*" >&2; }

[ -f "$capture" ] || die "capture not found: $capture (pass one as the first argument)"
plugin=
for f in "$build"/plugins/*/epan/pxe.so; do
    [ -f "$f" ] && plugin=$f && break
done
[ -n "$plugin" ] ||
    die "plugin not built in $build/plugins (cmake -S $top -B $build && cmake --build $build)"
for tool in Xvfb xauth mcookie xdotool xwd convert wireshark timeout; do
    command -v "$tool" >/dev/null ||
        die "$tool not found (apt-get install xvfb xauth util-linux xdotool x11-apps imagemagick wireshark-qt)"
done
mkdir -p "$(dirname "$out")" || die "cannot create the directory of $out"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

work=$(mktemp -d "${TMPDIR:-/tmp}/pxediag-gui.XXXXXX")
xvfb_pid=
ws_pid=
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
        # end wireshark (the grandchild of timeout(1), through as-user's
        # shell) by its id, then timeout itself, which passes the signal on
        local sh_pid ws
        sh_pid=$(ps -o pid= --ppid "$ws_pid" 2>/dev/null | head -n 1 | tr -d ' ')
        ws=$(ps -o pid= --ppid "${sh_pid:-0}" 2>/dev/null | head -n 1 | tr -d ' ')
        [ -n "$ws" ] && kill -TERM "$ws" 2>/dev/null
        wait_gone "$ws_pid" 30 || kill -TERM "$ws_pid" 2>/dev/null
        wait_gone "$ws_pid" 30 || kill -KILL "$ws_pid" 2>/dev/null
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

# What the unprivileged wireshark reads lives in $work: the capture, the X
# cookie and a HOME whose profile keeps first-run questions away.
chmod 755 "$work"
cp "$capture" "$work/"
cap=$work/$(basename "$capture")
chmod 644 "$cap"
home=$work/home
conf=$home/.config/wireshark
mkdir -p "$conf" "$home/run"
chmod 700 "$home/run"
cat >"$conf/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $width
gui.geometry_main_height: $height
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOF
cat >"$conf/preferences" <<EOF
gui.update.enabled: FALSE
gui.ask_unsaved: FALSE
EOF
profile_args=()
[ -z "${PXEDIAG_GUI_FILTER:-}" ] || profile_args+=(-Y "$PXEDIAG_GUI_FILTER")
if [ -n "${PXEDIAG_GUI_PROFILE:-}" ]; then
    [ -d "$PXEDIAG_GUI_PROFILE" ] || die "profile directory not found: $PXEDIAG_GUI_PROFILE"
    mkdir -p "$conf/profiles"
    cp -r "$PXEDIAG_GUI_PROFILE" "$conf/profiles/PXE"
    # the window layout is per profile: no byte view, a tall packet list
    cat >"$conf/profiles/PXE/recent" <<EOF
gui.byte_view_show: FALSE
gui.packet_diagram_show: FALSE
gui.geometry_main_upper_pane: 560
EOF
    profile_args+=(-C PXE)
fi
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || die "setpriv not found (util-linux)"
    chown -R 65534:65534 "$home"
    setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$cap" -a -r "$plugin" ||
        die "uid 65534 cannot reach $work or $build (set TMPDIR elsewhere?)"
fi

# A private X server on a display it picks itself (-displayfd).
cookie=$(mcookie)
touch "$work/server.auth" "$work/client.auth" "$work/display"
xauth -q -f "$work/server.auth" add :0 MIT-MAGIC-COOKIE-1 "$cookie"
timeout -k 2 88 Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" \
    -nolisten tcp -auth "$work/server.auth" 3>"$work/display" \
    >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
display=
while [ $SECONDS -lt $((deadline - 75)) ]; do
    display=$(tr -dc 0-9 <"$work/display")
    [ -n "$display" ] && break
    alive "$xvfb_pid" || break
    sleep 0.2
done
[ -n "$display" ] || { cat "$work/xvfb.log" >&2; die "Xvfb did not start"; }
export DISPLAY=:$display
export XAUTHORITY=$work/client.auth
xauth -q -f "$XAUTHORITY" add "$DISPLAY" MIT-MAGIC-COOKIE-1 "$cookie"
chmod 644 "$XAUTHORITY"
say "Xvfb on $DISPLAY"

timeout -k 3 70 "$top/tests/lib/as-user" "$build/plugins" \
    env HOME="$home" XDG_RUNTIME_DIR="$home/run" QT_ACCESSIBILITY=0 \
    NO_AT_BRIDGE=1 QT_QPA_PLATFORM=xcb \
    wireshark "${profile_args[@]}" -r "$cap" \
    >"$work/wireshark.log" 2>&1 &
ws_pid=$!

# Wireshark 4.0 takes no -z for statistics trees: wait for the main window
# (titled after the file once it is read), then open Statistics > PXE.
name=$(basename "$cap")
main=
while [ $SECONDS -lt $((deadline - 30)) ]; do
    alive "$ws_pid" || { cat "$work/wireshark.log" >&2; die "wireshark exited early"; }
    main=$(xdotool search --onlyvisible --name "^$(printf %s "$name" | sed 's/[].[*^$+?(){}|\\]/\\&/g')" 2>/dev/null | head -n 1 || true)
    [ -n "$main" ] && break
    sleep 0.5
done
[ -n "$main" ] || { xwd -root -silent | convert xwd:- "png:$out" || true; die "no main window (screen in $out)"; }
xdotool windowmove "$main" 0 0 windowsize "$main" "$width" "$height" || true
sleep 1
if [ -n "${PXEDIAG_GUI_MAIN:-}" ]; then
    sleep "${PXEDIAG_GUI_SETTLE:-3}"
    xdotool mousemove $((width - 1)) $((height - 1))
    xwd -id "$main" -silent | convert xwd:- "png:$PXEDIAG_GUI_MAIN"
    say "saved $PXEDIAG_GUI_MAIN"
fi
xdotool windowfocus --sync "$main" 2>/dev/null || true
# Statistics menu (Alt+S); plugins' trees come last in it, so Up from its
# first item wraps round to PXE.
xdotool key --clearmodifiers alt+s
sleep 1
xdotool key --clearmodifiers Up
sleep 0.5
if [ "${PXEDIAG_GUI_DEBUG:-}" = 1 ]; then
    xwd -root -silent | convert xwd:- "png:${out%.png}.menu.png"
fi
xdotool key --clearmodifiers Return

# The dialog is titled "Wireshark · PXE · <file>".
win=
while [ $SECONDS -lt $((deadline - 15)) ]; do
    alive "$ws_pid" || { cat "$work/wireshark.log" >&2; die "wireshark exited early"; }
    win=$(xdotool search --onlyvisible --name "PXE" 2>/dev/null | grep -vx "$main" | head -n 1 || true)
    [ -n "$win" ] && break
    sleep 0.5
done
if [ -z "$win" ]; then
    xwd -root -silent | convert xwd:- "png:$out" || true
    cat "$work/wireshark.log" >&2
    die "no PXE statistics dialog appeared (screen saved to $out)"
fi
say "dialog $win: $(xdotool getwindowname "$win")"
# No window manager: place and size the dialog ourselves, on top.
xdotool windowmove "$win" 0 0 windowsize "$win" "$dlg_w" "$dlg_h" windowraise "$win" || true
# Sort by Count, largest first, as tshark prints it: the dialog starts
# sorted by name; its header's Count cell sorts ascending, a second click
# descending.
sleep 1
xdotool mousemove --window "$win" 237 22 click 1
sleep 0.5
xdotool click 1
xdotool mousemove $((width - 1)) $((height - 1))     # the pointer out of the picture
sleep "${PXEDIAG_GUI_SETTLE:-3}"
if [ "${PXEDIAG_GUI_DEBUG:-}" = 1 ]; then
    xwd -root -silent | convert xwd:- "png:${out%.png}.screen.png"
fi
xwd -id "$win" -silent | convert xwd:- "png:$out"
say "saved $out"
