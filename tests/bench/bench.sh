#!/bin/bash
# bench.sh - what the pxe plugin costs tshark, and what pxe-report costs, on
# synthetic fleets multiplied from the lab's real boot captures and on
# ordinary traffic with no PXE at all. One run, with and without the plugin
# alternating, repeated; it prints figures and ratios. A benchmark, not a
# test: nothing fails on a number (it stops only when something is broken).
#
#   tests/bench/bench.sh [--quick | --full] [OPTIONS]
#
#   --quick            fleet-1k only
#   (default)          fleet-1k, fleet-10k, nopxe (1M packets), mix5 (5% PXE)
#   --full             the default and fleet-100k (>= 20M packets, ~13 GB)
#   --captures LIST    comma-separated names from: fleet-1k fleet-10k fleet-100k nopxe mix5
#   -r, --repeats R    repeats of every measurement (default 5)
#   --big-repeats R    repeats for captures above --big-packets (default 1); these
#                      run only plain read, the pxe-report command and pxe-report
#   --big-packets N    (default 5000000)
#   --cache DIR        where generated captures are kept and reused
#                      (default /tmp/pxe-bench-cache)
#   --build DIR        build tree with plugins/, postproc/pxe-report and
#                      tests/bench/fleetgen (default: the checkout's build/)
#   --seed S           fleetgen seed (default 1)
#
# On a busy 2-core machine --quick takes ~6 min (5 repeats); the default about
# 25 min per repeat; fleet-100k about 40 min for its one repeat.
#
# Captures come from tests/bench/fleetgen (built by cmake; needs libpcap-dev):
#   fleet-N  N PXE clients, each a copy of one lab boot (templates and weights
#            below: half boot fine, half fail), new MAC/IP/xid/ports, start times
#            spread so that boots overlap
#   nopxe    ~1M packets of DNS, HTTP over TCP and ARP, no PXE at all
#   mix5     250 PXE clients in ordinary traffic, ~5% of the packets are PXE
# Each capture is generated once (named by a hash of the generator, its
# arguments and the templates), checked once for malformed packets, and on
# every run the clients and verdicts pxe-report finds are compared with what
# the templates give alone.
#
# tshark runs as an unprivileged user (tests/lib/as-user) because tshark run
# as root ignores WIRESHARK_PLUGIN_DIR; "without the plugin" is
# WIRESHARK_PLUGIN_DIR set to an empty directory, "with" to a snapshot of
# BUILD/plugins taken at the start (a rebuild during the run changes nothing).
# CPU is user+sys and peak RSS is ru_maxrss of tshark, from /usr/bin/time.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
{ # the whole script is read before it runs: editing it meanwhile is harmless
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
as_user=$top/tests/lib/as-user
captures_dir=$top/samples/captures

# fleet templates, PATH=WEIGHT: ok boots (BIOS pxelinux, UEFI syslinux, UEFI
# iPXE chainload) and failures (PXE-E3B, PXE-E53, PXE-E32, PXE-E38)
templates=(
    bios-pxelinux-ok=3
    uefi-syslinux-ok=1
    uefi-ipxe-chain-ok=1
    bios-nbp-not-found=2
    bios-no-bootfile=1
    bios-tftp-dropped=1
    bios-tftp-port-closed=1
)

usage() { sed -n '2,/^# SPDX/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

build=$top/build
cache=/tmp/pxe-bench-cache
repeats=5
big_repeats=1
big_packets=5000000
seed=1
set_name=default
captures=
while [ $# -gt 0 ]; do
    case $1 in
    --quick) set_name=quick ;;
    --full) set_name=full ;;
    --captures) captures=${2//,/ }; shift ;;
    -r | --repeats) repeats=$2; shift ;;
    --big-repeats) big_repeats=$2; shift ;;
    --big-packets) big_packets=$2; shift ;;
    --cache) cache=$2; shift ;;
    --build) build=$2; shift ;;
    --seed) seed=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$captures" ]; then
    case $set_name in
    quick) captures="fleet-1k" ;;
    default) captures="fleet-1k fleet-10k nopxe mix5" ;;
    full) captures="fleet-1k fleet-10k fleet-100k nopxe mix5" ;;
    esac
fi
build=$(cd "$build" && pwd)
fleetgen=$build/tests/bench/fleetgen
for f in "$build/plugins" "$build/postproc/pxe-report" "$fleetgen"; do
    [ -e "$f" ] || { echo "bench.sh: $f missing: build first (cmake; fleetgen needs libpcap-dev)" >&2; exit 2; }
done
for b in tshark capinfos /usr/bin/time sha256sum; do
    command -v "$b" >/dev/null || { echo "bench.sh: $b not found" >&2; exit 2; }
done

work=$(mktemp -d /tmp/pxe-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/noplugins" "$work/out" "$work/s"
chmod 1777 "$work/out" # tshark runs as nobody when we are root
# snapshot of the plugin and pxe-report: the build tree may change under us
cp -a "$build/plugins" "$work/plugins"
cp "$build/postproc/pxe-report" "$work/pxe-report"
chmod -R a+rX "$work/plugins"
plug=$work/plugins
nop=$work/noplugins
report=$work/pxe-report

if ! "$as_user" "$plug" tshark -G plugins 2>"$work/err" | grep -q 'pxe\.so'; then
    echo "bench.sh: the pxe plugin does not load from $build/plugins:" >&2
    cat "$work/err" >&2
    exit 2
fi
if grep -q "Couldn't load plugin" "$work/err"; then
    cat "$work/err" >&2
    exit 2
fi
report_cmd=$("$report" --print-tshark-command)

mkdir -p "$cache"
chmod 755 "$cache"

# ------------------------------------------------------------- captures

tpl_args=()
for t in "${templates[@]}"; do
    tpl_args+=("$captures_dir/${t%%=*}.pcapng=${t#*=}")
done

# gen_args NAME -> fleetgen arguments (without -o)
gen_args() {
    case $1 in
    fleet-1k) echo "-n 1000 -s $seed" ;;
    fleet-10k) echo "-n 10000 -s $seed" ;;
    fleet-100k) echo "-n 100000 -s $seed" ;;
    nopxe) echo "-b 1000000 -s $seed" ;;
    mix5) echo "-n 250 -p 0.05 -s $seed" ;;
    *) echo "bench.sh: unknown capture $1" >&2; exit 2 ;;
    esac
}

# prepare NAME -> path of the capture (generated and checked once, cached)
prepare() {
    local name=$1 args key file
    args=$(gen_args "$name")
    local -a tpls=()
    [ "$name" = nopxe ] || tpls=("${tpl_args[@]}")
    key=$({
        cat "$here/fleetgen.c"
        echo "$args ${tpls[*]}"
        for t in "${tpls[@]}"; do cat "${t%=*}"; done
    } | sha256sum | cut -c1-12)
    file=$cache/$name-$key.pcap
    if [ ! -s "$file" ] || [ ! -s "$file.meta" ]; then
        rm -f "$cache/$name"-*.pcap "$cache/$name"-*.pcap.* # older generations
        echo "generating $name: fleetgen $args ..." >&2
        # shellcheck disable=SC2086
        "$fleetgen" $args -o "$file.tmp" "${tpls[@]}" 2>"$file.meta.tmp"
        chmod 644 "$file.tmp"
        mv "$file.meta.tmp" "$file.meta"
        mv "$file.tmp" "$file"
    fi
    if [ ! -s "$file.malformed" ]; then
        echo "checking $name for malformed packets ..." >&2
        "$as_user" "$nop" tshark -r "$file" -Y _ws.malformed 2>/dev/null | wc -l >"$file.malformed.tmp"
        mv "$file.malformed.tmp" "$file.malformed"
    fi
    echo "$file"
}

meta() { awk -F= -v k="$2" '$1 == k {print $2}' "$1.meta"; }

# expected verdict rows per template, with this plugin: "template outcome"
expected_rows() {
    for t in "${templates[@]}"; do
        local n=${t%%=*}
        "$as_user" "$plug" "$report" --format csv "$captures_dir/$n.pcapng" 2>/dev/null |
            awk -F, -v t="$n" 'NR > 1 {print t, $3}' || true
    done
}

# ------------------------------------------------------------ measuring

# run_tshark CAP MODE VARIANT OUT ARGS... : one timed tshark run, appends
# "cpu wall rss_kb" to the sample file
run_tshark() {
    local cap=$1 mode=$2 variant=$3 outfile=$4
    shift 4
    local pd=$plug
    [ "$variant" = without ] && pd=$nop
    rm -f "$work/out/time"
    if ! "$as_user" "$pd" /usr/bin/time -f "%U %S %e %M" -o "$work/out/time" tshark "$@" >"$outfile" 2>"$work/err"; then
        echo "bench.sh: tshark failed ($cap $mode $variant): tshark $*" >&2
        cat "$work/err" >&2
        exit 1
    fi
    if grep -q "Couldn't load plugin" "$work/err"; then
        cat "$work/err" >&2
        exit 1
    fi
    tail -n 1 "$work/out/time" | awk '{printf "%.2f %.2f %d\n", $1 + $2, $3, $4}' >>"$work/s/$cap.$mode.$variant"
}

# the DHCP/TFTP fields a person would ask for, and the plugin's
fields=(-T fields -e frame.number -e frame.time_epoch -e eth.src -e ip.src -e ip.dst -e udp.srcport -e udp.dstport
    -e dhcp.option.dhcp -e dhcp.id -e dhcp.hw.mac_addr -e dhcp.ip.your -e dhcp.option.bootfile_name
    -e tftp.opcode -e tftp.source_file -e tftp.block -e tftp.error.code)
pxe_fields=(-e pxe.stage -e pxe.client -e pxe.client_ip -e pxe.attempt -e pxe.tftp.file -e pxe.diag)

# one MODE for capture CAP, VARIANT without|with
run_mode() {
    local cap=$1 file=$2 mode=$3 variant=$4
    case $mode in
    read) run_tshark "$cap" read "$variant" /dev/null -r "$file" ;;
    fields) run_tshark "$cap" fields "$variant" /dev/null -r "$file" "${fields[@]}" ;;
    fieldspxe) run_tshark "$cap" fieldspxe with /dev/null -r "$file" "${fields[@]}" "${pxe_fields[@]}" ;;
    twopass) run_tshark "$cap" twopass "$variant" /dev/null -2 -r "$file" ;;
    filter)
        if [ "$variant" = without ]; then
            run_tshark "$cap" filter without /dev/null -r "$file" -Y "dhcp or tftp"
        else
            run_tshark "$cap" filter with /dev/null -r "$file" -Y pxe
        fi
        ;;
    report)
        # the command pxe-report prints, its output saved for pxe-report below
        eval "set -- $report_cmd"
        shift # tshark
        run_tshark "$cap" report with "$work/$cap.tsv" -r "$file" "$@"
        ;;
    esac
}

# sample FILE COLUMN min|med|max
sample() {
    [ -s "$1" ] || { echo "-"; return; }
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk -v w="$3" '
        {v[NR] = $1}
        END {
            if (w == "min") x = v[1]
            else if (w == "max") x = v[NR]
            else x = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            print x
        }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }

# ------------------------------------------------------------------ run

declare -A cap_file cap_clients cap_packets cap_big
for c in $captures; do
    f=$(prepare "$c")
    cap_file[$c]=$f
    cap_clients[$c]=$(meta "$f" clients)
    cap_packets[$c]=$(meta "$f" packets)
    cap_big[$c]=0
    [ "${cap_packets[$c]}" -gt "$big_packets" ] && cap_big[$c]=1
    m=$(cat "$f.malformed")
    if [ "$m" != 0 ]; then
        echo "bench.sh: $f has $m malformed packets (tshark -r $f -Y _ws.malformed)" >&2
        exit 1
    fi
done
expected_rows >"$work/expected"
# pxe-report's own footprint: its peak RSS on a header line and no data
"$report" --print-tshark-command | awk '{for (i = 1; i <= NF; i++) if ($i == "-e") printf "%s%s", (n++ ? "\t" : ""), $(i + 1); print ""}' \
    >"$work/header.tsv"
/usr/bin/time -f "%U %S %e %M" -o "$work/out/time" "$report" - <"$work/header.tsv" >/dev/null 2>&1 || true
report_base_kb=$(tail -n 1 "$work/out/time" | awk '{print $4}')

echo "pxediag benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')  $(tshark --version | head -1)"
so=$(find "$plug" -name pxe.so | head -1)
echo "plugin: $build/plugins, pxe.so sha256 $(sha256sum "$so" | cut -c1-12) built $(date -u -r "$so" '+%Y-%m-%d %H:%M UTC') (snapshot)"
echo "checkout: $top at $(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)   repeats: $repeats (captures > $big_packets packets: $big_repeats)"
echo

modes_all="read fields fieldspxe twopass filter report"
modes_big="read report"
for c in $captures; do
    f=${cap_file[$c]}
    modes=$modes_all
    R=$repeats
    if [ "${cap_big[$c]}" = 1 ]; then
        modes=$modes_big
        R=$big_repeats
    fi
    for r in $(seq 1 "$R"); do
        echo "[$c] repeat $r/$R ..." >&2
        for m in $modes; do
            case $m in
            fieldspxe | report) run_mode "$c" "$f" "$m" with ;;
            *)
                # alternate which goes first, so drift hits both alike
                if [ $((r % 2)) = 1 ]; then
                    run_mode "$c" "$f" "$m" without
                    run_mode "$c" "$f" "$m" with
                else
                    run_mode "$c" "$f" "$m" with
                    run_mode "$c" "$f" "$m" without
                fi
                ;;
            esac
        done
    done
    # pxe-report on the saved output of its tshark command
    tsv=$work/$c.tsv
    lines=$(($(wc -l <"$tsv") - 1))
    for r in $(seq 1 "$R"); do
        rc=0
        /usr/bin/time -f "%U %S %e %M" -o "$work/out/time" "$report" - <"$tsv" >/dev/null 2>"$work/err" || rc=$?
        if [ "$rc" -eq 2 ] && [ "$lines" -gt 0 ]; then
            echo "bench.sh: pxe-report failed on $tsv:" >&2
            cat "$work/err" >&2
            exit 1
        fi
        tail -n 1 "$work/out/time" | awk '{printf "%.2f %.2f %d\n", $1 + $2, $3, $4}' >>"$work/s/$c.pxereport.with"
    done
    echo "$lines" >"$work/s/$c.lines"
    # what the plugin and pxe-report saw, against the templates alone
    check="no PXE clients expected"
    if [ "${cap_clients[$c]}" -gt 0 ]; then
        "$report" --format csv - <"$tsv" >"$work/$c.csv" 2>/dev/null || true
        got=$(awk -F, 'NR > 1 {o[$3]++; m[$2] = 1} END {n = 0; for (k in m) n++;
            printf "%d clients, %d ok, %d failed, %d incomplete", n, o["ok"], o["failed"], o["incomplete"]}' "$work/$c.csv")
        want=$(awk -F'\t' 'NR == FNR {n[$1]++; o[$1 " " $2]++; next}
            $1 == "template" {c += $3; for (k in o) { split(k, a, " "); if (a[1] == $2) w[a[2]] += o[k] * $3 }}
            END {printf "%d clients, %d ok, %d failed, %d incomplete", c, w["ok"], w["failed"], w["incomplete"]}' \
            <(tr ' ' '\t' <"$work/expected") "$f.meta")
        if [ "$got" = "$want" ]; then
            check="plugin + pxe-report: $got, as the templates alone"
        else
            check="MISMATCH: plugin + pxe-report found $got; the templates alone give $want"
        fi
    fi
    echo "$check" >"$work/s/$c.check"
done

# --------------------------------------------------------------- output

f2() { [ "$1" = "-" ] && echo "-" || awk -v x="$1" 'BEGIN {printf "%.2f", x}'; }
fmt_mb() { [ "$1" = "-" ] && echo "-" || awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

mode_label() {
    case $1 in
    read) echo "read (-r)" ;;
    fields) echo "-T fields dhcp/tftp" ;;
    fieldspxe) echo "-T fields +pxe.*" ;;
    twopass) echo "two-pass (-2 -r)" ;;
    filter) echo "filter (GUI-like)" ;;
    report) echo "pxe-report's command" ;;
    esac
}

row() { # LABEL VARIANT SAMPLEFILE [RATIO-AGAINST-FILE]
    local s=$3 base=${4:-}
    local cmin cmed wmin wmed rss
    cmin=$(sample "$s" 1 min)
    cmed=$(sample "$s" 1 med)
    wmin=$(sample "$s" 2 min)
    wmed=$(sample "$s" 2 med)
    rss=$(sample "$s" 3 max)
    local rc="" rw="" rr=""
    if [ -n "$base" ]; then
        rc=$(ratio "$cmed" "$(sample "$base" 1 med)")
        rw=$(ratio "$wmed" "$(sample "$base" 2 med)")
        rr=$(ratio "$rss" "$(sample "$base" 3 max)")
    fi
    printf "%-22s %-24s %8s %8s %8s %8s %8s  %7s %7s %7s\n" "$1" "$2" "$(f2 "$cmin")" "$(f2 "$cmed")" "$(f2 "$wmin")" \
        "$(f2 "$wmed")" "$(fmt_mb "$rss")" "$rc" "$rw" "$rr"
}

for c in $captures; do
    S=$work/s/$c
    size=$(du -m "${cap_file[$c]}" | cut -f1)
    echo "== $c: ${cap_clients[$c]} clients, ${cap_packets[$c]} packets, $size MB   ($(basename "${cap_file[$c]}"))"
    echo "   $(cat "$S.check")"
    printf "%-22s %-24s %8s %8s %8s %8s %8s  %7s %7s %7s\n" mode plugin "cpu min" "cpu med" "wall min" "wall med" "RSS MB" \
        "cpu" "wall" "RSS"
    printf "%-22s %-24s %8s %8s %8s %8s %8s  %s\n" "" "" "s" "s" "s" "s" "peak" "with/without (medians)"
    modes=$modes_all
    [ "${cap_big[$c]}" = 1 ] && modes=$modes_big
    for m in $modes; do
        case $m in
        fieldspxe) row "$(mode_label $m)" "with (vs fields without)" "$S.fieldspxe.with" "$S.fields.without" ;;
        report) row "$(mode_label $m)" "with" "$S.report.with" ;;
        filter)
            row "$(mode_label $m)" 'without: -Y "dhcp or tftp"' "$S.filter.without"
            row "" "with: -Y pxe" "$S.filter.with" "$S.filter.without"
            ;;
        *)
            row "$(mode_label $m)" without "$S.$m.without"
            row "" with "$S.$m.with" "$S.$m.without"
            ;;
        esac
    done
    echo
done

echo "== pxe-report on saved tshark output (pxe-report - < saved output of its tshark command; text to /dev/null)"
printf "%-12s %10s %8s %8s %12s %12s %8s %10s %9s\n" capture lines "cpu med" "wall med" "lines/s cpu" "lines/s wall" "RSS MB" \
    "tshark cpu" "share"
for c in $captures; do
    S=$work/s/$c
    lines=$(cat "$S.lines")
    pc=$(sample "$S.pxereport.with" 1 med)
    pw=$(sample "$S.pxereport.with" 2 med)
    pr=$(sample "$S.pxereport.with" 3 max)
    tc=$(sample "$S.report.with" 1 med)
    awk -v c="$c" -v l="$lines" -v pc="$pc" -v pw="$pw" -v pr="$pr" -v tc="$tc" 'BEGIN {
        lc = (pc > 0) ? sprintf("%.0f", l / pc) : "-"
        lw = (pw > 0) ? sprintf("%.0f", l / pw) : "-"
        sh = (pc + tc > 0) ? sprintf("%.1f%%", 100 * pc / (pc + tc)) : "-"
        printf "%-12s %10d %8.2f %8.2f %12s %12s %8.1f %10.2f %9s\n", c, l, pc, pw, lc, lw, pr / 1024, tc, sh }'
done
echo "(share: pxe-report's CPU in the pipeline tshark-with-plugin | pxe-report, medians; lines/s: over pxe-report's own CPU or wall time)"
echo

echo "== growth (medians; tshark with the plugin unless said)"
printf "%-11s %7s %9s | %8s %6s %7s %7s %7s %6s | %8s %6s %7s | %7s %6s %6s\n" capture clients packets \
    "read cpu" "us/pkt" "RSS w/o" "RSS MB" "+plugin" "KB/cl" "report-c" "us/pkt" "RSS MB" "pxe-rep" "RSS MB" "KB/cl"
for c in $captures; do
    S=$work/s/$c
    awk -v c="$c" -v n="${cap_clients[$c]}" -v p="${cap_packets[$c]}" \
        -v rc="$(sample "$S.read.with" 1 med)" -v r0="$(sample "$S.read.without" 3 max)" -v r1="$(sample "$S.read.with" 3 max)" \
        -v tc="$(sample "$S.report.with" 1 med)" -v tr="$(sample "$S.report.with" 3 max)" \
        -v pc="$(sample "$S.pxereport.with" 1 med)" -v pr="$(sample "$S.pxereport.with" 3 max)" -v pb="$report_base_kb" 'BEGIN {
        kt = (n > 0) ? sprintf("%.1f", (r1 - r0) / n) : "-"
        kc = (n > 0) ? sprintf("%.1f", (pr - pb) / n) : "-"
        printf "%-11s %7d %9d | %8.2f %6.2f %7.1f %7.1f %7.1f %6s | %8.2f %6.2f %7.1f | %7.2f %6.1f %6s\n",
            c, n, p, rc, 1e6 * rc / p, r0 / 1024, r1 / 1024, (r1 - r0) / 1024, kt, tc, 1e6 * tc / p, tr / 1024, pc, pr / 1024, kc }'
done
echo "(read cpu, us/pkt: tshark -r with the plugin; RSS w/o, RSS MB: its peak RSS without/with the plugin, +plugin the"
echo " difference, KB/cl that per client; report-c: the tshark command pxe-report runs; pxe-rep: pxe-report - on its saved"
echo " output, KB/cl its peak RSS above its own footprint ($(awk -v k="$report_base_kb" 'BEGIN {printf "%.1f", k / 1024}') MB) per client)"
echo

echo "== ratios with/without the plugin, CPU medians"
printf "%-12s %10s %12s %12s %10s %10s\n" capture read "fields" "fields+pxe" "two-pass" "filter"
for c in $captures; do
    S=$work/s/$c
    printf "%-12s %10s %12s %12s %10s %10s\n" "$c" \
        "$(ratio "$(sample "$S.read.with" 1 med)" "$(sample "$S.read.without" 1 med)")" \
        "$(ratio "$(sample "$S.fields.with" 1 med)" "$(sample "$S.fields.without" 1 med)")" \
        "$(ratio "$(sample "$S.fieldspxe.with" 1 med)" "$(sample "$S.fields.without" 1 med)")" \
        "$(ratio "$(sample "$S.twopass.with" 1 med)" "$(sample "$S.twopass.without" 1 med)")" \
        "$(ratio "$(sample "$S.filter.with" 1 med)" "$(sample "$S.filter.without" 1 med)")"
done
exit 0
}
