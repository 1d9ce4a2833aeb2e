// Package integrity is the student template's manifest of protected files and
// the check of a checkout against it.
//
// A student repository holds two kinds of files: the student's own (each lab's
// Files, plus anything new they add outside protected folders) and the
// course's (the grader, the graded tests and their testdata, the programs'
// wiring, go.mod, the workflows). The manifest lists every course file with
// its SHA-256, and the folders the course owns whole. The grader reports a
// course file that is modified or missing, or a file added to a folder the
// course owns, in every scorecard: it never grades a tampered checkout silently.
//
// What this defends against: an edited test, testdata file or grader file that
// would change a score, whether by accident or on purpose. CI goes further and
// restores the pristine files from the template's first commit before grading
// (see .github/workflows/grade.yml), and instructors grade with their own
// grader and tests (go run ./grader batch), taking only the students' files.
//
// What it cannot defend against on its own: a student who edits the manifest
// together with the files (the workflow restores the manifest from the first
// commit for that reason), rewrites the repository's history, or edits the
// workflow that runs the grader. Only grading on the instructor's side, from
// the instructor's copy of the course, closes those doors.
package integrity

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Schema names the manifest's JSON encoding.
const Schema = "netlabs/manifest/v1"

// File is where the manifest lives in a student repository.
const File = ".netlabs/manifest.json"

// Manifest lists the protected files of a student template.
type Manifest struct {
	Schema string `json:"schema"`
	// Dirs are folders the course owns whole: no file may be added there.
	Dirs []string `json:"dirs"`
	// Files maps each protected file (slash path) to its SHA-256, in hex.
	Files map[string]string `json:"files"`
}

// Problem is one way a checkout differs from its manifest.
type Problem struct {
	File string `json:"file"`
	What string `json:"what"` // "modified", "missing" or "added"
}

func (p Problem) String() string { return p.File + ": " + p.What }

// Build computes the manifest of the files of root that protected selects.
// files are slash paths relative to root; dirs are the folders owned whole.
func Build(root string, files []string, protected func(string) bool, dirs []string) (*Manifest, error) {
	m := &Manifest{Schema: Schema, Dirs: slices.Clone(dirs), Files: map[string]string{}}
	for _, f := range files {
		if !protected(f) {
			continue
		}
		sum, err := hashFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		m.Files[f] = sum
	}
	return m, nil
}

// Load reads the manifest of the checkout at root; ok is false when there is
// none (the instructor's repository has none).
func Load(root string) (m *Manifest, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(File)))
	if os.IsNotExist(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	m = &Manifest{}
	if err := json.Unmarshal(b, m); err != nil || m.Schema != Schema {
		return nil, true, fmt.Errorf("%s is not a %s manifest: %v", File, Schema, err)
	}
	return m, true, nil
}

// Write writes m into the checkout at root.
func (m *Manifest) Write(root string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(root, filepath.FromSlash(File))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, append(b, '\n'), 0o644)
}

// Verify compares the checkout at root with m and returns every problem,
// sorted by file.
func (m *Manifest) Verify(root string) ([]Problem, error) {
	var problems []Problem
	for f, want := range m.Files {
		got, err := hashFile(filepath.Join(root, filepath.FromSlash(f)))
		switch {
		case os.IsNotExist(err):
			problems = append(problems, Problem{f, "missing"})
		case err != nil:
			return nil, err
		case got != want:
			problems = append(problems, Problem{f, "modified"})
		}
	}
	for _, dir := range m.Dirs {
		err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil // the files in it are reported missing
				}
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if !d.IsDir() && m.Files[rel] == "" {
				problems = append(problems, Problem{rel, "added"})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(problems, func(a, b Problem) int { return strings.Compare(a.File, b.File) })
	return problems, nil
}

// Owned reports whether the slash path f lies in one of dirs.
func Owned(f string, dirs []string) bool {
	for _, d := range dirs {
		if f == d || strings.HasPrefix(f, path.Clean(d)+"/") {
			return true
		}
	}
	return false
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
