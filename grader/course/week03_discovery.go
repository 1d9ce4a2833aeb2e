package course

// week03Extra is the service discovery tool: nodes that answer broadcast
// queries, and the scanner that collects their offers.
var week03Extra = Lab{
	Week:      3,
	Kind:      Extra,
	Title:     "Service discovery tool",
	Package:   "weeks/week03/discovery",
	Files:     []string{"discovery.go", "message.go"},
	TestFiles: []string{"helpers_test.go", "wire_test.go", "node_test.go", "scan_test.go", "multicast_test.go", "scripts_test.go"},
	Checks: []Check{
		// The messages.
		{ID: "w03.extra.wire", Name: "queries and offers parsed exactly", Test: "TestWireFormat", Points: 10,
			Hint: `Split on single spaces (not strings.Fields), check the verb, the number of fields and every word (1 to 63 bytes of 0x21-0x7E); a port is digits only, no leading zero, 1 to 65535; the kind "*" means every kind in a query and nothing in an offer.`},
		// The node.
		{ID: "w03.extra.listen", Name: "several nodes share the port and hear broadcasts", Test: "TestListenShared", Points: 8,
			Hint: `Set SO_REUSEADDR in a net.ListenConfig Control function before the bind, and bind 0.0.0.0: a socket bound to 127.0.0.1 never hears 127.255.255.255.`},
		{ID: "w03.extra.node_answers", Name: "a node answers each querier with its offers", Test: "TestNodeAnswers", Points: 10,
			Hint: `Send one OFFER per service, with the query's token, with WriteTo to the address ReadFrom returned; and refuse at once (ErrInvalid) a node whose name or services cannot be offered.`},
		{ID: "w03.extra.node_kind", Name: "a node offers only the kind asked for", Test: "TestNodeKind", Points: 6,
			Hint: `Offer only the services whose kind equals the query's (case-sensitive); "*" asks for all; when nothing matches, send nothing at all.`},
		{ID: "w03.extra.node_junk", Name: "a node ignores malformed datagrams", Test: "TestNodeIgnoresJunk", Points: 6,
			Hint: `Never answer a datagram that ParseQuery refuses, not even with an error, and keep reading after it: one bad datagram must not stop the node.`},
		{ID: "w03.extra.node_shutdown", Name: "Serve stops when its context ends", Test: "TestNodeShutdown", Points: 6,
			Hint: `Close conn when ctx is done (context.AfterFunc) to wake ReadFrom, return nil for a shutdown, return any other read error instead of retrying it, and close conn on every return.`},
		// The scanner.
		{ID: "w03.extra.scan_several", Name: "a scan finds every node, sorted", Test: "TestScanSeveral", Points: 10,
			Hint: `Broadcast one "SEARCH <token> *", keep reading until Wait is over (not just the first answer), take each service's address from the offer's source IP and offered port, and sort by node, then service.`},
		{ID: "w03.extra.scan_timeout", Name: "a scan ends on time, silent or not", Test: "TestScanTimeout", Points: 8,
			Hint: `Set ONE read deadline for the whole scan (not one per datagram); a deadline that passes is the normal end (nil error); when ctx ends first, return what you found with ctx.Err().`},
		{ID: "w03.extra.scan_malformed", Name: "malformed replies are ignored and counted", Test: "TestScanMalformed", Points: 7,
			Hint: `A datagram that ParseOffer refuses is counted in Result.Malformed and skipped; it is not an error of the scan, and the scan goes on.`},
		{ID: "w03.extra.scan_dedup", Name: "duplicate offers are listed once", Test: "TestScanDedup", Points: 7,
			Hint: `Key found services by node AND service name; keep the first offer, count the repeats in Result.Duplicates; two services of one node are two entries.`},
		{ID: "w03.extra.scan_left", Name: "a node that left is gone on the next scan", Test: "TestScanNodeLeft", Points: 6,
			Hint: `Use a fresh random token for every scan and count offers with another token as Stray: on a reused socket, a late answer to the last scan must not bring back a node that left.`},
		{ID: "w03.extra.scan_kind", Name: "a scan for one kind", Test: "TestScanKind", Points: 4,
			Hint: `Send the kind in the query, and still skip (as Stray) offers of another kind: old or careless nodes answer with everything. Refuse a kind that is not a word (ErrInvalid) before sending.`},
		// The programs.
		{ID: "w03.extra.cli_scan", Name: "disco-scan lists the services of two nodes", Test: "TestScripts/cli_scan", Points: 4,
			Hint: `disco-node logs what Serve reports: call n.Logf("answered %s with %d offers (kind %s)", ...) once for every query you answer.`},
		{ID: "w03.extra.cli_empty", Name: "a scan that finds nothing ends cleanly", Test: "TestScripts/cli_empty", Points: 4,
			Hint: `An empty network is not an error: Scan returns an empty Result and nil after Wait, and disco-scan exits 0 with no table.`},
		{ID: "w03.extra.cli_leave", Name: "a node stops on SIGINT and drops out", Test: "TestScripts/cli_leave", Points: 4,
			Hint: `On SIGINT ctx ends: Serve must close its socket, return nil (not ctx.Err()) and leave no goroutine, so disco-node exits 0 and the next scan no longer finds it.`},
		// Bonus: the syllabus's "future extension", compared with multicast.
		{ID: "w03.extra.multicast", Name: "bonus: nodes on a multicast group", Test: "TestListenGroup", Points: 5, Bonus: true,
			Hint: `Resolve the group with net.ResolveUDPAddr, refuse anything but an IPv4 multicast address (ErrInvalid), and join it with net.ListenMulticastUDP on the given interface.`},
	},
}
