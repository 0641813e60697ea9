package arch

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// eachSource calls fn with every non-test Go file under dirs of the module
// at root (testdata folders left out): its path relative to root, its
// package directory (both slash-separated) and its text.
func eachSource(root string, dirs []string, fn func(rel, pkg string, src []byte) error) error {
	for _, d := range dirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if e.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return fn(filepath.ToSlash(rel), filepath.ToSlash(filepath.Dir(rel)), src)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
