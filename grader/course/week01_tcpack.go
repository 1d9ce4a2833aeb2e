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
		{ID: "w01.basic.exchange", Name: "one client gets its acknowledgement", Test: "TestExchange", Points: 10,
			Hint: "Read the request up to its newline, then write the reply line; flush nothing is needed with net.Conn."},
	},
}
