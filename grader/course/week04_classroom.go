package course

// week04Extra is the classroom announcement system over multicast.
var week04Extra = Lab{
	Week:      4,
	Kind:      Extra,
	Title:     "Classroom announcements",
	Package:   "weeks/week04/classroom",
	Files:     []string{"classroom.go", "teacher.go", "listener.go"},
	TestFiles: []string{"helpers_test.go", "wire_test.go", "teacher_test.go", "listener_test.go", "sequence_test.go", "scripts_test.go"},
	Checks: []Check{
		// The wire: pure functions.
		{ID: "w04.extra.group", Name: "class names map to their groups", Test: "TestGroup", Points: 6,
			Hint: "FNV-1a (hash/fnv New32a, not New32) over the name's bytes; the group is 239.255.<byte(h>>8)>.<byte(h)>. Refuse names that are empty, longer than MaxClass or hold anything but a-z, 0-9 and '-'."},
		{ID: "w04.extra.encode", Name: "announcements written exactly", Test: "TestEncode", Points: 5,
			Hint: `Write "ANN <class> <seq> <text>" with single spaces, keeping the space before an empty text; refuse seq 0 (ErrBadSeq), a bad class (ErrBadClass), a text with "\n" or over MaxText bytes (ErrBadText).`},
		{ID: "w04.extra.decode", Name: "datagrams parsed and checked", Test: "TestDecode", Points: 7,
			Hint: "Cut at the first two spaces after \"ANN \" (bytes.Cut) so the text keeps its own spaces; parse the number with strconv.ParseUint(s, 10, 64) and refuse 0; wrap every error with ErrMalformed."},
		// The teacher.
		{ID: "w04.extra.announce", Name: "the teacher numbers each class", Test: "TestAnnounce", Points: 9,
			Hint: "Keep one counter per class (a map), send to Group(class):port, advance the counter only after a successful send, and leave the multicast TTL at its default of 1."},
		// The listener.
		{ID: "w04.extra.receive", Name: "a member receives its class", Test: "TestReceive", Points: 8,
			Hint: "Join with net.ListenMulticastUDP(\"udp4\", ifi, group:port) and read into a buffer of MaxDatagram+1 bytes: the longest announcement must arrive whole."},
		{ID: "w04.extra.receive_ctx", Name: "Receive honours its context", Test: "TestReceiveContext", Points: 6,
			Hint: "A read does not watch ctx: context.AfterFunc sets a past read deadline; return ctx.Err(), and clear the deadline (the zero time.Time) at the start of the next Receive."},
		{ID: "w04.extra.other_class", Name: "a listener never sees another class", Test: "TestOtherClass", Points: 8,
			Hint: "The group does not sort the classes: a socket on 0.0.0.0:port gets every joined group's datagrams, and two classes may share a group. Skip datagrams whose class is not yours."},
		{ID: "w04.extra.leave", Name: "leaving stops delivery", Test: "TestLeave", Points: 8,
			Hint: "Leave must close the socket: that drops the membership and wakes a blocked read, which Receive reports as ErrLeft. A flag alone wakes nobody."},
		{ID: "w04.extra.gaps", Name: "gaps reported exactly", Test: "TestGaps", Points: 8,
			Hint: "A number above Last+1 opens the gap Last+1..n-1: append it as one range and add its size to Missed, never one entry per number; return a copy of Gaps from Report."},
		{ID: "w04.extra.duplicates", Name: "duplicates counted, not delivered", Test: "TestDuplicates", Points: 6,
			Hint: "A number at or below Last that is in no gap was delivered already: count it in Duplicates and read on; do not return it again."},
		{ID: "w04.extra.late_arrival", Name: "a late announcement fills its gap", Test: "TestLateArrival", Points: 5,
			Hint: "A number inside a gap is delivered late: remove it from its gap (shrink it, split it in two or drop it) and take one off Missed."},
		{ID: "w04.extra.late_join", Name: "late joiners miss nothing before their start", Test: "TestLateJoin", Points: 8,
			Hint: "The first number a listener receives is its start (First), whatever it is: nothing before it is a gap, and a number below it is dropped without being counted."},
		{ID: "w04.extra.malformed", Name: "malformed datagrams ignored", Test: "TestMalformed", Points: 5,
			Hint: "Skip what Decode refuses and keep reading (do not return an error); read with a buffer of MaxDatagram+1 bytes and skip n > MaxDatagram, or a longer datagram is cut to something valid."},
		// The programs.
		{ID: "w04.extra.cli_announce", Name: "teacher and listeners talk", Test: "TestScripts/cli_announce", Points: 4,
			Hint: "Several listener processes share one port: each must join with ListenMulticastUDP and print only its own class's announcements."},
		{ID: "w04.extra.cli_report", Name: "the listener's report on exit", Test: "TestScripts/cli_report", Points: 4,
			Hint: "teacher -seq uses SetNext, and listener prints Report() after Leave: keep the figures when leaving, and track gaps, duplicates and late arrivals."},
		{ID: "w04.extra.cli_shutdown", Name: "listener stops cleanly on SIGINT", Test: "TestScripts/cli_shutdown", Points: 3,
			Hint: "On SIGINT the program's context ends: Receive must return ctx.Err() at once, so that listener can leave, report and exit 0."},
	},
}
