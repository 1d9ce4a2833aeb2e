package multicast

// This file is given: it wires the programs' flags to Member and Sender. You
// do not need to change it, and it holds no part of the lab.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"strings"

	"netlabs/weeks/program"
)

// DefaultGroup is the group the programs use when -group is not given.
const DefaultGroup = "239.255.0.1:5000"

// ListenMain is the mclisten program:
//
//	mclisten [-group IP:PORT] [-iface NAME] [-addrfile FILE] [-count N] [-timeout DURATION]
//
// It joins the group on the interface (default: the loopback interface),
// logs "mclisten: joined GROUP on IFACE" on stderr, with the port the system
// picked when -group says port 0, and writes GROUP and a newline to -addrfile
// when given (at once, never half written). It prints every datagram it
// receives on stdout as "from ADDR: PAYLOAD". After -count datagrams (0: no
// limit), or on SIGINT or SIGTERM, it leaves the group and logs
// "mclisten: left GROUP"; after a signal it also logs "mclisten: stopped".
// It returns 0 then, 1 when it cannot join, when the datagrams have not all
// arrived within -timeout (0: no limit), or on any other error, and 2 for a
// usage error.
func ListenMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mclisten", flag.ContinueOnError)
	fs.SetOutput(stderr)
	groupFlag := fs.String("group", DefaultGroup, "join the group `ip:port`, in 239.0.0.0/8 (port 0: any free port)")
	ifaceFlag := fs.String("iface", "", "join on the interface `name` (default: the loopback interface)")
	addrFile := fs.String("addrfile", "", "write the group joined, with its port, to `file`")
	count := fs.Int("count", 0, "stop after `n` datagrams (0: until interrupted)")
	timeout := fs.Duration("timeout", 0, "fail when the datagrams have not all arrived within this `duration` (0: no limit)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mclisten [-group ip:port] [-iface name] [-addrfile file] [-count n] [-timeout duration]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	group, err := parseGroup(*groupFlag)
	if err != nil {
		return program.UsageError(fs, "-group: %v", err)
	}
	if *count < 0 || *timeout < 0 {
		return program.UsageError(fs, "-count and -timeout may not be negative")
	}
	logger := log.New(stderr, "mclisten: ", 0)
	ifi, err := lookupInterface(*ifaceFlag)
	if err != nil {
		logger.Print(err)
		return 1
	}

	// Catch the signals before anyone can learn the group and send one.
	ctx, stop := program.SignalContext()
	defer stop()

	m, err := Join(ifi, group)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer m.Close()
	logger.Printf("joined %v on %s", m.Group(), ifi.Name)
	if *addrFile != "" {
		if err := program.WriteAddrFile(*addrFile, m.Group().String()); err != nil {
			logger.Print(err)
			return 1
		}
	}

	rctx := ctx
	if *timeout > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	code, signalled := 0, false
	for n := 0; *count == 0 || n < *count; n++ {
		msg, err := m.Receive(rctx)
		if err == nil {
			fmt.Fprintf(stdout, "from %v: %s\n", msg.From, msg.Payload)
			continue
		}
		switch {
		case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			signalled = true
		case errors.Is(err, context.DeadlineExceeded) && rctx.Err() != nil:
			logger.Printf("timeout: %d of %d datagrams within %v", n, *count, *timeout)
			code = 1
		default:
			logger.Print(err)
			code = 1
		}
		break
	}
	if err := m.Leave(); err != nil {
		logger.Print(err)
		code = 1
	} else {
		logger.Printf("left %v", m.Group())
	}
	if signalled {
		logger.Print("stopped")
	}
	return code
}

// SendMain is the mcsend program:
//
//	mcsend [-group IP:PORT] [-iface NAME] [-ttl N] MESSAGE...
//
// It sends its arguments, joined by single spaces, as one datagram to the
// group through the interface (default: the loopback interface), with the
// TTL -ttl when given (else the Sender's default), and logs
// "mcsend: sent N bytes to GROUP (ttl T)" on stderr, T read back from the
// socket. It returns 0 when the datagram is sent, 1 on an error (printed as
// "mcsend: <error>"), and 2 for a usage error.
func SendMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mcsend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	groupFlag := fs.String("group", DefaultGroup, "send to the group `ip:port`, in 239.0.0.0/8")
	ifaceFlag := fs.String("iface", "", "send through the interface `name` (default: the loopback interface)")
	ttl := fs.Int("ttl", DefaultTTL, "the datagram's time-to-live, `0-255`")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: mcsend [-group ip:port] [-iface name] [-ttl n] message...")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return program.UsageError(fs, "no message to send")
	}
	group, err := parseGroup(*groupFlag)
	if err != nil {
		return program.UsageError(fs, "-group: %v", err)
	}
	ttlSet := false
	fs.Visit(func(f *flag.Flag) { ttlSet = ttlSet || f.Name == "ttl" })
	logger := log.New(stderr, "mcsend: ", 0)
	ifi, err := lookupInterface(*ifaceFlag)
	if err != nil {
		logger.Print(err)
		return 1
	}

	s, err := Dial(ifi, group)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer s.Close()
	if ttlSet {
		if err := s.SetTTL(*ttl); err != nil {
			logger.Print(err)
			return 1
		}
	}
	got, err := s.TTL()
	if err != nil {
		logger.Print(err)
		return 1
	}
	message := strings.Join(fs.Args(), " ")
	if err := s.Send([]byte(message)); err != nil {
		logger.Print(err)
		return 1
	}
	logger.Printf("sent %d bytes to %v (ttl %d)", len(message), group, got)
	return 0
}

// parseGroup reads a numeric "ip:port", without any name lookup. Whether the
// address is a group the lab accepts is for Join and Dial to say.
func parseGroup(s string) (*net.UDPAddr, error) {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return nil, err
	}
	return net.UDPAddrFromAddrPort(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())), nil
}

// lookupInterface returns the interface called name, or the first loopback
// interface that is up when name is empty.
func lookupInterface(name string) (*net.Interface, error) {
	if name != "" {
		return net.InterfaceByName(name)
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback != 0 && ifi.Flags&net.FlagUp != 0 {
			return &ifi, nil
		}
	}
	return nil, errors.New("no loopback interface is up; name one with -iface")
}
