# SPDX-License-Identifier: GPL-2.0-or-later
#
# summary.awk - per-client event summary for check-captures.sh -s. Input: tshark -T fields
# with separator '|' and occurrence=f, fields in the order check-captures.sh requests them;
# variable mac = the client. Prints DHCP/proxy and DHCPv6 lines and HTTP requests and answers
# (repeats collapsed), ARP targets and one line per TFTP transfer (client address:port, IPv4
# or IPv6) with its result.
#
# A capture may hold several interfaces (the relay scenarios record the client segment and
# the server segment into one pcapng): a routed or relayed packet is then in it once per
# segment. The summary is the client's view, so it follows the interface the client's own
# frames are on; what the other interfaces saw of the client's boot is counted apart, one
# line per interface, so that no DHCP message, RRQ, DATA or ACK is counted twice.

function dhcp_name(t) {
	return (t in DN) ? DN[t] : "type" t
}
function dhcp6_name(t) {
	return (t in D6N) ? D6N[t] : "type" t
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
# other_segment(): count a frame of the client's boot seen on another interface (relay, router)
function other_segment() {
	if (!(ifname in onum)) { oifs[++noif] = ifname; onum[ifname] = 0 }
	onum[ifname]++
	if (dtype != "") {
		k = ifname SUBSEP dhcp_name(dtype)
		if (!(k in odhcp)) otypes[ifname] = otypes[ifname] " " dhcp_name(dtype)
		odhcp[k]++
	} else if (op == 1) orrq[ifname]++
	else if (op != "") otftp[ifname]++
}
BEGIN {
	prev = ""; rep = 0; nt = 0; cif = ""; noif = 0
	split("DISCOVER OFFER REQUEST DECLINE ACK NAK RELEASE INFORM", DN, " ")
	split("SOLICIT ADVERTISE REQUEST CONFIRM RENEW REBIND REPLY RELEASE DECLINE RECONFIGURE " \
	      "INFORMATION-REQUEST RELAY-FORW RELAY-REPL", D6N, " ")
}
{
	t = $1; esrc = tolower($2); edst = tolower($3); isrc = $4; idst = $5; sport = $6; dport = $7
	dtype = $8; dmac = tolower($9); yi = $10; sid = $11; si = $12; file = $13; o67 = $14; vci = $15
	arch = $16; op = $17; tfile = $18; blk = $19; ecode = $20; emsg = $21; itype = $22; icode = $23
	arpop = $24; spa = $25; tpa = $26; uc = $27; v6 = $28; ulen = $29
	ifid = $30; ifname = ($31 != "") ? $31 : "interface " $30
	d6 = $33; hmeth = $34; huri = $35; hcode = $36; hlen = $37
	if (isrc == "" && v6 != "") { isrc = v6; idst = $32 }   # IPv6: its addresses stand in
	from_client = (esrc == mac)
	if (from_client && cif == "") cif = ifid
	if (cif != "" && ifid != cif) {         # another segment: counted apart
		if (from_client || edst == mac || dmac == mac || (isrc in ips) || (idst in ips)) other_segment()
		next
	}
	if (from_client && isrc != "" && isrc != "0.0.0.0" && isrc != "::") ips[isrc] = 1
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
	if (d6 != "") {
		emit(sprintf("t=%.1f DHCPv6 %s%s", t, dhcp6_name(d6), from_client ? "" : " from " isrc))
		next
	}
	if (hmeth != "" && from_client) { emit(sprintf("t=%.1f HTTP %s %s to %s", t, hmeth, huri, idst)); next }
	if (hcode != "" && to_client) {
		emit(sprintf("t=%.1f HTTP %s from %s%s", t, hcode, isrc, hlen != "" ? " (" hlen " bytes)" : ""))
		next
	}
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
	for (i = 1; i <= noif; i++) {
		f = oifs[i]
		r = sprintf("also on %s (another segment, not counted above): %d frames", f, onum[f])
		n = split(substr(otypes[f], 2), tn, " ")
		s = ""
		for (j = 1; j <= n; j++) s = s sprintf("%s %s x%d", j > 1 ? "," : "", tn[j], odhcp[f, tn[j]])
		r = r (n ? "; DHCP" s : "; no DHCP")
		r = r (orrq[f] + otftp[f] ? sprintf("; TFTP RRQ x%d, %d other TFTP packets", orrq[f], otftp[f]) : "; no TFTP")
		print "    " r
	}
}
