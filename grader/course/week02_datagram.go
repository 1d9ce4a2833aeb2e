package course

// week02Basic is a placeholder until the lab is written.
var week02Basic = Lab{
	Week:      2,
	Kind:      Basic,
	Title:     "datagram (being written)",
	Package:   "weeks/week02/datagram",
	Files:     []string{"datagram.go"},
	TestFiles: []string{"datagram_test.go"},
	Checks: []Check{
		{ID: "w02.basic.placeholder", Name: "placeholder", Test: "TestPlaceholder", Points: 1, Hint: "placeholder"},
	},
}
