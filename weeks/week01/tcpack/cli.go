package tcpack

// This file is given: it wires the programs' flags to Server and Send. You do
// not need to change it, and it holds no part of the lab.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
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
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 {
		return usageError(fs, "-timeout must be positive, not %v", *timeout)
	}
	logger := log.New(stderr, "ackserver: ", 0)

	// Catch the signals before anyone can learn the address and send one.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Print(err)
		return 1
	}
	logger.Printf("listening on %s", ln.Addr())
	if *addrFile != "" {
		if err := writeAddrFile(*addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			logger.Print(err)
			return 1
		}
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
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, "no message to send")
	}
	if *timeout <= 0 {
		return usageError(fs, "-timeout must be positive, not %v", *timeout)
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

// parse parses args; when it returns false, the program returns code.
func parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return 0, false
	case err != nil:
		return 2, false // the flag package has printed the error and the usage
	}
	return 0, true
}

func usageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return 2
}

// writeAddrFile writes addr and a newline to name atomically: readers see
// either no file or the whole line.
func writeAddrFile(name, addr string) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".addr-*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(addr + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("addrfile: %w", err)
	}
	return nil
}
