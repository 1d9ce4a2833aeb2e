// Package mutate grades machine-made mutants of the references: go run
// ./grader mutate. A mutant is a lab's reference with one small change made
// by a mutation operator; the lab's checks should fail it. The share of
// mutants they fail, the kill rate, says how much of the reference's
// behaviour the checks pin down; each survivor is a behaviour no check sees.
//
// # Running it
//
//	go run ./grader mutate                     every lab of every week
//	go run ./grader mutate -week 1 -lab basic  one lab
//	go run ./grader mutate -sample 10          10 mutants per lab, drawn with the seed
//	go run ./grader mutate -seed 7 -o FILE     another seed; the report into FILE
//
// The report has a table, a row per lab: mutants generated, not compiling,
// listed as equivalent, graded, killed and survived, the kill rate =
// killed / (killed + survived) = killed / (generated - not compiling -
// equivalent) when every mutant is graded, and the time the lab took. Then
// every survivor: reference file:line, operator, id and the diff of the
// lines it changes. On a terminal a progress bar runs on stderr; elsewhere a
// line per mutant. Exit status: 0 when every lab reaches Target (90%), 1
// when one does not (or a mutant could not be graded), 2 for usage errors,
// 3 when the run could not finish.
//
// # How a mutant is graded
//
// For each file of the lab (course.Lab.Files, in course.Lab.ReferenceDir)
// the reference is type-checked with go/types, with its imports read from
// the export data that one "go list -export" per lab provides, and every
// operator is applied to every place it fits, inside function bodies only.
// Each mutant is type-checked the same way, in milliseconds: one that does
// not compile is counted as such and never built. The others are graded as
// the grader grades a student: package grading builds the lab's tests once
// per mutant with the mutated file overlaid in place of the student's file
// (grading.Options.Overlay), and runs each check in its own sandboxed
// process. A mutant is killed when one check does not pass, a bonus check
// too: the bonus is part of the lab's contract, and a mutant of a function
// only the bonus calls can be killed by nothing else.
//
// To keep a full run affordable on two cores:
//   - the reference is graded first (this also proves it passes every
//     check: if it does not, the lab is reported as an error, since every
//     mutant would look killed); each check then gets Slack times what it
//     took, at least MinLimit, at most its own limit, because mutants that
//     hang are common;
//   - the checks run one at a time, quickest first, and grading stops at
//     the first check that does not pass (grading.Options.Checks and Done);
//   - checks marked course.Check.Race, which need a second build with the
//     race detector, run only for mutants the others did not kill;
//   - two mutants are graded at once (Options.Workers).
//
// What it costs: a mutant is a build of the lab's tests (two when it reaches
// the race-checked checks) and its checks up to the first failure. Measured
// on two cores kept at a load of 30 to 40 by other builds, two mutants at a
// time: 32 seconds a mutant (median; 21 to 64 for the middle 80%), so
// w01.basic (57 mutants) took 29 minutes and w01.extra (183) 49 minutes. Run
// one lab at a time, or -sample, while working on its checks.
//
// Fates are deterministic: every mutant is graded with the same seed (-seed,
// default DefaultSeed, printed), and -sample K draws its K mutants per lab
// with that seed from those that compile and are not listed as equivalent.
// A fate that changes from one run to the next is a flaky check: fix it.
//
// # Operators
//
// The operators are written here rather than borrowed. gremlins and
// go-mutesting both mutate a module's files in place and judge a mutant by
// "go test" passing or failing; the grader's model is different (an overlay
// build of a lab, verdicts per check in a sandbox), and neither has operators for concurrency, which is half of what
// these labs teach. Each operator, by the name reports and ids use:
//
//	boundary      < and <=, > and >= swapped
//	negate        == and != swapped; !x made x
//	arith         + and -, * and /, % to * swapped, on numbers only; ++ and --, += and -=, *= and /=
//	const         an integer literal made +1, -1 (never negative) and 0
//	string-empty  a non-empty string literal emptied, except formats (they contain "%")
//	remove-call   a call statement removed: wg.Wait(), mu.Unlock(), conn.SetDeadline(d), ln.Close(), ...
//	remove-defer  a defer statement removed
//	add-go        a call statement of the package's own function or method made "go f()"
//	drop-go       "go f()" made "f()", and wg.Go(f) made "(f)()" (sync.WaitGroup.Go)
//	split-lock    "X.Unlock(); X.Lock()" inserted after the first statement of a
//	              critical section of two or more (X.Lock() to X.Unlock() in the same
//	              block, or X.Lock(); defer X.Unlock() to the end of the block); RLock too
//	remove-lock   a Lock and its matching Unlock (or deferred Unlock) both removed
//	nil-error     the error a return statement returns (the function's last result,
//	              when its type is error) replaced by nil
//	swap-branch   break and continue swapped
//
// # Mutant ids
//
// Every mutant has an id that survives edits elsewhere in the file:
//
//	<file>:<function>:<operator>:<key>#<n>
//	tcpack.go:Server.handle:boundary:len(line)>MaxMessage#1
//	tcpack.go:Send:remove-call:conn.SetDeadline#2
//
// function is the enclosing declaration (Type.Method for methods; a closure
// counts as part of the function it is written in); key is the changed
// code with its white space removed, cut at 40 characters (the expression
// for boundary, negate, arith and nil-error, the called function for
// remove-call, remove-defer, add-go and drop-go, the locked value for the
// lock operators, "1024->1025" for const); n counts the mutants with the
// same function, operator and key, in source order. An id changes only when
// that code itself, or a twin of it earlier in the same function, changes.
// Reports also give the reference file and line, for humans.
//
// # Equivalent mutants
//
// Some mutants cannot be told from the reference by any test: emptying a
// log message the contract lets be "in any words", a boundary where both
// sides behave alike. List them, with the reason, in the lab's equivalents
// file (EquivalentsPath):
//
//	grader/testdata/mutants/week01/tcpack/equivalent.txt
//
// one mutant per line: the id, white space, the reason (required). Blank
// lines and lines starting with "#" are comments:
//
//	# week 1, tcpack: mutants no test can kill.
//	tcpack.go:Server.handle:string-empty:"\n"#1  (an example) the reason, in a sentence
//
// Listed mutants are counted as equivalent and not graded. An id listed that
// no mutant has any more (the reference changed) is reported as stale, and
// fails the self-test's mutate step: remove it, or list the mutant under its
// new id. Before listing a survivor, try to kill it with a better check: a
// survivor is equivalent only when no correct test can fail it, that is,
// when the contract, read sentence by sentence, allows what the mutant does.
//
// # In the self-test
//
// go run ./grader selftest -run mutate grades a sample of SelftestSample
// mutants of every lab with DefaultSeed, without the reference's run (the
// weeks step proves it), and fails a lab with a survivor, a mutant it could
// not grade, a stale or malformed equivalents file.
package mutate
