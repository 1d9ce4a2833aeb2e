package course

// week03Basic is discovery by broadcast: a responder and a seeker.
var week03Basic = Lab{
	Week:      3,
	Kind:      Basic,
	Title:     "discovery by broadcast",
	Package:   "weeks/week03/broadcast",
	Files:     []string{"broadcast.go", "seeker.go"},
	TestFiles: []string{"helpers_test.go", "responder_test.go", "seeker_test.go", "scripts_test.go"},
	Checks: []Check{
		// The responder, tested with the test's own seeker socket.
		{ID: "w03.basic.answer", Name: "a broadcast query is answered", Test: "TestAnswer", Points: 12,
			Hint: `Answer "HERE <token> <name>" with conn.WriteToUDPAddrPort to the address the query came from, from the same socket: not by broadcast, not from a new socket.`},
		{ID: "w03.basic.shared_port", Name: "every listener on a port receives", Test: "TestSharedPort", Points: 12,
			Hint: "Set SO_REUSEADDR in net.ListenConfig.Control, before the bind (net.ListenUDP is too late), and bind 0.0.0.0: a socket bound to 127.0.0.1 hears no broadcast."},
		{ID: "w03.basic.malformed", Name: "malformed queries get no answer", Test: "TestIgnoresMalformed", Points: 10,
			Hint: `Accept exactly "DISCOVER <token>" (strings.Split on one space, two fields, a 1-32 letter or digit token), read into a MaxMessage+1 byte buffer, and keep reading after a bad datagram.`},
		{ID: "w03.basic.name", Name: "an invalid name is refused", Test: "TestResponderName", Points: 5,
			Hint: "Check r.Name before serving: 1 to MaxName bytes from '!' to '~'; otherwise close conn and return an error wrapping ErrBadName."},
		{ID: "w03.basic.shutdown", Name: "Serve stops when its context ends", Test: "TestServeShutdown", Points: 7,
			Hint: "Close conn when ctx is done (context.AfterFunc) to wake the blocked read, then return nil, not ctx.Err(); Serve closes conn on every return."},
		// The seeker, tested with the test's own fake responders.
		{ID: "w03.basic.discover", Name: "the seeker learns who answered", Test: "TestDiscover", Points: 14,
			Hint: "Read answers on the unconnected socket you sent from (net.DialUDP hears nobody), until the deadline, not just the first; keep each (address, name) pair, since responders may share an address."},
		{ID: "w03.basic.query", Name: "the query's exact format", Test: "TestQuery", Points: 6,
			Hint: `Send exactly "DISCOVER <token>", no newline, once per call (unless Resend), with a fresh random token each time (crypto/rand.Text).`},
		{ID: "w03.basic.junk_answers", Name: "stray and malformed answers are ignored", Test: "TestDiscoverIgnoresJunk", Points: 10,
			Hint: `Keep only exact "HERE <your token> <name>" datagrams with a valid name, read into a MaxMessage+1 byte buffer; count a repeated (address, name) once.`},
		{ID: "w03.basic.nobody", Name: "the seeker ends on time when nobody answers", Test: "TestDiscoverNobody", Points: 8,
			Hint: "Set the read deadline from ctx (or DefaultWait), close the socket when ctx is cancelled, and return the empty result with a nil error: silence is an answer."},
		{ID: "w03.basic.send_error", Name: "a query that cannot be sent is an error", Test: "TestDiscoverSendError", Points: 4,
			Hint: `Check the error of WriteToUDP and return it at once, wrapped with %w ("send query: %w"), instead of waiting for answers to a query that never left.`},
		// The programs.
		{ID: "w03.basic.cli_discover", Name: "bcastscan finds three bcastd on one port", Test: "TestScripts/cli_discover", Points: 6,
			Hint: `Every bcastd must start on the shared port (ListenShared) and answer; and bcastd logs what Serve reports: call r.Logf("answer to %s: %s", address, answer) after every answer.`},
		{ID: "w03.basic.cli_nobody", Name: "bcastscan with nobody listening", Test: "TestScripts/cli_nobody", Points: 3,
			Hint: "When nobody answers, Discover must return an empty result and a nil error at the deadline, so bcastscan says so and exits 1."},
		{ID: "w03.basic.cli_shutdown", Name: "bcastd stops cleanly on SIGINT", Test: "TestScripts/cli_shutdown", Points: 3,
			Hint: "On SIGINT ctx is cancelled: Serve must close its socket, return nil and leave no goroutine running, so bcastd exits 0."},
		// Bonus: the syllabus's "future extension".
		{ID: "w03.basic.resend", Name: "bonus: the query is repeated until the timeout", Test: "TestDiscoverResend", Points: 10, Bonus: true,
			Hint: "With Seeker.Resend > 0, send the same query again every Resend until the deadline (read deadline = the earlier of the next send and the end), and keep each answer once."},
	},
}
