// Package arch holds no code: its tests check the shape of the code base,
// such as which package may name which table (ownership_test.go).
package arch
