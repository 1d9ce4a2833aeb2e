package course

// week02Extra is a placeholder until the lab is written.
var week02Extra = Lab{
	Week:      2,
	Kind:      Extra,
	Title:     "sensors (being written)",
	Package:   "weeks/week02/sensors",
	Files:     []string{"sensors.go"},
	TestFiles: []string{"sensors_test.go"},
	Checks: []Check{
		{ID: "w02.extra.placeholder", Name: "placeholder", Test: "TestPlaceholder", Points: 1, Hint: "placeholder"},
	},
}
