package netsim_test

import (
	"fmt"
	"net"
	"time"

	"netlabs/grader/netsim"
)

// A relay that drops 30% of what a client sends: the log says exactly which
// packets were dropped, so a test can predict what the target counts.
func Example() {
	target, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer target.Close()
	r, err := netsim.NewRelay(netsim.Config{
		Target:  target.LocalAddr().String(),
		Seed:    1,
		Forward: netsim.Impairment{Drop: 0.3},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()

	client, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	for i := range 10 {
		client.WriteToUDPAddrPort([]byte{byte(i)}, r.Addr())
	}
	// Wait until the relay has read all ten and passed on what it keeps.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if r.Stats().Forward.Packets == 10 && r.Pending() == 0 {
			break
		}
	}

	truth := r.Truth()
	for _, rec := range truth.Records {
		if rec.Fate.Dropped() {
			fmt.Printf("packet %d dropped\n", rec.Index)
		}
	}
	received := 0
	buf := make([]byte, 16)
	for {
		target.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := target.Read(buf); err != nil {
			break
		}
		received++
	}
	fmt.Printf("the target received %d\n", received)
	fmt.Println("forward", truth.Stats.Forward)
	// Output:
	// packet 1 dropped
	// packet 2 dropped
	// packet 5 dropped
	// packet 8 dropped
	// the target received 6
	// forward packets=10 bytes=10 dropped=4 duplicated=0 copies=6 reordered=0 corrupted=0 sent=6 sentbytes=6 discarded=0 failed=0 stray=0
}
