// Package program is the plumbing that every lab's programs share: flags with
// the usual exit statuses, a listener that announces the address it bound,
// and a context that ends on SIGINT or SIGTERM. Each lab's cli.go uses it to
// turn the lab's functions into programs; it holds no part of any lab.
//
// Exit statuses, for every program of the course: 0 success (and a graceful
// stop on a signal), 1 failure, 2 usage error.
package program

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Parse parses args with fs, which should use flag.ContinueOnError. When it
// returns ok false, the program returns code at once: 0 after -h (the usage
// has been printed), 2 after a bad flag (the flag package has printed the
// error and the usage).
func Parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return ExitOK, false
	case err != nil:
		return ExitUsage, false
	}
	return ExitOK, true
}

// UsageError prints "<program>: <message>" and the usage on fs's output and
// returns ExitUsage.
func UsageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return ExitUsage
}

// SignalContext returns a context that ends on SIGINT or SIGTERM. Call it
// before the program's address becomes known, so that no signal sent by
// someone who learned the address can arrive before it is caught. stop
// releases the signals.
func SignalContext() (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Listen listens for TCP on addr (port 0: any free port), logs
// "listening on ADDR", and, when addrFile is not empty, writes ADDR and a
// newline there with WriteAddrFile. On error nothing is left open.
func Listen(addr, addrFile string, logger *log.Logger) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	logger.Printf("listening on %s", ln.Addr())
	if addrFile != "" {
		if err := WriteAddrFile(addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			return nil, err
		}
	}
	return ln, nil
}

// WriteAddrFile writes addr and a newline to the file name atomically: a
// reader sees either no file or the whole line, never half of it.
func WriteAddrFile(name, addr string) error {
	if err := WriteFileAtomic(name, []byte(addr+"\n")); err != nil {
		return fmt.Errorf("addrfile: %w", err)
	}
	return nil
}

// WriteFileAtomic replaces the file name with data: it writes a temporary
// file in the same folder and renames it, so that a reader sees the old
// content or the new, never a mixture. Programs use it for files that scripts
// poll (an address, a running report).
func WriteFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// ListenUDP opens a UDP socket on addr (port 0: any free port), logs
// "listening on ADDR", and, when addrFile is not empty, writes ADDR and a
// newline there with WriteAddrFile. On error nothing is left open.
func ListenUDP(addr, addrFile string, logger *log.Logger) (*net.UDPConn, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return nil, err
	}
	logger.Printf("listening on %s", conn.LocalAddr())
	if addrFile != "" {
		if err := WriteAddrFile(addrFile, conn.LocalAddr().String()); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}
