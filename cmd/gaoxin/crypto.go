package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
)

// runCrypto is `gaoxin crypto status | rotate`: the database's
// cryptographic mode, and the rotation of the SM4 key that seals its
// sensitive fields in the gm mode.
func runCrypto(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "status" && args[0] != "rotate") {
		fmt.Fprintln(stderr, "usage: gaoxin crypto status | rotate --new-key-file F (with --crypto gm --crypto-key-file OLD)")
		return errUsage
	}
	var c Config
	var newKeyFile string
	fs := newFlagSet("crypto "+args[0], stderr)
	commonFlags(fs, &c)
	if args[0] == "rotate" {
		fs.StringVar(&newKeyFile, "new-key-file", "", "file holding the new 16-byte SM4 key (hex or base64)")
	}
	if err := parse(fs, args[1:], &c); err != nil {
		return err
	}
	if args[0] == "status" {
		return cryptoStatus(ctx, &c, stdout)
	}
	if newKeyFile == "" {
		fmt.Fprintln(stderr, "--new-key-file is required")
		return errUsage
	}
	key, err := crypt.ReadKeyFile(newKeyFile)
	if err != nil {
		return err
	}
	to, err := crypt.New(crypt.GM, key)
	if err != nil {
		return err
	}
	a, err := open(ctx, &c)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	r, err := a.RotateKey(cliCtx(ctx), to)
	if err != nil {
		return err
	}
	total := 0
	fields := make([]string, 0, len(r.Moved))
	for f, n := range r.Moved {
		fields = append(fields, f)
		total += n
	}
	sort.Strings(fields)
	fmt.Fprintf(stdout, "敏感字段已从 SM4 密钥 %s 轮换到 %s / sealed fields rotated from SM4 key %s to %s: %d values re-sealed\n", r.From, r.To, r.From, r.To, total)
	for _, f := range fields {
		fmt.Fprintf(stdout, "  %-32s %d\n", f, r.Moved[f])
	}
	fmt.Fprintf(stdout, "现在请把 %s 换作每台服务器的 --crypto-key-file 并重启；旧密钥已不能启动服务器\n"+
		"now make %s every server's --crypto-key-file and restart them; the old key no longer starts a server\n", newKeyFile, newKeyFile)
	return nil
}

// cryptoStatus prints the mode the database records, and the key id of the
// key file given, if any, without refusing a mismatch.
func cryptoStatus(ctx context.Context, c *Config, stdout io.Writer) error {
	d, err := db.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	mode, keyID, err := d.CryptoMode(ctx)
	if err != nil {
		return err
	}
	switch {
	case mode == crypt.GM:
		fmt.Fprintf(stdout, "database: gm (SM3, HMAC-SM3, SM4-GCM), fields sealed under SM4 key %s\n", keyID)
	default:
		fmt.Fprintln(stdout, "database: default (SHA-256, HMAC-SHA256, fields unsealed)")
	}
	if c.CryptoKeyFile != "" {
		key, err := crypt.ReadKeyFile(c.CryptoKeyFile)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key file %s: SM4 key %s\n", c.CryptoKeyFile, crypt.KeyID(key))
	}
	return nil
}
