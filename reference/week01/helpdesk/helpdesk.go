// Package helpdesk is a line-based chat server and its client: the week 1
// extra lab of netlabs.
//
// Callers and staff of a helpdesk connect over TCP, each picks a nickname, and
// every line one of them types reaches all the others. The protocol is the one
// of the course's Python chat example, so clients of either server interoperate.
//
// # Lines
//
// Both directions carry text lines that end in "\n". The server removes one
// "\r" before the "\n" of every line it reads (telnet and "nc -C" send
// "\r\n") and itself sends bare "\n". A line holds at most MaxLine bytes
// before its "\n" (a "\r" counts). An over-long line is read up to its "\n"
// and thrown away, none of it relayed; the sender gets "ERR line too long" and
// stays connected. Bytes that the stream ends with, without a "\n" (a client
// that vanished mid-line), are dropped.
//
// # A session
//
//	S: NICK                     as soon as the client connects
//	C: alice                    the nickname
//	S: alice joined the chat!   to every joined client, alice included
//
// A nickname is 1 to MaxNick bytes, each a printable ASCII character other than
// space (0x21 to 0x7E), not held by another joined client. Nicknames are
// case-sensitive: "Alice" and "alice" are two people. A refused nickname gets
// one of these lines, then a new prompt; the client may try again:
//
//	S: ERR invalid nickname
//	S: ERR nickname taken
//	S: ERR line too long
//	S: NICK
//
// The line "/quit" at the prompt is not a nickname: the server closes the
// connection without a word.
//
// Once joined, each line the client sends goes to every OTHER joined client as
// "<nick>: <text>", the text exactly as received. The sender gets no copy.
// Empty lines are ignored. The line "/quit" (exactly) leaves: the server closes
// the connection. Whenever a joined client leaves, by /quit, by closing its end,
// after a read or write error or because it was too slow (below), the others get
//
//	S: alice left the chat!
//
// and the nickname is free again. A client that leaves before it joined is not
// announced.
//
// # Order
//
// Clients receive whole lines, never parts of two lines mixed together. The
// lines of one sender reach every receiver in the order they were sent. A
// newcomer's first line after its nickname is its own join notice; it then
// receives what is sent after it joined, and nothing from before.
//
// # Slow clients
//
// A client that stops reading must not stall the room. Every write to a
// client has a deadline Server.WriteTimeout ahead; a client whose write fails
// or misses its deadline is disconnected and announced as left. So a stuck
// client delays the others once, by at most WriteTimeout.
//
// # Shutdown
//
// Server.Close closes the listener and every connection, whether its client
// joined or is still at the prompt, and returns once every goroutine the
// server started has ended. Clients are not told; they see their connection
// close.
package helpdesk

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Protocol limits.
const (
	// MaxLine is the longest line, in bytes before its "\n", that the server
	// accepts.
	MaxLine = 1024
	// MaxNick is the longest nickname, in bytes.
	MaxNick = 32
	// DefaultWriteTimeout is the write deadline of a Server whose WriteTimeout
	// is zero.
	DefaultWriteTimeout = 2 * time.Second
)

// ErrNotImplemented is what the unfinished lab returns.
var ErrNotImplemented = errors.New("helpdesk: not implemented")

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("helpdesk: server closed")

// errLineTooLong reports a line longer than MaxLine, already read and dropped.
var errLineTooLong = errors.New("line too long")

// Server is a helpdesk chat room. The zero value is ready to use. Set the
// fields before Serve and leave them alone afterwards.
type Server struct {
	// WriteTimeout bounds every write to a client: a client that cannot take a
	// line within it is disconnected. Zero means DefaultWriteTimeout.
	WriteTimeout time.Duration

	// Logf, if not nil, receives one line per event, without a newline:
	// "<nick> joined the chat!" when a nickname is accepted and
	// "<nick> left the chat!" when a joined client leaves for any reason,
	// Close included. It may be called from several goroutines at once, and
	// never after Close has returned.
	Logf func(format string, args ...any)

	mu      sync.Mutex            // guards the fields below and every write to a joined client
	closed  bool                  // Close was called
	ln      net.Listener          // set by Serve
	conns   map[net.Conn]struct{} // every open connection, joined or not
	members map[string]net.Conn   // joined clients by nickname
	wg      sync.WaitGroup        // one per connection goroutine
}

// Serve accepts connections on ln and runs a session for each in a goroutine
// of its own, until Close. It blocks. Serve always closes ln before it
// returns. It returns ErrServerClosed after Close (also if Close came
// first), or the error that made Accept fail; in that case the clients already
// connected carry on until Close. Call Serve at most once.
func (s *Server) Serve(ln net.Listener) error {
	defer ln.Close()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	if s.ln != nil {
		s.mu.Unlock()
		return errors.New("helpdesk: Serve called twice")
	}
	s.ln = ln
	s.mu.Unlock()

	for {
		conn, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			return fmt.Errorf("helpdesk: accept: %w", err)
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			conn.Close()
			return ErrServerClosed
		}
		if s.conns == nil {
			s.conns = make(map[net.Conn]struct{})
		}
		s.conns[conn] = struct{}{}
		// Started under mu, so that Close cannot begin its Wait before this Add.
		s.wg.Go(func() { s.serveConn(conn) })
		s.mu.Unlock()
	}
}

// Close closes the listener and every client connection, joined or still at
// the prompt, and returns when every goroutine the server started has ended.
// It may wait up to WriteTimeout for a write in progress. Close may be called
// more than once, and before Serve; it returns nil.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	if s.ln != nil {
		s.ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// serveConn runs one client's session and closes its connection at the end.
func (s *Server) serveConn(conn net.Conn) {
	defer s.drop(conn)
	r := bufio.NewReaderSize(conn, MaxLine+1) // a full buffer without "\n" is a line too long
	nick, ok := s.handshake(conn, r)
	if !ok {
		return
	}
	s.chat(conn, r, nick)
}

// chat relays the lines of the joined client nick until it leaves.
func (s *Server) chat(conn net.Conn, r *bufio.Reader, nick string) {
	defer s.leave(nick)
	for {
		line, err := readLine(r)
		if errors.Is(err, errLineTooLong) {
			s.mu.Lock()
			s.send(conn, "ERR line too long")
			s.mu.Unlock()
			continue
		}
		if err != nil || line == "/quit" {
			return
		}
		if line == "" {
			continue
		}
		s.mu.Lock()
		s.broadcast(nick, nick+": "+line)
		s.mu.Unlock()
	}
}

// drop forgets conn and closes it.
func (s *Server) drop(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	conn.Close()
}

// handshake prompts for a nickname until one is accepted and returns it; ok is
// false when the client left, said /quit, or the server is closing.
func (s *Server) handshake(conn net.Conn, r *bufio.Reader) (nick string, ok bool) {
	for {
		// Not a member yet: nobody else writes to conn, so no lock is needed.
		if s.send(conn, "NICK") != nil {
			return "", false
		}
		line, err := readLine(r)
		var reply string
		switch {
		case errors.Is(err, errLineTooLong):
			reply = "ERR line too long"
		case err != nil, line == "/quit":
			return "", false
		case !validNick(line):
			reply = "ERR invalid nickname"
		default:
			joined, closed := s.join(line, conn)
			if joined {
				return line, true
			}
			if closed {
				return "", false
			}
			reply = "ERR nickname taken"
		}
		if s.send(conn, reply) != nil {
			return "", false
		}
	}
}

// join adds conn to the room as nick and announces it to everyone, the
// newcomer included, in one step under mu: no line can slip in between.
func (s *Server) join(nick string, conn net.Conn) (joined, closed bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false, true
	}
	if _, taken := s.members[nick]; taken {
		s.mu.Unlock()
		return false, false
	}
	if s.members == nil {
		s.members = make(map[string]net.Conn)
	}
	s.members[nick] = conn
	s.broadcast("", nick+" joined the chat!")
	s.mu.Unlock()
	s.logf("%s joined the chat!", nick)
	return true, false
}

// leave removes nick from the room and tells the others, unless the server is
// closing and they are being disconnected anyway.
func (s *Server) leave(nick string) {
	s.mu.Lock()
	delete(s.members, nick)
	if !s.closed {
		s.broadcast(nick, nick+" left the chat!")
	}
	s.mu.Unlock()
	s.logf("%s left the chat!", nick)
}

// broadcast sends line to every member but the one named from. The caller
// holds mu. A member whose write fails has its connection closed; its own
// goroutine then sees the read fail and announces the leave.
func (s *Server) broadcast(from, line string) {
	for nick, conn := range s.members {
		if nick == from {
			continue
		}
		s.send(conn, line)
	}
}

// send writes line and "\n" to conn in one Write, with a deadline. A failed
// write may have sent part of the line, so the connection is closed.
func (s *Server) send(conn net.Conn, line string) error {
	timeout := s.WriteTimeout
	if timeout <= 0 {
		timeout = DefaultWriteTimeout
	}
	conn.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, line+"\n"); err != nil {
		conn.Close()
		return err
	}
	return nil
}

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// readLine reads one line from r, whose buffer holds MaxLine+1 bytes, and
// returns it without its "\n" and one "\r". A line longer than MaxLine is read
// to its end and reported as errLineTooLong.
func readLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = r.ReadSlice('\n')
		}
		if err != nil {
			return "", err
		}
		return "", errLineTooLong
	}
	if err != nil {
		return "", err // a partial line at the end of the stream is dropped
	}
	line := strings.TrimSuffix(string(b[:len(b)-1]), "\r")
	return line, nil
}

// validNick reports whether nick has 1 to MaxNick bytes, all printable ASCII
// other than space.
func validNick(nick string) bool {
	if len(nick) == 0 || len(nick) > MaxNick {
		return false
	}
	for i := 0; i < len(nick); i++ {
		if nick[i] <= ' ' || nick[i] > '~' {
			return false
		}
	}
	return true
}
