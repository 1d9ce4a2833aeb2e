package course

var week04 = Week{
	Number: 4,
	Title:  "Multicast",
	Labs:   []Lab{week04Basic, week04Extra},
}
