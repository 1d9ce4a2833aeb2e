package course

// week01Extra is the helpdesk chat server.
var week01Extra = Lab{
	Week:      1,
	Kind:      Extra,
	Title:     "Helpdesk chat",
	Package:   "weeks/week01/helpdesk",
	Files:     []string{"helpdesk.go"},
	TestFiles: []string{"helpdesk_test.go", "scripts_test.go"},
	Checks: []Check{
		{ID: "w01.extra.handshake", Name: "the server asks for a nickname", Test: "TestHandshake", Points: 10,
			Hint: "Send the line NICK as soon as a client connects, then read its first line as the nickname."},
	},
}
