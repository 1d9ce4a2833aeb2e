package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"netlabs/grader/result"
)

// The JUnit shape a CI tool reads, declared apart from the writer's types.
type (
	parsedSuites struct {
		Tests    int           `xml:"tests,attr"`
		Failures int           `xml:"failures,attr"`
		Errors   int           `xml:"errors,attr"`
		Suites   []parsedSuite `xml:"testsuite"`
	}
	parsedSuite struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Type string `xml:"type,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	}
)

func parseJUnit(t *testing.T, r *result.Run) parsedSuites {
	t.Helper()
	var b strings.Builder
	if err := JUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var got parsedSuites
	if err := xml.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatalf("JUnit output does not parse: %v", err)
	}
	return got
}

func TestJUnitCounts(t *testing.T) {
	got := parseJUnit(t, sample(t))
	if got.Tests != 9 || got.Failures != 2 || got.Errors != 5 {
		t.Errorf("testsuites tests, failures, errors = %d, %d, %d, want 9, 2, 5", got.Tests, got.Failures, got.Errors)
	}
	if len(got.Suites) != 2 {
		t.Fatalf("%d test suites, want 2", len(got.Suites))
	}
	s := got.Suites[0]
	if s.Name != "w01.basic weeks/week01/tcpack" || s.Tests != 7 || s.Failures != 2 || s.Errors != 3 {
		t.Errorf("suite 1 = %q tests %d failures %d errors %d, want %q 7 2 3",
			s.Name, s.Tests, s.Failures, s.Errors, "w01.basic weeks/week01/tcpack")
	}
	props := map[string]string{}
	for _, p := range s.Properties {
		props[p.Name] = p.Value
	}
	if props["seed"] != "20260504" || props["impl"] != "student" {
		t.Errorf("properties = %v, want seed 20260504 and impl student", props)
	}
	kinds := map[string]string{}
	for _, c := range s.Cases {
		if c.Classname != "weeks/week01/tcpack" {
			t.Errorf("testcase %s has classname %q, want the lab's package", c.Name, c.Classname)
		}
		switch {
		case c.Failure != nil:
			kinds[c.Name] = "failure " + c.Failure.Type
		case c.Error != nil:
			kinds[c.Name] = "error " + c.Error.Type
		default:
			kinds[c.Name] = "pass"
		}
	}
	want := map[string]string{
		"w01.basic.exchange":   "pass",
		"w01.basic.framing":    "failure fail",
		"w01.basic.concurrent": "error timeout",
		"w01.basic.shutdown":   "failure leak",
		"w01.basic.badinput":   "error error",
		"w01.basic.cli":        "error not_run",
		"w01.basic.stats":      "pass",
	}
	for id, k := range want {
		if kinds[id] != k {
			t.Errorf("testcase %s is %q, want %q", id, kinds[id], k)
		}
	}
}

func TestJUnitValidWhateverTheOutput(t *testing.T) {
	var every strings.Builder
	for b := 0; b < 256; b++ {
		every.WriteByte(byte(b))
	}
	every.WriteString("]]> <![CDATA[ ]]]]> \uFFFE\uFFFF \xed\xa0\x80") // CDATA ends, non-characters, a surrogate
	r := sample(t)
	c := &r.Weeks[0].Labs[0].Checks[1]
	c.Name, c.Message, c.Output = every.String(), every.String(), every.String()
	r.Sandbox = every.String()
	got := parseJUnit(t, r)
	f := got.Suites[0].Cases[1].Failure
	if f == nil || !strings.Contains(f.Text, "]]> <![CDATA[ ]]]]>") {
		t.Errorf("failure text lost the output's CDATA markers: %+v", f)
	}
}
