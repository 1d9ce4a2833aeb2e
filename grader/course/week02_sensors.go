package course

// week02Extra is the sensor stream: sensors that never retransmit, and a
// collector whose figures must equal the lossy relay's ground truth.
var week02Extra = Lab{
	Week:      2,
	Kind:      Extra,
	Title:     "IoT sensor stream",
	Package:   "weeks/week02/sensors",
	Files:     []string{"collector.go", "sensor.go", "sensors.go"},
	TestFiles: []string{"wire_test.go", "figures_test.go", "sensor_test.go", "serve_test.go", "relay_test.go", "edges_test.go", "scripts_test.go"},
	Checks: []Check{
		// The datagram.
		{ID: "w02.extra.encode", Name: "readings encoded byte for byte", Test: "TestEncode", Points: 6,
			Hint: "Big-endian (binary.BigEndian), time in microseconds (UnixMicro), and the CRC-32 of bytes 0-23 written last, at offset 24."},
		{ID: "w02.extra.decode", Name: "malformed datagrams refused", Test: "TestDecode", Points: 7,
			Hint: "Check the length before anything else, then magic, version, flags, the checksum and seq 0; wrap ErrMalformed in every refusal."},
		// The figures, from scripted datagrams.
		{ID: "w02.extra.counts", Name: "received, lost and duplicates", Test: "TestCounts", Points: 7,
			Hint: "Keep the set of seqs received per sensor: Lost = Highest - Received (seqs start at 1), and a seq already in the set is a duplicate."},
		{ID: "w02.extra.reordered", Name: "reordered readings", Test: "TestReordered", Points: 5,
			Hint: "A new reading is reordered when its seq is below the HIGHEST seq received so far, not below the previous datagram's; duplicates never count."},
		{ID: "w02.extra.late", Name: "late readings", Test: "TestLate", Points: 5,
			Hint: "Late means at.Sub(reading time) > LateAfter (strictly), with DefaultLateAfter when LateAfter is zero; a duplicate is never late."},
		{ID: "w02.extra.values", Name: "latest and mean values", Test: "TestValues", Points: 5,
			Hint: "Latest is the value of the highest seq, not of the last datagram to arrive; the mean counts each reading once, duplicates left out."},
		{ID: "w02.extra.malformed", Name: "malformed datagrams counted, nothing else", Test: "TestMalformed", Points: 4,
			Hint: "Count every datagram that Decode refuses, and touch nothing else: not even the sensor id of a broken datagram can be trusted."},
		{ID: "w02.extra.edges", Name: "figures at the edges of their ranges", Test: "TestFigureEdges", Points: 3,
			Hint: "Ids and seqs are uint32 (0 and 4294967295 included), so Lost needs an int; add values up in an int64 (two int32 maxima overflow an int32); LateAfter is used as set, only zero means DefaultLateAfter. (The figures themselves must be right first: see counts and values.)"},
		{ID: "w02.extra.concurrent", Name: "Add and Report from several goroutines at once", Test: "TestConcurrentCollector", Points: 4, Race: true,
			Hint: "Every method of Collector may run concurrently: take the mutex in Add (the duplicate check and the update in one critical section) and in Report too, even though Report only reads."},
		// The sensor.
		{ID: "w02.extra.sensor", Name: "the sensor streams its readings", Test: "TestSensor", Points: 7,
			Hint: "One datagram per reading, seq from 1, stamped when sent, paced from the start time; wait in a select with ctx.Done() and return ctx.Err()."},
		{ID: "w02.extra.no_listener", Name: "the sensor survives nobody listening", Test: "TestSensorNoListener", Points: 4,
			Hint: "Ignore Write errors: a connected UDP socket reports \"connection refused\" after a datagram found no listener; the reading is lost, go on. (The test stops the sensor by cancelling its context: w02.extra.sensor must pass too.)"},
		{ID: "w02.extra.sensor_count", Name: "Count zero or less sends nothing", Test: "TestSensorCount", Points: 3,
			Hint: "Compare seq with Count in a signed type (int64(seq) <= int64(s.Count)): uint32(-5) is over four billion readings."},
		{ID: "w02.extra.sensor_socket", Name: "the sensor's socket: dial errors, closed on return", Test: "TestSensorSocket", Points: 3,
			Hint: "Return DialContext's error at once, and defer conn.Close() right after a successful dial so that every return, the cancelled one too, closes the socket."},
		// The collector on a socket.
		{ID: "w02.extra.serve", Name: "Serve counts and stops cleanly", Test: "TestServe", Points: 6,
			Hint: "Close conn when ctx is done (context.AfterFunc) to wake ReadFrom, return nil then, and close conn on every return: Serve owns it."},
		{ID: "w02.extra.big_datagram", Name: "oversized datagrams are not truncated", Test: "TestBigDatagram", Points: 4,
			Hint: "Read into a buffer of MaxDatagram bytes: with a 28-byte buffer ReadFrom silently cuts a longer datagram to 28 bytes that look valid."},
		{ID: "w02.extra.serve_error", Name: "Serve reports a socket closed under it", Test: "TestServeError", Points: 3,
			Hint: "Return nil only when ctx is done; a read that fails while ctx is not (somebody else closed the socket) returns fmt.Errorf(\"read: %w\", err)."},
		// Through the seeded lossy relay.
		{ID: "w02.extra.relay_loss", Name: "figures equal the relay's truth at 0%, 5%, 30% loss", Test: "TestRelayLoss", Points: 9,
			Hint: "Count only what arrives, per sensor: a lost first reading still counts as lost (Highest - Received), and duplicates must not inflate Received."},
		{ID: "w02.extra.relay_mixed", Name: "figures equal the truth with reordering and corruption", Test: "TestRelayMixed", Points: 7,
			Hint: "Check the CRC so that damaged datagrams count as malformed, compare new seqs with the highest so far, and stamp each datagram when it is read. (Every sensor's first reading gets through here: a Lost counted from the lowest seq is TestCounts' and TestRelayLoss's business.)"},
		// The programs.
		{ID: "w02.extra.cli_stream", Name: "sensor and collector programs talk", Test: "TestScripts/cli_stream", Points: 4,
			Hint: "The collector program prints Report() after Serve returns: Serve must return nil on SIGINT and leave no goroutine behind."},
		{ID: "w02.extra.cli_relay", Name: "three sensors through a lossy relay", Test: "TestScripts/cli_relay", Points: 4,
			Hint: "The report must match the relays' logs exactly; this usually is a figure bug that TestRelayLoss or TestRelayMixed show in detail (Lost counted from seq 1, duplicates, reordering): fix those first."},
	},
}
