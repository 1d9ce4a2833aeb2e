package course

var week03 = Week{
	Number: 3,
	Title:  "Broadcast",
	Labs:   []Lab{week03Basic, week03Extra},
}
