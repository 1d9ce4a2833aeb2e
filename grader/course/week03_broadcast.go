package course

// week03Basic is a placeholder until the lab is written.
var week03Basic = Lab{
	Week:      3,
	Kind:      Basic,
	Title:     "broadcast (being written)",
	Package:   "weeks/week03/broadcast",
	Files:     []string{"broadcast.go"},
	TestFiles: []string{"broadcast_test.go"},
	Checks: []Check{
		{ID: "w03.basic.placeholder", Name: "placeholder", Test: "TestPlaceholder", Points: 1, Hint: "placeholder"},
	},
}
