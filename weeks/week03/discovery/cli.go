package discovery

// This file is given: it wires the programs' flags to Node and Scanner. You do
// not need to change it, and it holds no part of the lab.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"text/tabwriter"

	"netlabs/weeks/program"
)

// NodeMain is the disco-node program:
//
//	disco-node -name NAME [-port 7979] [-addrfile FILE] [-group IP] -service NAME:KIND:PORT...
//
// It listens with Listen on -port (or, with -group, joins that multicast
// group on the loopback interface with ListenGroup), logs
// "disco-node: NAME listening on ADDR" on stderr, writes ADDR and a newline
// to -addrfile when given, and answers queries with its -service flags (one
// or more) until SIGINT or SIGTERM. Then it logs "disco-node: stopped" and
// returns 0. It logs every query it answers. It returns 1 when it cannot
// listen or Serve fails (an invalid name or service included), and 2 for a
// usage error.
func NodeMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("disco-node", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the node's `name` (required)")
	port := fs.Int("port", DefaultPort, "the discovery `port` to listen on (0: any free port)")
	addrFile := fs.String("addrfile", "", "write the address the node bound to `file`")
	group := fs.String("group", "", "listen on this multicast group `IP` instead (bonus)")
	var services []Service
	fs.Func("service", "a service to offer, `name:kind:port` (repeat for more)", func(v string) error {
		parts := strings.Split(v, ":")
		if len(parts) != 3 {
			return errors.New("want name:kind:port")
		}
		p, err := strconv.Atoi(parts[2])
		if err != nil {
			return fmt.Errorf("port %q: not a number", parts[2])
		}
		services = append(services, Service{Name: parts[0], Kind: parts[1], Port: p})
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: disco-node -name name [-port port] [-addrfile file] [-group ip] -service name:kind:port...")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	case *name == "":
		return program.UsageError(fs, "-name is required")
	case len(services) == 0:
		return program.UsageError(fs, "at least one -service is required")
	}
	logger := log.New(stderr, "disco-node: ", 0)

	// Catch the signals before anyone can learn the address and send one.
	ctx, stop := program.SignalContext()
	defer stop()

	conn, err := listenNode(*port, *group)
	if err != nil {
		logger.Print(err)
		return 1
	}
	logger.Printf("%s listening on %s", *name, conn.LocalAddr())
	if *addrFile != "" {
		if err := program.WriteAddrFile(*addrFile, conn.LocalAddr().String()); err != nil {
			conn.Close()
			logger.Print(err)
			return 1
		}
	}
	node := &Node{Name: *name, Services: services, Logf: logger.Printf}
	if err := node.Serve(ctx, conn); err != nil {
		logger.Print(err)
		return 1
	}
	logger.Print("stopped")
	return 0
}

// listenNode opens the node's socket: Listen(port), or with a group,
// ListenGroup on the loopback interface.
func listenNode(port int, group string) (*net.UDPConn, error) {
	if group == "" {
		return Listen(port)
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback != 0 {
			return ListenGroup(&ifi, net.JoinHostPort(group, strconv.Itoa(port)))
		}
	}
	return nil, errors.New("no loopback interface to join the group on")
}

// ScanMain is the disco-scan program:
//
//	disco-scan [-addr 127.255.255.255:7979] [-kind KIND] [-timeout 1s]
//
// It runs one scan from a socket on a free port of 127.0.0.1 (the course
// stays on this host) and prints what it found as a table on stdout, one
// service a line, sorted (nothing at all when it found nothing), then a
// summary on stderr:
//
//	disco-scan: nodes=N services=M malformed=X duplicates=Y stray=Z
//
// It returns 0 after a scan, empty or not; 1 when the scan fails or is
// interrupted (SIGINT, SIGTERM: it prints what it found so far), and 2 for a
// usage error.
func ScanMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("disco-scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dest := fs.String("addr", DefaultDest, "send the query to `ip:port`: a broadcast address and the nodes' port")
	kind := fs.String("kind", "", "list only services of this `kind` (default: every kind)")
	wait := fs.Duration("timeout", DefaultWait, "collect answers for this `duration`")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: disco-scan [-addr ip:port] [-kind kind] [-timeout duration]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *wait <= 0 {
		return program.UsageError(fs, "-timeout must be positive, not %v", *wait)
	}
	logger := log.New(stderr, "disco-scan: ", 0)

	ctx, stop := program.SignalContext()
	defer stop()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer conn.Close()

	s := &Scanner{Dest: *dest, Wait: *wait}
	res, err := s.Scan(ctx, conn, *kind)
	printTable(stdout, res.Found)
	nodes := map[string]bool{}
	for _, f := range res.Found {
		nodes[f.Node] = true
	}
	logger.Printf("nodes=%d services=%d malformed=%d duplicates=%d stray=%d",
		len(nodes), len(res.Found), res.Malformed, res.Duplicates, res.Stray)
	switch {
	case errors.Is(err, context.Canceled):
		logger.Print("interrupted")
		return 1
	case err != nil:
		logger.Print(err)
		return 1
	}
	return 0
}

// printTable writes found as aligned columns under a header, or nothing.
func printTable(w io.Writer, found []Found) {
	if len(found) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSERVICE\tKIND\tADDRESS")
	for _, f := range found {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Node, f.Service.Name, f.Service.Kind, f.Addr)
	}
	tw.Flush()
}
