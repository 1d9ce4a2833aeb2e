package tcpack

// This file is given: it wires the programs' flags to Server and Send. You do
// not need to change it, and it holds no part of the lab.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"strings"

	"netlabs/weeks/program"
)

// DefaultAddr is where the programs listen and connect when -addr is not given.
const DefaultAddr = "127.0.0.1:9000"

// ServerMain is the ackserver program:
//
//	ackserver [-addr HOST:PORT] [-addrfile FILE] [-timeout DURATION]
//
// It listens on -addr (port 0 picks a free port), logs "ackserver: listening
// on ADDR" on stderr, writes ADDR and a newline to -addrfile when given (at
// once, never half written), and serves until SIGINT or SIGTERM. Then it logs
// "ackserver: stopped" and returns 0. It logs every reply it writes. It
// returns 1 when it cannot listen or Serve fails, and 2 for a usage error.
func ServerMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ackserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultAddr, "listen on `host:port` (port 0: any free port)")
	addrFile := fs.String("addrfile", "", "write the address the server bound to `file`")
	timeout := fs.Duration("timeout", DefaultReadTimeout, "how long a client has to send its request")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ackserver [-addr host:port] [-addrfile file] [-timeout duration]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 {
		return program.UsageError(fs, "-timeout must be positive, not %v", *timeout)
	}
	logger := log.New(stderr, "ackserver: ", 0)

	// Catch the signals before anyone can learn the address and send one.
	ctx, stop := program.SignalContext()
	defer stop()

	ln, err := program.Listen(*addr, *addrFile, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	srv := &Server{ReadTimeout: *timeout, Logf: logger.Printf}
	if err := srv.Serve(ctx, ln); err != nil {
		logger.Print(err)
		return 1
	}
	logger.Print("stopped")
	return 0
}

// ClientMain is the ackclient program:
//
//	ackclient [-addr HOST:PORT] [-timeout DURATION] MESSAGE...
//
// It sends its arguments, joined by single spaces, as one message and prints
// the reply line on stdout. It returns 0 for an ACK reply, 1 for an ERR reply
// or when Send fails (the error goes to stderr as "ackclient: <error>"), and 2
// for a usage error.
func ClientMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ackclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultAddr, "the server's `host:port`")
	timeout := fs.Duration("timeout", DefaultSendTimeout, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ackclient [-addr host:port] [-timeout duration] message...")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return program.UsageError(fs, "no message to send")
	}
	if *timeout <= 0 {
		return program.UsageError(fs, "-timeout must be positive, not %v", *timeout)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	reply, err := Send(ctx, *addr, strings.Join(fs.Args(), " "))
	if err != nil {
		fmt.Fprintf(stderr, "ackclient: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, reply)
	if strings.HasPrefix(reply, "ERR") {
		return 1
	}
	return 0
}
