package course

// week01Basic is the TCP acknowledgement server and client.
var week01Basic = Lab{
	Week:      1,
	Kind:      Basic,
	Title:     "TCP acknowledgement server and client",
	Package:   "weeks/week01/tcpack",
	Files:     []string{"tcpack.go"},
	TestFiles: []string{"tcpack_test.go", "scripts_test.go"},
	Checks: []Check{
		// The server, tested with raw clients.
		{ID: "w01.basic.exchange", Name: "the server acknowledges a message", Test: "TestExchange", Points: 10,
			Hint: `Reply "ACK " + the message exactly as sent (cut only the "\n": strings.TrimSpace also eats the client's spaces), then close the connection.`},
		{ID: "w01.basic.sequential", Name: "clients one after another", Test: "TestSequentialClients", Points: 8,
			Hint: "Keep accepting after the first client, even one that hangs up without a request; give each connection its own deadline, taken when it is accepted."},
		{ID: "w01.basic.restart", Name: "a restart on the same port works", Test: "TestRestartSamePort", Points: 8,
			Hint: `Serve owns its listener: close it on every return (defer ln.Close()), or the next server gets "address already in use".`},
		{ID: "w01.basic.split_request", Name: "a request split across writes", Test: "TestSplitRequest", Points: 8,
			Hint: `One Read is not one message: TCP may deliver "hel" and "lo\n" apart. Read up to the newline (bufio.Reader.ReadString).`},
		{ID: "w01.basic.too_long", Name: "the length limit", Test: "TestTooLong", Points: 8,
			Hint: `Read at most MaxMessage+1 bytes (io.LimitReader): no newline among them means "ERR message too long", at once; exactly MaxMessage bytes plus "\n" is still fine.`},
		{ID: "w01.basic.silent_client", Name: "a silent client is dropped", Test: "TestSilentClient", Points: 8,
			Hint: "Set a deadline on every accepted connection (conn.SetDeadline) before reading, so a client that never sends cannot hold the server for ever."},
		{ID: "w01.basic.shutdown", Name: "Serve stops when its context ends", Test: "TestServeShutdown", Points: 8,
			Hint: "When ctx is done, close the listener and the open connections (context.AfterFunc), wait for what you started, and return nil."},
		// The client, tested with fake servers.
		{ID: "w01.basic.send", Name: "the client sends and reads one line", Test: "TestSend", Points: 10,
			Hint: `Refuse a message with "\n" (ErrBadMessage); write message+"\n"; read the reply up to its newline (bufio.Reader.ReadString), since it may arrive in pieces.`},
		{ID: "w01.basic.no_server", Name: "the client reports a refused connection", Test: "TestSendNoServer", Points: 6,
			Hint: "Return the dial error itself, at once: do not hide it, replace it or retry until the deadline."},
		{ID: "w01.basic.no_reply", Name: "the client gives up on a mute server", Test: "TestSendNoReply", Points: 8,
			Hint: "Blocking forever on recv: set conn.SetDeadline from ctx's deadline (or DefaultSendTimeout); a hang-up before the newline is an error, not an empty reply."},
		// The programs.
		{ID: "w01.basic.cli_exchange", Name: "ackserver and ackclient talk", Test: "TestScripts/cli_exchange", Points: 8,
			Hint: `ackserver logs what Serve reports: call s.Logf("reply to %s: %s", conn.RemoteAddr(), reply) after every reply you write (when Logf is not nil).`},
		{ID: "w01.basic.cli_refused", Name: "ackclient with nobody listening", Test: "TestScripts/cli_refused", Points: 5,
			Hint: "When nobody listens, Send must return the dial error (connection refused) so that ackclient prints it and exits 1."},
		{ID: "w01.basic.cli_shutdown", Name: "ackserver stops cleanly on SIGINT", Test: "TestScripts/cli_shutdown", Points: 5,
			Hint: "On SIGINT ctx is cancelled: Serve must return nil (not ctx.Err()) and leave no goroutine running, so ackserver exits 0."},
		// Bonus: the syllabus's "future extension".
		{ID: "w01.basic.concurrent", Name: "bonus: clients served at the same time", Test: "TestConcurrentClients", Points: 10, Bonus: true,
			Hint: "Answer each connection in its own goroutine (sync.WaitGroup.Go) and wait for them all before Serve returns."},
	},
}
