// Package export makes the student template from the instructor's repository:
// everything a student needs and nothing they must not see.
//
// Left out: reference/ (the solutions), the self-test's fixtures
// (grader/testdata/mutants holds fragments of the solutions), .ci/, scripts/,
// the instructor workflow, and the README's instructor sections (between
// "<!-- instructors -->" and "<!-- end instructors -->"). Added: the manifest
// of protected files (package integrity) and a .gitignore for the grader's
// outputs. With Git set, the template becomes a fresh repository of one
// commit, which is the commit the student workflow restores protected files
// from.
package export

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"netlabs/grader/course"
	"netlabs/grader/internal/integrity"
)

// instructorOnly are the slash paths (files or folders) left out of the
// template.
var instructorOnly = []string{
	"reference", ".ci", "scripts", ".git",
	"grader/testdata/mutants", "grader/testdata/cheats",
	".github/workflows/selftest.yml",
}

// ownedDirs are the folders the course owns whole in a student repository.
var ownedDirs = []string{"grader", "weeks/program", ".github"}

// gitignore is the template's .gitignore: the grader's outputs.
const gitignore = "netlabs-result.json\nnetlabs-junit.xml\n*.test\n"

// Summary says what Export wrote.
type Summary struct {
	Files     int // files in the template
	Protected int // of which the manifest protects
}

// Export writes the student template of the repository at root into dest,
// which must not exist or be empty; with git it also makes dest a repository
// of one commit.
func Export(root, dest string, git bool) (*Summary, error) {
	if err := emptyDir(dest); err != nil {
		return nil, err
	}
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	var kept []string
	for _, f := range files {
		if integrity.Owned(f, instructorOnly) || f == integrity.File {
			continue
		}
		if err := copyFile(root, dest, f); err != nil {
			return nil, err
		}
		kept = append(kept, f)
	}
	if err := stripInstructorSections(filepath.Join(dest, "README.md")); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dest, ".gitignore"), []byte(gitignore), 0o644); err != nil {
		return nil, err
	}
	kept = append(kept, ".gitignore")
	m, err := integrity.Build(dest, kept, Protected, present(Owned(), kept))
	if err != nil {
		return nil, err
	}
	if err := m.Write(dest); err != nil {
		return nil, err
	}
	if git {
		if err := initRepo(dest); err != nil {
			return nil, err
		}
	}
	return &Summary{Files: len(kept) + 1, Protected: len(m.Files)}, nil
}

// Owned is every folder the course owns whole: the grader, the programs'
// plumbing, the workflows, and each lab's testdata and each week's cmd.
func Owned() []string {
	dirs := slices.Clone(ownedDirs)
	for _, w := range course.Weeks() {
		dirs = append(dirs, w.Dir()+"/cmd")
		for _, l := range w.Labs {
			dirs = append(dirs, l.Package+"/testdata")
		}
	}
	return dirs
}

// present keeps the folders that hold at least one of files: the manifest
// names only folders that the template has, so that restoring them works.
func present(dirs, files []string) []string {
	return slices.DeleteFunc(dirs, func(d string) bool {
		return !slices.ContainsFunc(files, func(f string) bool { return integrity.Owned(f, []string{d}) })
	})
}

// Protected reports whether the slash path f is a course file: anything in an
// owned folder, go.mod and go.sum, and in a lab's folder every Go file but
// the student's own (the graded tests, cli.go). Handouts, the student's files
// and new files elsewhere are the student's.
func Protected(f string) bool {
	if f == "go.mod" || f == "go.sum" || integrity.Owned(f, Owned()) {
		return true
	}
	for _, w := range course.Weeks() {
		for _, l := range w.Labs {
			dir, name := path.Dir(f), path.Base(f)
			if dir == l.Package && strings.HasSuffix(name, ".go") && !slices.Contains(l.Files, name) {
				return slices.Contains(l.TestFiles, name) || !strings.HasSuffix(name, "_test.go")
			}
		}
	}
	return false
}

// sourceFiles lists the repository's files: what git tracks, or, outside a
// git repository, every file.
func sourceFiles(root string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(root, ".git")); err == nil {
		cmd := exec.Command("git", "ls-files", "-z")
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git ls-files: %w", err)
		}
		var files []string
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			if f != "" {
				files = append(files, f)
			}
		}
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files, err
}

func emptyDir(dest string) error {
	entries, err := os.ReadDir(dest)
	switch {
	case os.IsNotExist(err):
		return os.MkdirAll(dest, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: export into a new folder", dest)
	}
	return nil
}

func copyFile(root, dest, f string) error {
	src := filepath.Join(root, filepath.FromSlash(f))
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	out := filepath.Join(dest, filepath.FromSlash(f))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, b, info.Mode().Perm())
}

var instructorSection = regexp.MustCompile(`(?s)<!-- instructors -->.*?<!-- end instructors -->\n?`)

func stripInstructorSections(readme string) error {
	b, err := os.ReadFile(readme)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return os.WriteFile(readme, instructorSection.ReplaceAll(b, nil), 0o644)
}

// initRepo makes dest a git repository with one commit of everything.
func initRepo(dest string) error {
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"-c", "user.name=netlabs", "-c", "user.email=netlabs@localhost", "commit", "-q", "-m", "netlabs student template"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dest
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("git %s: %v\n%s", args[0], err, out.String())
		}
	}
	return nil
}
