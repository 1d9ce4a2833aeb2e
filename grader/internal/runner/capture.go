package runner

import (
	"fmt"
	"strings"
)

// capture keeps the last limit bytes of a test's output and counts the rest, so
// a test that prints megabytes costs the grader a fixed amount of memory.
type capture struct {
	limit   int
	buf     []byte
	dropped int
}

func newCapture(limit int) *capture { return &capture{limit: limit} }

func (c *capture) WriteString(s string) {
	c.buf = append(c.buf, s...)
	if over := len(c.buf) - c.limit; over > 0 {
		// Drop whole bytes from the front; keep at most limit.
		c.dropped += over
		c.buf = append(c.buf[:0], c.buf[over:]...)
	}
}

// String is the kept output, headed by a note when earlier output was dropped.
func (c *capture) String() string {
	if c.dropped == 0 {
		return string(c.buf)
	}
	s := strings.ToValidUTF8(string(c.buf), "")
	return fmt.Sprintf("[%d earlier bytes of output omitted]\n%s", c.dropped, s)
}
