package classroom

// This file is given and complete: it wires the flags of the programs teacher
// and listener to the package. The lab is in classroom.go, teacher.go and
// listener.go.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"netlabs/weeks/program"
)

// TeacherMain is the teacher program:
//
//	teacher -class NAME [-port N] [-seq N] [-msg TEXT]
//
// It sends -msg as one announcement to the class, or, without -msg, every
// line of its standard input (empty lines skipped, a final "\r" removed). For
// each announcement sent it prints "<class> #<seq>: <text>" on stdout. -seq
// sets the number of the first one (default 1), as a teacher who restarts
// would. It returns 0 once everything is sent, 1 on an error (printed as
// "teacher: <error>"), 2 for a usage error. Ctrl-D ends the input; the
// program does not catch signals, so Ctrl-C ends it at once.
func TeacherMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("teacher", flag.ContinueOnError)
	fs.SetOutput(stderr)
	class := fs.String("class", "", "the class `name` (required)")
	port := fs.Int("port", DefaultPort, "the UDP `port` of the class groups")
	seq := fs.Uint64("seq", 0, "`number` of the first announcement (default 1)")
	msg := fs.String("msg", "", "send this `text` instead of reading lines from stdin")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: teacher -class name [-port n] [-seq n] [-msg text]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if code, ok := checkCommon(fs, *class, *port); !ok {
		return code
	}
	msgSet := false
	fs.Visit(func(f *flag.Flag) { msgSet = msgSet || f.Name == "msg" })

	t, err := NewTeacher(*port)
	if err != nil {
		fmt.Fprintf(stderr, "teacher: %v\n", err)
		return 1
	}
	defer t.Close()
	if *seq != 0 {
		if err := t.SetNext(*class, *seq); err != nil {
			fmt.Fprintf(stderr, "teacher: %v\n", err)
			return 1
		}
	}
	announce := func(text string) bool {
		n, err := t.Announce(*class, text)
		if err != nil {
			fmt.Fprintf(stderr, "teacher: %v\n", err)
			return false
		}
		fmt.Fprintf(stdout, "%s #%d: %s\n", *class, n, text)
		return true
	}
	if msgSet {
		if !announce(*msg) {
			return 1
		}
		return 0
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 0, 4096), MaxText+2) // a longer line is refused by Announce or the scanner
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line != "" && !announce(line) {
			return 1
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "teacher: input: %v\n", err)
		return 1
	}
	return 0
}

// ListenerMain is the listener program:
//
//	listener -class NAME [-port N] [-iface NAME] [-count N] [-timeout D] [-addrfile FILE]
//
// It joins the class (on -iface, or the interface the routing table gives),
// logs "listener: joined <class> on <group>:<port>" on stderr, writes
// "<group>:<port>" and a newline to -addrfile once it has joined, and prints
// each announcement it receives on stdout as "<class> #<seq>: <text>". It
// leaves after -count announcements (0: no limit), on SIGINT or SIGTERM, or
// when -timeout runs out (0: never). Then it prints its report on stdout,
//
//	<class>: received <n>, missed <m> (<gaps>), duplicates <d>
//
// with the gaps as "3" or "3-4", comma-separated (the list and its brackets
// only when m > 0), logs "listener: left <class>" as its last line on stderr,
// and returns 0; it returns 1 when -timeout ran out first or something
// failed, and 2 for a usage error.
func ListenerMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("listener", flag.ContinueOnError)
	fs.SetOutput(stderr)
	class := fs.String("class", "", "the class `name` (required)")
	port := fs.Int("port", DefaultPort, "the UDP `port` of the class groups")
	iface := fs.String("iface", "", "join on the interface `name` (default: the routing table's choice)")
	count := fs.Int("count", 0, "leave after `n` announcements (0: no limit)")
	timeout := fs.Duration("timeout", 0, "leave after this `duration`, as a failure (0: never)")
	addrFile := fs.String("addrfile", "", "once joined, write group:port and a newline to `file`")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: listener -class name [-port n] [-iface name] [-count n] [-timeout d] [-addrfile file]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	if code, ok := checkCommon(fs, *class, *port); !ok {
		return code
	}
	if *count < 0 || *timeout < 0 {
		return program.UsageError(fs, "-count and -timeout must not be negative")
	}
	logger := log.New(stderr, "listener: ", 0)
	var ifi *net.Interface
	if *iface != "" {
		var err error
		if ifi, err = net.InterfaceByName(*iface); err != nil {
			logger.Print(err)
			return 1
		}
	}

	// Catch the signals before anyone can learn that we listen.
	sigCtx, stop := program.SignalContext()
	defer stop()
	ctx := sigCtx
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(sigCtx, *timeout)
		defer cancel()
	}

	l, err := Join(*class, *port, ifi)
	if err != nil {
		logger.Print(err)
		return 1
	}
	group, _ := Group(*class) // checked by checkCommon
	addr := netip.AddrPortFrom(group, uint16(*port)).String()
	logger.Printf("joined %s on %s", *class, addr)
	code := 0
	if *addrFile != "" {
		if err := program.WriteAddrFile(*addrFile, addr); err != nil {
			logger.Print(err)
			code = 1
		}
	}
	// A Receive that ignores its context would keep the program waiting for
	// ever after a signal: stopTimeout later, leave to wake it, and fail.
	returned := make(chan struct{})
	var stuck atomic.Bool
	var watch sync.WaitGroup
	watch.Go(func() {
		select {
		case <-returned:
		case <-ctx.Done():
			select {
			case <-returned:
			case <-time.After(stopTimeout):
				logger.Printf("Receive did not return within %v of the end of its context; leaving to wake it", stopTimeout)
				stuck.Store(true)
				l.Leave()
			}
		}
	})
	for n := 0; code == 0 && (*count == 0 || n < *count); n++ {
		a, err := l.Receive(ctx)
		if err != nil {
			switch {
			case sigCtx.Err() != nil: // a signal: a normal end
			case errors.Is(ctx.Err(), context.DeadlineExceeded):
				logger.Printf("gave up after %v with %d announcement(s)", *timeout, n)
				code = 1
			default:
				logger.Print(err)
				code = 1
			}
			break
		}
		fmt.Fprintf(stdout, "%s #%d: %s\n", a.Class, a.Seq, a.Text)
	}
	close(returned)
	watch.Wait()
	if stuck.Load() {
		code = 1
	}
	l.Leave()
	fmt.Fprintln(stdout, formatReport(l.Report()))
	logger.Printf("left %s", *class)
	return code
}

// stopTimeout bounds how long the listener waits for Receive to return once
// its context has ended.
const stopTimeout = 2 * time.Second

// checkCommon checks the flags both programs share.
func checkCommon(fs *flag.FlagSet, class string, port int) (int, bool) {
	switch {
	case fs.NArg() > 0:
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0)), false
	case class == "":
		return program.UsageError(fs, "-class is required"), false
	case port < 1 || port > 65535:
		return program.UsageError(fs, "-port must be 1 to 65535, not %d", port), false
	}
	if _, err := Group(class); err != nil {
		return program.UsageError(fs, "-class: %v", err), false
	}
	return 0, true
}

// maxShownGaps caps the gaps a report line lists.
const maxShownGaps = 10

// formatReport is the listener's last line on stdout.
func formatReport(r Report) string {
	missed := fmt.Sprint(r.Missed)
	if r.Missed > 0 {
		var gaps []string
		for i, g := range r.Gaps {
			if i == maxShownGaps {
				gaps = append(gaps, "...")
				break
			}
			if g.From == g.To {
				gaps = append(gaps, fmt.Sprint(g.From))
			} else {
				gaps = append(gaps, fmt.Sprintf("%d-%d", g.From, g.To))
			}
		}
		missed += " (" + strings.Join(gaps, ", ") + ")"
	}
	return fmt.Sprintf("%s: received %d, missed %s, duplicates %d", r.Class, r.Received, missed, r.Duplicates)
}
