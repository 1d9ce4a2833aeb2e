package course

// week02Extra is the sensor stream: sensors that never retransmit, and a
// collector whose figures must equal the lossy relay's ground truth.
var week02Extra = Lab{
	Week:      2,
	Kind:      Extra,
	Title:     "IoT sensor stream",
	Package:   "weeks/week02/sensors",
	Files:     []string{"collector.go", "sensor.go", "sensors.go"},
	TestFiles: []string{"wire_test.go", "figures_test.go", "sensor_test.go", "serve_test.go", "relay_test.go", "scripts_test.go"},
	Checks: []Check{
		// The datagram.
		{ID: "w02.extra.encode", Name: "readings encoded byte for byte", Test: "TestEncode", Points: 7,
			Hint: "Big-endian (binary.BigEndian), time in microseconds (UnixMicro), and the CRC-32 of bytes 0-23 written last, at offset 24."},
		{ID: "w02.extra.decode", Name: "malformed datagrams refused", Test: "TestDecode", Points: 8,
			Hint: "Check the length before anything else, then magic, version, flags, the checksum and seq 0; wrap ErrMalformed in every refusal."},
		// The figures, from scripted datagrams.
		{ID: "w02.extra.counts", Name: "received, lost and duplicates", Test: "TestCounts", Points: 8,
			Hint: "Keep the set of seqs received per sensor: Lost = Highest - Received (seqs start at 1), and a seq already in the set is a duplicate."},
		{ID: "w02.extra.reordered", Name: "reordered readings", Test: "TestReordered", Points: 6,
			Hint: "A new reading is reordered when its seq is below the HIGHEST seq received so far, not below the previous datagram's; duplicates never count."},
		{ID: "w02.extra.late", Name: "late readings", Test: "TestLate", Points: 6,
			Hint: "Late means at.Sub(reading time) > LateAfter (strictly), with DefaultLateAfter when LateAfter is zero; a duplicate is never late."},
		{ID: "w02.extra.values", Name: "latest and mean values", Test: "TestValues", Points: 6,
			Hint: "Latest is the value of the highest seq, not of the last datagram to arrive; the mean counts each reading once, duplicates left out."},
		{ID: "w02.extra.malformed", Name: "malformed datagrams counted, nothing else", Test: "TestMalformed", Points: 5,
			Hint: "Count every datagram that Decode refuses, and touch nothing else: not even the sensor id of a broken datagram can be trusted."},
		// The sensor.
		{ID: "w02.extra.sensor", Name: "the sensor streams its readings", Test: "TestSensor", Points: 8,
			Hint: "One datagram per reading, seq from 1, stamped when sent, paced from the start time; wait in a select with ctx.Done() and return ctx.Err()."},
		{ID: "w02.extra.no_listener", Name: "the sensor survives nobody listening", Test: "TestSensorNoListener", Points: 5,
			Hint: "Ignore Write errors: a connected UDP socket reports \"connection refused\" after a datagram found no listener; the reading is lost, go on."},
		// The collector on a socket.
		{ID: "w02.extra.serve", Name: "Serve counts and stops cleanly", Test: "TestServe", Points: 8,
			Hint: "Close conn when ctx is done (context.AfterFunc) to wake ReadFrom, return nil then, and close conn on every return: Serve owns it."},
		{ID: "w02.extra.big_datagram", Name: "oversized datagrams are not truncated", Test: "TestBigDatagram", Points: 5,
			Hint: "Read into a buffer of MaxDatagram bytes: with a 28-byte buffer ReadFrom silently cuts a longer datagram to 28 bytes that look valid."},
		// Through the seeded lossy relay.
		{ID: "w02.extra.relay_loss", Name: "figures equal the relay's truth at 0%, 5%, 30% loss", Test: "TestRelayLoss", Points: 10,
			Hint: "Count only what arrives, per sensor: a lost first reading still counts as lost (Highest - Received), and duplicates must not inflate Received."},
		{ID: "w02.extra.relay_mixed", Name: "figures equal the truth with reordering and corruption", Test: "TestRelayMixed", Points: 8,
			Hint: "Check the CRC so that damaged datagrams count as malformed, compare new seqs with the highest so far, and stamp each datagram when it is read."},
		// The programs.
		{ID: "w02.extra.cli_stream", Name: "sensor and collector programs talk", Test: "TestScripts/cli_stream", Points: 5,
			Hint: "The collector program prints Report() after Serve returns: Serve must return nil on SIGINT and leave no goroutine behind."},
		{ID: "w02.extra.cli_relay", Name: "three sensors through a lossy relay", Test: "TestScripts/cli_relay", Points: 5,
			Hint: "The report must match the relays' logs exactly; this usually is a figure bug that TestRelayLoss or TestRelayMixed show in detail (Lost counted from seq 1, duplicates, reordering): fix those first."},
	},
}
