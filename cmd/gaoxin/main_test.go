package main

import (
	"os"
	"path/filepath"
	"testing"

	"gaoxin/internal/db/dbtest"
)

// TestMain runs the commands in the tests' cryptographic mode: with
// GAOXIN_TEST_CRYPTO=gm every command (and every server the tests start)
// gets --crypto gm and the tests' SM4 key through the environment.
func TestMain(m *testing.M) {
	if !dbtest.GM() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "gaoxin-crypto-")
	if err != nil {
		panic(err)
	}
	key := filepath.Join(dir, "sm4.key")
	if err := os.WriteFile(key, []byte(dbtest.CryptoKey+"\n"), 0o600); err != nil {
		panic(err)
	}
	os.Setenv("GAOXIN_CRYPTO", "gm")
	os.Setenv("GAOXIN_CRYPTO_KEY_FILE", key)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
