package broadcast

// This file is given: it wires the programs' flags to Responder and Seeker.
// You do not need to change it, and it holds no part of the lab.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"netlabs/weeks/program"
)

// Where the programs listen and send when -addr is not given.
const (
	DefaultListenAddr = "0.0.0.0:9303"         // bcastd: the wildcard address, DefaultPort
	DefaultScanAddr   = "127.255.255.255:9303" // bcastscan: DefaultBroadcast, DefaultPort
)

// ResponderMain is the bcastd program:
//
//	bcastd [-addr HOST:PORT] [-name NAME] [-addrfile FILE]
//
// It opens a shared socket on -addr (ListenShared; several bcastd may share a
// port), logs "bcastd: listening on ADDR" on stderr, writes ADDR and a
// newline to -addrfile when given (at once, never half written), and answers
// queries as NAME (default: this host's name) until SIGINT or SIGTERM. Then it
// logs "bcastd: stopped" and returns 0. It logs every answer it sends. It
// returns 1 when it cannot listen or Serve fails (an invalid name, for one),
// and 2 for a usage error.
func ResponderMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bcastd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultListenAddr, "listen on `host:port` (0.0.0.0 receives broadcasts; port 0: any free port)")
	name := fs.String("name", "", "answer with this `name` (default: the host's name)")
	addrFile := fs.String("addrfile", "", "write the address the responder bound to `file`")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bcastd [-addr host:port] [-name name] [-addrfile file]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *name == "" {
		host, err := os.Hostname()
		if err != nil {
			return program.UsageError(fs, "no -name, and no host name to use instead: %v", err)
		}
		*name = host
	}
	logger := log.New(stderr, "bcastd: ", 0)

	// Catch the signals before anyone can learn the address and send one.
	ctx, stop := program.SignalContext()
	defer stop()

	conn, err := ListenShared(*addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	logger.Printf("listening on %s", conn.LocalAddr())
	if *addrFile != "" {
		if err := program.WriteAddrFile(*addrFile, conn.LocalAddr().String()); err != nil {
			conn.Close()
			logger.Print(err)
			return 1
		}
	}
	r := &Responder{Name: *name, Logf: logger.Printf}
	if err := r.Serve(ctx, conn); err != nil {
		logger.Print(err)
		return 1
	}
	logger.Print("stopped")
	return 0
}

// SeekerMain is the bcastscan program:
//
//	bcastscan [-addr HOST:PORT] [-timeout DURATION] [-resend DURATION]
//
// It sends one query to -addr (a broadcast address and the discovery port),
// waits -timeout for answers, and prints one line per answer on stdout, in
// the order they arrived: "<name> <address>". SIGINT or SIGTERM ends the wait
// early. It returns 0 when somebody answered, 1 when nobody did ("bcastscan:
// no answer within DURATION" on stderr) or Discover failed (the error on
// stderr as "bcastscan: <error>"), and 2 for a usage error. -resend repeats
// the query at that interval until the timeout (the bonus).
func SeekerMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bcastscan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultScanAddr, "send the query to `host:port`")
	timeout := fs.Duration("timeout", DefaultWait, "collect answers for this long")
	resend := fs.Duration("resend", 0, "repeat the query at this interval (0: once)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bcastscan [-addr host:port] [-timeout duration] [-resend duration]")
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
	if *resend < 0 {
		return program.UsageError(fs, "-resend must not be negative, not %v", *resend)
	}
	sigctx, stop := program.SignalContext()
	defer stop()
	ctx, cancel := context.WithTimeout(sigctx, *timeout)
	defer cancel()

	answers, err := (&Seeker{Resend: *resend}).Discover(ctx, *addr)
	for _, a := range answers {
		fmt.Fprintf(stdout, "%s %s\n", a.Name, a.Addr)
	}
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "bcastscan: %v\n", err)
		return 1
	case len(answers) == 0:
		fmt.Fprintf(stderr, "bcastscan: no answer within %v\n", *timeout)
		return 1
	}
	return 0
}
