# SPDX-License-Identifier: GPL-2.0-or-later
#
# summary.awk - per-client event summary for check-captures.sh -s. Input: tshark -T fields
# with separator '|' and occurrence=f, fields in the order check-captures.sh requests them;
# variable mac = the client. Prints DHCP/proxy lines (repeats collapsed), ARP targets and
# one line per TFTP transfer (client address:port) with its result.

function dhcp_name(t) {
	return (t in DN) ? DN[t] : "type" t
}
function emit(line) {
	if (line == prev) { rep++; return }
	flush()
	prev = line; rep = 0
}
function flush() {
	if (prev != "") print "    " prev (rep ? "   (x" rep + 1 ")" : "")
	prev = ""
}
BEGIN {
	prev = ""; rep = 0; nt = 0
	split("DISCOVER OFFER REQUEST DECLINE ACK NAK RELEASE INFORM", DN, " ")
}
{
	t = $1; esrc = tolower($2); edst = tolower($3); isrc = $4; idst = $5; sport = $6; dport = $7
	dtype = $8; dmac = tolower($9); yi = $10; sid = $11; si = $12; file = $13; o67 = $14; vci = $15
	arch = $16; op = $17; tfile = $18; blk = $19; ecode = $20; emsg = $21; itype = $22; icode = $23
	arpop = $24; spa = $25; tpa = $26; uc = $27; v6 = $28; ulen = $29
	from_client = (esrc == mac)
	if (from_client && isrc != "" && isrc != "0.0.0.0") ips[isrc] = 1
	to_client = (edst == mac) || (idst in ips)
	if (!from_client && !to_client && dmac != mac) next

	if (dtype != "") {
		port = (sport == 4011 || dport == 4011) ? " port 4011" : ""
		if (from_client) {
			s = sprintf("%s%s", dhcp_name(dtype), port)
			if (vci != "") s = s " vci=" substr(vci, 1, 20)
			if (arch != "") s = s " arch=" arch
			if (uc != "") s = s " user-class=" uc
			if (idst != "255.255.255.255") s = s " to " idst
		} else {
			s = sprintf("%s%s from %s yiaddr=%s siaddr=%s", dhcp_name(dtype), port, isrc, yi, si)
			if (file != "") s = s " file=" file
			if (o67 != "") s = s " opt67=" o67
			if (vci != "") s = s " vci=" vci
		}
		emit(sprintf("t=%.1f DHCP %s", t, s))
		next
	}
	if (v6 != "" && from_client && dport == 547) { emit("DHCPv6 SOLICIT (next boot option)"); next }
	if (arpop == 1 && from_client) {
		if (spa == tpa) next
		if (!(tpa in arpn)) arpt[++na] = tpa
		arpn[tpa]++
		next
	}
	if (arpop == 2 && to_client) { arpok[spa] = 1; next }

	if (op == 1 && from_client) {           # RRQ
		k = isrc ":" sport
		if (!(k in tf)) { tk[++nt] = k; tf[k] = tfile; tt[k] = t; ts[k] = idst }
		rrq[k]++
		next
	}
	if (itype == 3 && to_client) { k = idst ":" sport; icmp[k]++; icmpc[k] = icode; next }
	if (op != "" && to_client) {            # server -> client
		k = idst ":" dport
		if (!(k in tf)) next
		if (op == 6) oack[k]++
		else if (op == 3) {
			data[k]++
			if (blk + 0 > maxb[k]) { maxb[k] = blk + 0; lastlen[k] = ulen + 0 }
			if (ulen + 0 > maxlen[k]) maxlen[k] = ulen + 0
		} else if (op == 5) serr[k] = ecode " (" emsg ")"
		next
	}
	if (op != "" && from_client) {          # client -> server (ACK / ERROR)
		k = isrc ":" sport
		if (!(k in tf)) next
		if (op == 4) { acks[k]++; if ((k in lastack) && blk == lastack[k]) dup[k]++; lastack[k] = blk }
		else if (op == 5) cerr[k] = ecode " (" emsg ")"
		next
	}
}
END {
	flush()
	for (i = 1; i <= na; i++)
		printf "    ARP who-has %s x%d%s\n", arpt[i], arpn[arpt[i]], (arpt[i] in arpok) ? " answered" : " NEVER ANSWERED"
	for (i = 1; i <= nt; i++) {
		k = tk[i]
		r = sprintf("t=%.1f TFTP %s from %s: RRQ x%d", tt[k], tf[k], ts[k], rrq[k])
		if (oack[k]) r = r ", OACK x" oack[k]
		if (k in serr) r = r ", server ERROR " serr[k]
		if (icmp[k]) r = r ", ICMP unreachable (code " icmpc[k] ") x" icmp[k]
		if (k in cerr) r = r ", client ERROR " cerr[k]
		if (data[k]) {
			r = r sprintf(", DATA blocks 1..%d (%d packets)", maxb[k], data[k])
			if (lastlen[k] < maxlen[k] || (data[k] == 1 && lastlen[k] < 520)) r = r " complete"
			else r = r " NOT COMPLETE"
		}
		if (dup[k]) r = r sprintf(", repeated ACKs x%d (last ACK %s)", dup[k], lastack[k])
		if (!oack[k] && !data[k] && !(k in serr) && !icmp[k]) r = r ", NO ANSWER"
		print "    " r
	}
}
