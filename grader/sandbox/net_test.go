//go:build linux

package sandbox_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The checks* and listenUntilEOF helpers run inside a sandbox only (see
// needSandbox); the Test functions start them there.

const ioTimeout = 5 * time.Second

func TestLoopback(t *testing.T)  { runInside(t, "loopback") }
func TestRoute(t *testing.T)     { runInside(t, "route") }
func TestBroadcast(t *testing.T) { runInside(t, "broadcast") }
func TestMulticast(t *testing.T) { runInside(t, "multicast") }

// checkLoopback: lo is the only interface, it is up, and it has 127.0.0.1.
func checkLoopback([]string) error {
	ifs, err := net.Interfaces()
	if err != nil {
		return err
	}
	if len(ifs) != 1 || ifs[0].Name != "lo" {
		return fmt.Errorf("interfaces = %v, want only lo", ifs)
	}
	if ifs[0].Flags&net.FlagUp == 0 {
		return fmt.Errorf("lo flags = %v, want up", ifs[0].Flags)
	}
	addrs, err := ifs[0].Addrs()
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.Equal(net.IPv4(127, 0, 0, 1)) {
			return nil
		}
	}
	return fmt.Errorf("lo addresses = %v, want 127.0.0.1", addrs)
}

// checkRoute: /proc/net/route (the main table) routes 224.0.0.0/4 to lo.
func checkRoute([]string) error {
	b, err := os.ReadFile("/proc/net/route")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, line := range lines[1:] {
		f := strings.Fields(line) // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
		if len(f) < 8 {
			continue
		}
		if f[0] == "lo" && hexIP(f[1]).Equal(net.IPv4(224, 0, 0, 0)) && hexIP(f[7]).Equal(net.IPv4(240, 0, 0, 0)) {
			return nil
		}
	}
	return fmt.Errorf("no route 224.0.0.0/4 dev lo in /proc/net/route:\n%s", b)
}

// hexIP decodes an address of /proc/net/route, printed in host byte order.
func hexIP(s string) net.IP {
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return nil
	}
	return net.IP(binary.NativeEndian.AppendUint32(nil, uint32(v)))
}

// checkBroadcast: a datagram to 127.255.255.255 reaches a socket on 0.0.0.0.
func checkBroadcast([]string) error {
	ln, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		return err
	}
	defer ln.Close()
	to := &net.UDPAddr{IP: net.IPv4(127, 255, 255, 255), Port: ln.LocalAddr().(*net.UDPAddr).Port}
	return sendAndReceive(ln, to)
}

// checkMulticast: a socket that joined 239.1.2.3 on lo receives a datagram sent
// to the group by a plain DialUDP, which needs the route 224.0.0.0/4 dev lo.
func checkMulticast([]string) error {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return err
	}
	group := net.IPv4(239, 1, 2, 3)
	ln, err := net.ListenMulticastUDP("udp4", lo, &net.UDPAddr{IP: group})
	if err != nil {
		return err
	}
	defer ln.Close()
	return sendAndReceive(ln, &net.UDPAddr{IP: group, Port: ln.LocalAddr().(*net.UDPAddr).Port})
}

// sendAndReceive sends a datagram to "to" and waits for it on ln.
func sendAndReceive(ln *net.UDPConn, to *net.UDPAddr) error {
	c, err := net.DialUDP("udp4", nil, to)
	if err != nil {
		return err
	}
	defer c.Close()
	want := []byte("hello " + to.String())
	if _, err := c.Write(want); err != nil {
		return fmt.Errorf("send to %v: %w", to, err)
	}
	ln.SetReadDeadline(time.Now().Add(ioTimeout))
	buf := make([]byte, 1500)
	n, from, err := ln.ReadFromUDP(buf)
	if err != nil {
		return fmt.Errorf("receive what was sent to %v: %w", to, err)
	}
	if !bytes.Equal(buf[:n], want) {
		return fmt.Errorf("received %q from %v, want %q", buf[:n], from, want)
	}
	return nil
}

// listenUntilEOF listens on 127.0.0.1:args[0], checks it can connect to
// itself, and opens a second listener on a free port that answers "inside" to
// every connection. It prints "ready <second port>" and runs until stdin ends.
func listenUntilEOF(args []string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:"+args[0])
	if err != nil {
		return err
	}
	defer ln.Close()
	c, err := net.DialTimeout("tcp", ln.Addr().String(), ioTimeout)
	if err != nil {
		return fmt.Errorf("connect to own listener: %w", err)
	}
	c.Close()
	secret, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer secret.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := secret.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("inside\n"))
			c.Close()
		}
	}()
	fmt.Printf("ready %d\n", secret.Addr().(*net.TCPAddr).Port)
	io.Copy(io.Discard, os.Stdin)
	secret.Close()
	<-done
	return nil
}

// TestIsolation: two sandboxes and the host all listen on the same port, and
// a port listened on in a sandbox cannot be reached from the host.
func TestIsolation(t *testing.T) {
	host, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	port := strconv.Itoa(host.Addr().(*net.TCPAddr).Port)

	var secrets []string
	for range 2 {
		secrets = append(secrets, startListener(t, port))
	}
	for _, p := range secrets {
		addr := "127.0.0.1:" + p
		c, err := net.DialTimeout("tcp", addr, ioTimeout)
		if errors.Is(err, syscall.ECONNREFUSED) {
			continue
		}
		if err != nil {
			t.Fatalf("dial %s from the host: %v, want connection refused", addr, err)
		}
		c.SetReadDeadline(time.Now().Add(time.Second))
		got, _ := io.ReadAll(c)
		c.Close()
		if string(got) == "inside\n" {
			t.Fatalf("dial %s from the host reached the sandbox's listener", addr)
		}
		t.Logf("dial %s from the host reached some other host process; inconclusive", addr)
	}
}

// startListener runs the listen helper on port in a sandbox, waits until it
// is ready and returns its second port. The helper ends with the test.
func startListener(t *testing.T, port string) string {
	t.Helper()
	cmd := helperCmd(t, "listen", port)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	cmd.Env = fastExit(cmd.Env)
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		stdin.Close()
		timer := time.AfterFunc(helperTimeout, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
		defer timer.Stop()
		if err := cmd.Wait(); err != nil {
			t.Errorf("listen helper: %v\n%s", err, stderr.String())
		}
	})
	line := readLine(t, r)
	secret, ok := strings.CutPrefix(line, "ready ")
	if !ok {
		t.Fatalf("listen helper said %q, want ready <port>", line)
	}
	return secret
}
