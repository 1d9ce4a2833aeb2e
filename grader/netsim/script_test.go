package netsim_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"netlabs/grader/labtest"
	"netlabs/weeks/program"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"udpecho": udpEcho,
		"udpsend": udpSend,
	})
}

// TestScripts runs testdata/*.txtar: the relay's script commands (package
// labtest) at work.
func TestScripts(t *testing.T) { labtest.Scripts(t, "testdata") }

// udpEcho is "udpecho ADDRFILE": it echoes every datagram until SIGINT, then
// prints "echoed N".
func udpEcho() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: udpecho ADDRFILE")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err == nil {
		err = program.WriteAddrFile(os.Args[1], c.LocalAddr().String())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "udpecho:", err)
		os.Exit(1)
	}
	context.AfterFunc(ctx, func() { c.Close() })
	n, buf := 0, make([]byte, 65536)
	for {
		k, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			break
		}
		c.WriteToUDPAddrPort(buf[:k], from)
		n++
	}
	fmt.Printf("echoed %d\n", n)
}

// udpSend is "udpsend ADDR N": it sends N datagrams, 1ms apart.
func udpSend() {
	n, err := strconv.Atoi(os.Args[len(os.Args)-1])
	if len(os.Args) != 3 || err != nil {
		fmt.Fprintln(os.Stderr, "usage: udpsend ADDR N")
		os.Exit(2)
	}
	c, err := net.Dial("udp", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "udpsend:", err)
		os.Exit(1)
	}
	defer c.Close()
	for i := range n {
		fmt.Fprintf(c, "datagram %d", i)
		time.Sleep(time.Millisecond)
	}
}
