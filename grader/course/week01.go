package course

var week01 = Week{
	Number: 1,
	Title:  "TCP client–server",
	Labs:   []Lab{week01Basic, week01Extra},
}
