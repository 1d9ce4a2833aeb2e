package labtest

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Commands are the custom testscript commands of netlabs scenarios. They talk
// to servers the script started, over TCP sessions named by the script:
//
//	waitaddr FILE [VAR]        wait (up to 10s) for FILE, which a program wrote
//	                           with -addrfile, and set $VAR (default ADDR) to it
//	freeport FILE              write to FILE a port from Port's band, for
//	                           programs that must share a port
//	dial NAME ADDR             open session NAME; with !, the dial must fail
//	send [-n] NAME TEXT...     write TEXT (args joined by spaces) and a newline;
//	                           -n: no newline
//	expect NAME REGEXP         the next line (without its newline) must match
//	silent NAME [DURATION]     no line arrives within DURATION (default 300ms)
//	closed NAME                the peer closes the session, with no line first
//	hangup NAME                close session NAME from this side
//
// and run a seeded lossy UDP relay (package netsim) in the test process
// (relay.go):
//
//	relay NAME -to ADDR [-drop P] [-dup P] [-delay D] [-jitter D]
//	      [-reorder P] [-reorder-delay D] [-corrupt P] [-rate BYTES_PER_S]
//	      [-seed N] [-capture BYTES] [-forward|-both]
//	                           start a relay to ADDR and set $NAME to its
//	                           address; the knobs impair client → ADDR only
//	                           (-forward, the default) or both ways (-both);
//	                           -seed defaults to $NETLABS_SEED; the log keeps
//	                           the first -capture bytes of each packet
//	                           (default DefaultCapture); closed when the
//	                           script ends
//	relaystats NAME            print the relay's counters on stdout, in
//	                           netsim.Stats' stable form:
//	                           "forward packets=N bytes=N dropped=N ..."
//	relaywait NAME [-n N] [-back N] [-timeout D]
//	                           wait (default 10s) until the relay has read at
//	                           least -n packets forward and -back backward,
//	                           and holds no copy back
//
// Every wait is bounded by IOTimeout. Sessions still open when the script ends
// are closed. ScriptRelay gives a lab's own commands the relay's ground truth.
func Commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(*testscript.TestScript, bool, []string){
		"waitaddr": cmdWaitAddr,
		"freeport": cmdFreePort,
		"dial":     cmdDial,
		"send":     cmdSend,
		"expect":   cmdExpect,
		"silent":   cmdSilent,
		"closed":   cmdClosed,
		"hangup":   cmdHangup,

		"relay":      cmdRelay,
		"relaystats": cmdRelayStats,
		"relaywait":  cmdRelayWait,
	}
}

// session is one TCP connection opened by a script.
type session struct {
	conn net.Conn
	r    *bufio.Reader
}

// sessions holds each running script's sessions by name.
var sessions sync.Map // *testscript.TestScript -> map[string]*session

func scriptSessions(ts *testscript.TestScript) map[string]*session {
	m, loaded := sessions.LoadOrStore(ts, map[string]*session{})
	if !loaded {
		ts.Defer(func() {
			for _, s := range m.(map[string]*session) {
				s.conn.Close()
			}
			sessions.Delete(ts)
		})
	}
	return m.(map[string]*session)
}

func lookup(ts *testscript.TestScript, name string) *session {
	s, ok := scriptSessions(ts)[name]
	if !ok {
		ts.Fatalf("no session %q: open it with dial first", name)
	}
	return s
}

func noNeg(ts *testscript.TestScript, neg bool, cmd string) {
	if neg {
		ts.Fatalf("unsupported: ! %s", cmd)
	}
}

func cmdWaitAddr(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "waitaddr")
	if len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitaddr FILE [VAR]")
	}
	name := "ADDR"
	if len(args) == 2 {
		name = args[1]
	}
	file := ts.MkAbs(args[0])
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(file)
		if addr := strings.TrimSpace(string(b)); err == nil && addr != "" {
			ts.Setenv(name, addr)
			return
		}
		if exited(ts) {
			ts.Fatalf("waitaddr: %s not written, and the program started last has already exited (see its stderr at wait)", args[0])
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitaddr: %s not written within 10s (did the program start and write -addrfile?)", args[0])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// exited reports whether the background command started last has ended.
// Signalling 0 checks without disturbing it; testscript reaps a command as
// soon as it ends, after which the signal fails with os.ErrProcessDone.
func exited(ts *testscript.TestScript) bool {
	cmds := ts.BackgroundCmds()
	if len(cmds) == 0 {
		return false
	}
	p := cmds[len(cmds)-1].Process
	return p != nil && errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

func cmdDial(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: dial NAME ADDR")
	}
	m := scriptSessions(ts)
	if _, ok := m[args[0]]; ok {
		ts.Fatalf("dial: session %q is already open", args[0])
	}
	c, err := net.DialTimeout("tcp", args[1], IOTimeout)
	if neg {
		if err == nil {
			c.Close()
			ts.Fatalf("dial %s: connected, want failure", args[1])
		}
		return
	}
	ts.Check(err)
	m[args[0]] = &session{conn: c, r: bufio.NewReader(c)}
}

func cmdSend(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "send")
	newline := "\n"
	if len(args) > 0 && args[0] == "-n" {
		newline, args = "", args[1:]
	}
	if len(args) < 1 {
		ts.Fatalf("usage: send [-n] NAME TEXT...")
	}
	s := lookup(ts, args[0])
	s.conn.SetWriteDeadline(time.Now().Add(IOTimeout))
	_, err := io.WriteString(s.conn, strings.Join(args[1:], " ")+newline)
	ts.Check(err)
}

// readLine reads one line within d; it returns the line without "\n" or "\r\n".
func (s *session) readLine(d time.Duration) (string, error) {
	s.conn.SetReadDeadline(time.Now().Add(d))
	line, err := s.r.ReadString('\n')
	if err != nil {
		if line != "" && errors.Is(err, io.EOF) {
			return line, errors.New("connection closed in the middle of a line")
		}
		return line, err
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

func cmdExpect(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "expect")
	if len(args) != 2 {
		ts.Fatalf("usage: expect NAME REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	line, err := lookup(ts, args[0]).readLine(IOTimeout)
	if err != nil {
		ts.Fatalf("expect %s %q: no line: %v (partial %q)", args[0], args[1], err, line)
	}
	ts.Logf("%s < %s", args[0], line)
	if !re.MatchString(line) {
		ts.Fatalf("expect %s: got line %q, want a match for %q", args[0], line, args[1])
	}
}

func cmdSilent(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "silent")
	if len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: silent NAME [DURATION]")
	}
	d := 300 * time.Millisecond
	if len(args) == 2 {
		var err error
		d, err = time.ParseDuration(args[1])
		ts.Check(err)
	}
	line, err := lookup(ts, args[0]).readLine(d)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && line == "" {
		return
	}
	ts.Fatalf("silent %s: got %q (%v), want nothing for %v", args[0], line, err, d)
}

func cmdClosed(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "closed")
	if len(args) != 1 {
		ts.Fatalf("usage: closed NAME")
	}
	line, err := lookup(ts, args[0]).readLine(IOTimeout)
	switch {
	case err == nil:
		ts.Fatalf("closed %s: got line %q, want the connection closed", args[0], line)
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), isReset(err):
		return
	default:
		ts.Fatalf("closed %s: %v, want the connection closed", args[0], err)
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

func cmdHangup(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "hangup")
	if len(args) != 1 {
		ts.Fatalf("usage: hangup NAME")
	}
	m := scriptSessions(ts)
	s := lookup(ts, args[0])
	ts.Check(s.conn.Close())
	delete(m, args[0])
}
