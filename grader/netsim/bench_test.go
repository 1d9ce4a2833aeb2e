package netsim_test

import (
	"net"
	"testing"
	"time"

	"netlabs/grader/netsim"
)

// BenchmarkRelay measures packets per second through a relay with no
// impairment: one client sends 64-byte datagrams, keeping at most 64 in
// flight so that no socket buffer overflows, and a target counts them.
func BenchmarkRelay(b *testing.B) {
	for _, tt := range []struct {
		name string
		cfg  netsim.Config
	}{
		{"clean", netsim.Config{}},
		{"capture", netsim.Config{Capture: 64}},
		{"delayed", netsim.Config{Forward: netsim.Impairment{Delay: time.Microsecond}}},
	} {
		b.Run(tt.name, func(b *testing.B) { benchRelay(b, tt.cfg) })
	}
}

func benchRelay(b *testing.B, cfg netsim.Config) {
	target := udp(b)
	r := startRelay(b, target, cfg)
	client := udp(b)
	const window = 64
	credit := make(chan struct{}, window) // packets that may be in flight
	for range window {
		credit <- struct{}{}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for range b.N {
			target.SetReadDeadline(time.Now().Add(2 * time.Second))
			if _, _, err := target.ReadFromUDP(buf); err != nil {
				b.Errorf("target: %v", err)
				return
			}
			credit <- struct{}{}
		}
	}()
	payload := packet(0, 64)
	to := net.UDPAddrFromAddrPort(r.Addr())
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		select {
		case <-credit:
		case <-done: // the target gave up
			b.FailNow()
		}
		if _, err := client.WriteToUDP(payload, to); err != nil {
			b.Fatal(err)
		}
	}
	<-done
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pkts/s")
}

// BenchmarkFate measures the fate function alone.
func BenchmarkFate(b *testing.B) {
	data := make([]byte, 64)
	for i := range b.N {
		busy.Fate(netsim.PacketInfo{Index: uint64(i), Data: data}, netsim.NewRand(1, 0, uint64(i)))
	}
}
