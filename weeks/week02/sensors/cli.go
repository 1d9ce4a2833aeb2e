package sensors

// This file is given: it wires the programs' flags to Sensor and Collector.
// You do not need to change it, and it holds no part of the lab.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"strings"
	"sync"
	"time"

	"netlabs/weeks/program"
)

// DefaultAddr is where the collector listens, and the sensor sends, when no
// address is given.
const DefaultAddr = "127.0.0.1:9200"

// SensorMain is the sensor program:
//
//	sensor [-to HOST:PORT] [-id N] [-count K] [-interval DURATION]
//
// It sends K readings of sensor N (values from Synthetic) to the collector
// at -to, one every -interval, then logs "sensor N: done, K readings to
// HOST:PORT" on stderr and returns 0. On SIGINT or SIGTERM it stops at once,
// logs "sensor N: stopped" and returns 0. It returns 1 when Run fails and 2
// for a usage error.
func SensorMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sensor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", DefaultAddr, "the collector's `host:port`")
	id := fs.Uint64("id", 1, "the sensor's id")
	count := fs.Int("count", 10, "how many readings to send")
	interval := fs.Duration("interval", time.Second, "time between readings")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sensor [-to host:port] [-id n] [-count k] [-interval duration]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	case *id > math.MaxUint32:
		return program.UsageError(fs, "-id %d does not fit in 32 bits", *id)
	case *count < 0:
		return program.UsageError(fs, "-count must not be negative, not %d", *count)
	case *interval < 0:
		return program.UsageError(fs, "-interval must not be negative, not %v", *interval)
	}
	logger := log.New(stderr, fmt.Sprintf("sensor %d: ", *id), 0)
	ctx, stop := program.SignalContext()
	defer stop()

	s := &Sensor{ID: uint32(*id), Count: *count, Interval: *interval}
	switch err := s.Run(ctx, *to); {
	case err == nil:
		logger.Printf("done, %d readings to %s", *count, *to)
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		logger.Print("stopped")
	default:
		logger.Print(err)
		return 1
	}
	return 0
}

// CollectorMain is the collector program:
//
//	collector [-addr HOST:PORT] [-addrfile FILE] [-duration D] [-late D] [-report FILE]
//
// It listens on -addr (port 0: any free port), logs "collector: listening on
// ADDR" on stderr, writes ADDR and a newline to -addrfile when given, and
// counts readings until SIGINT or SIGTERM, or until -duration has passed
// (0: no limit). Then it prints the report on stdout, logs "collector:
// stopped" and returns 0. With -report FILE it also keeps FILE up to date
// with the report so far (rewritten whole, atomically, whenever it changes).
// It returns 1 when it cannot listen or Serve fails, and 2 for a usage error.
//
// The report has one line per sensor, by increasing id, then the malformed
// count; temperatures in degrees Celsius:
//
//	sensor 1: received 48 lost 2 duplicates 0 reordered 1 late 0 highest 50 latest 21.37 mean 20.95
//	malformed 0
func CollectorMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("collector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultAddr, "listen on `host:port` (port 0: any free port)")
	addrFile := fs.String("addrfile", "", "write the address the collector bound to `file`")
	duration := fs.Duration("duration", 0, "stop after this long (0: at SIGINT)")
	late := fs.Duration("late", DefaultLateAfter, "a reading is late when it arrives this long after its time")
	reportFile := fs.String("report", "", "keep the report so far in `file`")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: collector [-addr host:port] [-addrfile file] [-duration d] [-late d] [-report file]")
		fs.PrintDefaults()
	}
	if code, ok := program.Parse(fs, args); !ok {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return program.UsageError(fs, "unexpected argument %q", fs.Arg(0))
	case *duration < 0:
		return program.UsageError(fs, "-duration must not be negative, not %v", *duration)
	case *late <= 0:
		return program.UsageError(fs, "-late must be positive, not %v", *late)
	}
	logger := log.New(stderr, "collector: ", 0)
	ctx, stop := program.SignalContext()
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}

	conn, err := program.ListenUDP(*addr, *addrFile, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	c := &Collector{LateAfter: *late}
	if *reportFile != "" {
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { keepReport(done, c, *reportFile, logger) })
		defer wg.Wait()
		defer close(done)
	}
	if err := c.Serve(ctx, conn); err != nil {
		logger.Print(err)
		return 1
	}
	io.WriteString(stdout, FormatReport(c.Report()))
	logger.Print("stopped")
	return 0
}

// keepReport rewrites file with c's report whenever it changes, until done
// is closed, and once more then.
func keepReport(done <-chan struct{}, c *Collector, file string, logger *log.Logger) {
	last := ""
	update := func() {
		if text := FormatReport(c.Report()); text != last {
			if err := program.WriteFileAtomic(file, []byte(text)); err != nil {
				logger.Print(err)
			}
			last = text
		}
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		update()
		select {
		case <-done:
			update()
			return
		case <-tick.C:
		}
	}
}

// FormatReport is the collector program's report, as CollectorMain shows it.
func FormatReport(r Report) string {
	var b strings.Builder
	for _, s := range r.Sensors {
		fmt.Fprintf(&b, "sensor %d: received %d lost %d duplicates %d reordered %d late %d highest %d latest %s mean %.2f\n",
			s.ID, s.Received, s.Lost, s.Duplicates, s.Reordered, s.Late, s.Highest, degrees(s.Latest), s.Mean/100)
	}
	fmt.Fprintf(&b, "malformed %d\n", r.Malformed)
	return b.String()
}

// degrees writes hundredths of a degree as degrees, exactly: 2150 is
// "21.50", -375 is "-3.75".
func degrees(centi int32) string {
	sign, v := "", int64(centi)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}
