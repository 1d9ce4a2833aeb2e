package datagram

// This file is given: it wires the programs' flags to Receiver, Send and
// Exchange. You do not need to change it, and it holds no part of the lab.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"netlabs/weeks/program"
)

// DefaultAddr is where udprecv receives and udpsend sends when no address is
// given. (UDP port 9000 and TCP port 9000 are two different ports.)
const DefaultAddr = "127.0.0.1:9000"

// RecvMain is the udprecv program:
//
//	udprecv [-addr HOST:PORT] [-addrfile FILE] [-echo] [-size BYTES] [-count N] [-timeout D]
//
// It opens a UDP socket on -addr (port 0 picks a free port), logs "udprecv:
// listening on ADDR" on stderr, writes ADDR and a newline to -addrfile when
// given (at once, never half written), and prints one line per datagram on
// stdout:
//
//	from <sender address>: <payload>
//
// A datagram longer than -size bytes is reported on stderr instead. With
// -echo every whole datagram also goes back to its sender. It stops on SIGINT
// or SIGTERM, after -count datagrams, or after -timeout, whichever comes
// first; then it logs "udprecv: stopped" and returns 0. It returns 1 when it
// cannot open the socket or Serve fails, and 2 for a usage error.
func RecvMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("udprecv", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultAddr, "receive on `host:port` (port 0: any free port)")
	addrFile := fs.String("addrfile", "", "write the address the receiver bound to `file`")
	echo := fs.Bool("echo", false, "send every datagram back to its sender")
	size := fs.Int("size", MaxPayload, "read each datagram into a buffer of this many `bytes`")
	count := fs.Int("count", 0, "stop after `n` datagrams (0: no limit)")
	timeout := fs.Duration("timeout", 0, "stop after this long (0: no limit)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: udprecv [-addr host:port] [-addrfile file] [-echo] [-size bytes] [-count n] [-timeout duration]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	case *size <= 0:
		return program.UsageError(fs, "-size must be positive, not %d", *size)
	case *count < 0:
		return program.UsageError(fs, "-count must not be negative, not %d", *count)
	case *timeout < 0:
		return program.UsageError(fs, "-timeout must not be negative, not %v", *timeout)
	}
	logger := log.New(stderr, "udprecv: ", 0)

	// Catch the signals before anyone can learn the address and send one.
	ctx, stopSignals := program.SignalContext()
	defer stopSignals()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()

	conn, err := program.ListenUDP(*addr, *addrFile, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	seen := 0 // Handle runs in Serve's goroutine only: no lock needed
	rcv := &Receiver{BufferSize: *size, Echo: *echo, Handle: func(d Datagram, err error) {
		if *count > 0 && seen >= *count {
			return // read after the last one, just before Serve stopped
		}
		seen++
		if err != nil {
			logger.Print(err)
		} else {
			fmt.Fprintf(stdout, "from %s: %s\n", d.From, d.Payload)
		}
		if seen == *count {
			stop()
		}
	}}
	if err := rcv.Serve(ctx, conn); err != nil {
		logger.Print(err)
		return 1
	}
	logger.Print("stopped")
	return 0
}

// SendMain is the udpsend program:
//
//	udpsend [-to HOST:PORT] [-echo] [-timeout D] MESSAGE...
//
// It sends its arguments, joined by single spaces, as one datagram (an empty
// argument sends an empty datagram). Without -echo it returns 0 as soon as
// the datagram is sent, whether or not anybody receives it. With -echo it
// waits up to -timeout for one datagram in reply and prints its payload and
// a newline on stdout. It returns 1 when sending fails or no reply came (the
// error goes to stderr as "udpsend: <error>"), and 2 for a usage error.
func SendMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("udpsend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", DefaultAddr, "send to `host:port`")
	echo := fs.Bool("echo", false, "wait for one datagram in reply and print it")
	timeout := fs.Duration("timeout", DefaultExchangeTimeout, "with -echo: how long to wait for the reply")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: udpsend [-to host:port] [-echo] [-timeout duration] message...")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() == 0:
		return program.UsageError(fs, "no message to send (use '' for an empty datagram)")
	case *timeout <= 0:
		return program.UsageError(fs, "-timeout must be positive, not %v", *timeout)
	}
	msg := []byte(strings.Join(fs.Args(), " "))
	if !*echo {
		if err := Send(*to, msg); err != nil {
			fmt.Fprintf(stderr, "udpsend: %v\n", err)
			return 1
		}
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	reply, err := Exchange(exactDeadline{ctx}, *to, msg)
	if err != nil {
		fmt.Fprintf(stderr, "udpsend: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", reply)
	return 0
}

// exactDeadline is a context whose Err reports context.DeadlineExceeded from
// the instant its deadline is reached. A context.WithTimeout learns it from a
// timer that fires a moment later, so just after a read deadline set from
// ctx.Deadline() has passed, its Err may still be nil, or may not: with
// exactDeadline, Exchange always finds the deadline passed, and what udpsend
// prints never depends on which of two timers ran first.
type exactDeadline struct{ context.Context }

func (c exactDeadline) Err() error {
	if d, ok := c.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return c.Context.Err()
}
