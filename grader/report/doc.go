// Package report writes the reports of a grading run: the terminal scorecard a
// student reads, and the files CI and gradebooks read. Every report is written
// from one [result.Run]; no format computes scores of its own.
//
// # Formats
//
//	text      Text: the scorecard, with a "What to fix" section and the total.
//	json      JSON: the Run itself, schema "netlabs/result/v1".
//	markdown  Markdown: a scorecard per week for a GitHub Actions job summary.
//	junit     JUnit: JUnit XML, one test suite per lab, one test case per check.
//
// [Format] finds a format by name, as the grader's -format flag does. Through
// Format, text is written without colour and with output excerpts; a caller
// that writes to a terminal calls [Text] with its own [TextOptions].
//
// # Untrusted text
//
// Messages, compiler errors, file names and above all test output come from
// student code. Every format treats them as hostile: invalid UTF-8 becomes
// U+FFFD, terminal escape sequences and other control characters are dropped,
// Markdown puts them only where HTML escaping makes them inert, and JUnit
// keeps to the characters XML allows. A student's output can neither recolour
// the terminal, nor break a table, nor inject HTML, nor make a file unreadable.
//
// # Live progress
//
// While checks run, a [Progress] shows how far grading has got: one line
// rewritten in place on a terminal, one line per check in a CI log.
//
// # Adding a format
//
// A format is one file: a function that writes a Run, registered by name in the
// file's init function, with a golden script in testdata beside the others.
//
//	func init() { register("gradescope", Gradescope) }
//
//	// Gradescope writes r as Gradescope's results.json.
//	func Gradescope(w io.Writer, r *result.Run) error { ... }
package report
