package course

var week02 = Week{
	Number: 2,
	Title:  "UDP, connectionless",
	Labs:   []Lab{week02Basic, week02Extra},
}
