package course

// week04Basic is a placeholder until the lab is written.
var week04Basic = Lab{
	Week:      4,
	Kind:      Basic,
	Title:     "multicast (being written)",
	Package:   "weeks/week04/multicast",
	Files:     []string{"multicast.go"},
	TestFiles: []string{"multicast_test.go"},
	Checks: []Check{
		{ID: "w04.basic.placeholder", Name: "placeholder", Test: "TestPlaceholder", Points: 1, Hint: "placeholder"},
	},
}
