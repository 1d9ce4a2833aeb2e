package course

// week04Extra is a placeholder until the lab is written.
var week04Extra = Lab{
	Week:      4,
	Kind:      Extra,
	Title:     "classroom (being written)",
	Package:   "weeks/week04/classroom",
	Files:     []string{"classroom.go"},
	TestFiles: []string{"classroom_test.go"},
	Checks: []Check{
		{ID: "w04.extra.placeholder", Name: "placeholder", Test: "TestPlaceholder", Points: 1, Hint: "placeholder"},
	},
}
