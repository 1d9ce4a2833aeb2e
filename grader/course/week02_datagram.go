package course

// week02Basic is the UDP sender and receiver, with echo mode.
var week02Basic = Lab{
	Week:      2,
	Kind:      Basic,
	Title:     "UDP datagram sender and receiver",
	Package:   "weeks/week02/datagram",
	Files:     []string{"datagram.go"},
	TestFiles: []string{"helpers_test.go", "receive_test.go", "sizes_test.go", "send_test.go", "retry_test.go", "scripts_test.go"},
	Checks: []Check{
		// The receiving side: Receive and Receiver.Serve, tested with raw senders.
		{ID: "w02.basic.receive", Name: "payload and sender's address", Test: "TestReceive", Points: 8,
			Hint: "Return buf[:n] exactly (no trimming: a datagram may end in \"\\n\" or hold zero bytes) and the address ReadMsgUDP gives you, port included."},
		{ID: "w02.basic.empty", Name: "an empty datagram is a datagram", Test: "TestEmptyDatagram", Points: 5,
			Hint: "n == 0 is not an end of stream in UDP: report an empty payload with a nil error, and do not skip it in Serve."},
		{ID: "w02.basic.truncated", Name: "a datagram too big is reported, not cut", Test: "TestTruncated", Points: 10,
			Hint: "ReadFromUDP cuts a long datagram silently: read with ReadMsgUDP and check flags&syscall.MSG_TRUNC (n == len(buf) is not the test); wrap ErrTruncated, name the sender and len(buf), and keep serving."},
		{ID: "w02.basic.boundaries", Name: "many datagrams keep their boundaries", Test: "TestBoundaries", Points: 7,
			Hint: "Handle may keep d.Payload: give it a copy (bytes.Clone), not buf[:n], which the next read overwrites."},
		{ID: "w02.basic.max_payload", Name: "a 65,507-byte payload goes through whole", Test: "TestMaxPayload", Points: 7,
			Hint: "A buffer of 1024 or 1500 bytes cuts big datagrams: the default BufferSize and Exchange's reply buffer are MaxPayload bytes."},
		{ID: "w02.basic.too_large", Name: "one byte more is refused", Test: "TestTooLarge", Points: 6,
			Hint: "Refuse a payload longer than MaxPayload with an error wrapping syscall.EMSGSIZE, and send nothing: never cut it or split it into several datagrams."},
		{ID: "w02.basic.echo", Name: "echo mode answers each sender", Test: "TestEcho", Points: 8,
			Hint: "With Echo, send the payload back with conn.WriteToUDP(payload, d.From): the receiving socket is not connected, so conn.Write has nowhere to go. Without Echo, send nothing."},
		{ID: "w02.basic.shutdown", Name: "Serve stops when its context ends", Test: "TestServeShutdown", Points: 7,
			Hint: "When ctx is done, close conn (context.AfterFunc) to end the blocked read at once, return nil, and close conn on every return."},
		// The sending side, tested with raw receivers and fake servers.
		{ID: "w02.basic.send", Name: "one Send, one datagram, exact payload", Test: "TestSend", Points: 7,
			Hint: "Write the payload as it is, once: no \"\\n\" added (UDP keeps message boundaries), and an empty payload is sent too."},
		{ID: "w02.basic.fire_and_forget", Name: "the sender does not wait for an answer", Test: "TestSendFireAndForget", Points: 7,
			Hint: "Send returns right after its one Write: it reads nothing, and returns nil even when nobody listens, since UDP cannot know."},
		{ID: "w02.basic.exchange", Name: "the echo client gets its reply", Test: "TestExchange", Points: 7,
			Hint: "Use a socket connected to addr (net.Dial \"udp\"), so only the server's datagram counts as the reply; return the reply's bytes exactly."},
		{ID: "w02.basic.no_reply", Name: "the echo client gives up on time", Test: "TestExchangeNoReply", Points: 7,
			Hint: "Blocking forever on recv: set conn.SetDeadline from ctx (or DefaultExchangeTimeout) and wrap ErrNoReply when it passes; a connected socket reports ECONNREFUSED at once when nobody listens."},
		// The programs.
		{ID: "w02.basic.cli_receive", Name: "udpsend to udprecv", Test: "TestScripts/cli_receive", Points: 5,
			Hint: "udprecv prints what Serve passes to Handle: the payload exactly and d.From; udpsend must exit 0 even when nobody listens."},
		{ID: "w02.basic.cli_echo", Name: "udpsend -echo with and without an echo", Test: "TestScripts/cli_echo", Points: 5,
			Hint: "Exchange must return the reply's bytes exactly, and when none comes, an error wrapping ErrNoReply that names the address."},
		{ID: "w02.basic.cli_shutdown", Name: "udprecv stops cleanly on SIGINT", Test: "TestScripts/cli_shutdown", Points: 4,
			Hint: "On SIGINT ctx is cancelled: Serve must close conn, return nil (not the read error) and leave no goroutine running, so udprecv exits 0."},
		// Bonus: the syllabus's "future extension".
		{ID: "w02.basic.retry", Name: "bonus: retransmission with sequence numbers", Test: "TestExchangeRetry", Points: 10, Bonus: true,
			Hint: "Number every try, resend after each interval until the overall deadline, skip replies shorter than SeqSize or numbered above the last try, and accept an answer to any earlier try."},
	},
}
