package course

// week03Extra is a placeholder until the lab is written.
var week03Extra = Lab{
	Week:      3,
	Kind:      Extra,
	Title:     "discovery (being written)",
	Package:   "weeks/week03/discovery",
	Files:     []string{"discovery.go"},
	TestFiles: []string{"discovery_test.go"},
	Checks: []Check{
		{ID: "w03.extra.placeholder", Name: "placeholder", Test: "TestPlaceholder", Points: 1, Hint: "placeholder"},
	},
}
