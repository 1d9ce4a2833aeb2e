package helpdesk

// This file is given and complete: it wires the two programs' flags to the
// package. The lab is in helpdesk.go and client.go.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"netlabs/weeks/program"
)

// stopTimeout bounds how long ServerMain waits for Close and then Serve after a
// signal, so that a server that does not stop is reported instead of hanging.
const stopTimeout = 5 * time.Second

// ServerMain is the helpdesk program:
//
//	helpdesk [-addr host:port] [-addrfile FILE] [-write-timeout D]
//
// It listens on -addr (default 127.0.0.1:0, a free port), writes the address
// it bound to -addrfile, serves the chat and logs joins and leaves on stderr.
// On SIGINT or SIGTERM it closes the server, logs "helpdesk: stopped" and
// returns 0. It returns 1 when the server fails and 2 for a usage error.
func ServerMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("helpdesk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen on `host:port` (port 0: any free port)")
	addrFile := fs.String("addrfile", "", "write the bound address and a newline to `file`")
	writeTimeout := fs.Duration("write-timeout", DefaultWriteTimeout, "drop a client that cannot take a line within `duration`")
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	logger := log.New(stderr, "helpdesk: ", 0)

	ctx, stop := program.SignalContext()
	defer stop()
	ln, err := program.Listen(*addr, *addrFile, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}

	srv := &Server{WriteTimeout: *writeTimeout, Logf: logger.Printf}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-served:
		served <- err // Serve failed on its own: close the clients, then report it
	}

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(stopTimeout):
		logger.Printf("Close did not return within %v", stopTimeout)
		return 1
	}
	select {
	case err = <-served:
	case <-time.After(stopTimeout):
		logger.Printf("Serve did not return within %v of Close", stopTimeout)
		return 1
	}
	if err != nil && !errors.Is(err, ErrServerClosed) {
		logger.Printf("serve: %v", err)
		return 1
	}
	logger.Print("stopped")
	return 0
}

// ClientMain is the helpdesk-client program:
//
//	helpdesk-client -addr host:port -nick NAME
//
// It joins the chat as NAME, sends each line of its standard input and prints
// each line it receives on stdout. At the end of the input (Ctrl-D on a
// terminal) it says /quit and returns 0 once the server has closed the
// connection. It returns 1 on failure (a refused nickname included) and 2 for
// a usage error. It does not catch signals: Ctrl-C ends it at once, and the
// server announces the leave all the same.
func ClientMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("helpdesk-client", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "", "the server's `host:port` (required)")
	nick := fs.String("nick", "", "the `nickname` to join with (required)")
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *addr == "" || *nick == "" {
		return program.UsageError(fs, "-addr and -nick are required")
	}
	if err := Chat(context.Background(), *addr, *nick, os.Stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "helpdesk-client: %v\n", err)
		return 1
	}
	return 0
}
