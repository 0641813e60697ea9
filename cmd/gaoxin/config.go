package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"gaoxin/internal/app"
	"gaoxin/internal/audit"
	"gaoxin/internal/crypt"
	"gaoxin/internal/db"
	"gaoxin/internal/demo"
)

var errUsage = errors.New("usage")

// Config is every setting of the binary; flags and GAOXIN_* variables fill it.
type Config struct {
	DB string // sqlite:PATH or postgres://…
	// DBRead is a PostgreSQL streaming replica of DB that pages which only
	// read use ("" for none); FreshFor keeps a writer's pages on the
	// primary that long after its write.
	DBRead         string
	FreshFor       time.Duration
	Addr           string
	Demo           bool
	SecureCookies  bool
	TrustProxy     bool
	PasswordStrict bool
	// SeparateAdmins: 等保 三员分立 (web.Config.SeparateAdmins).
	SeparateAdmins bool
	LogFormat      string // text or json
	// AuditKeyFile holds the audit chain's HMAC key, outside the database.
	AuditKeyFile string
	// AuditCheckpoints is the file signed checkpoints of the audit head
	// are appended to, outside the database.
	AuditCheckpoints string
	// Crypto is the cryptographic mode, default or gm (国密); a database
	// keeps the mode it was first opened in.
	Crypto string
	// CryptoKeyFile holds the SM4 key that seals sensitive fields in the
	// gm mode, outside the database.
	CryptoKeyFile string
}

// demoAuditKey keys the audit chain of a demo server that was given no key
// of its own. It is public (it is in the source), so it proves nothing:
// only --demo uses it.
const demoAuditKey = "gaoxin-demo-audit-key: public, for demonstrations only"

// checkpointsFile is where checkpoints go: the named file, or, on SQLite,
// a file beside the database file; on PostgreSQL there is no default (the
// server warns).
func (c *Config) checkpointsFile() string {
	if c.AuditCheckpoints != "" {
		return c.AuditCheckpoints
	}
	if path, ok := strings.CutPrefix(c.DB, "sqlite:"); ok && path != "" && !strings.Contains(path, ":memory:") && !strings.HasPrefix(path, "file:") {
		return path + ".audit-checkpoints"
	}
	return ""
}

// auditOptions reads the audit key (from --audit-key-file, or the demo key
// when demo is set and no file is named) and names the checkpoint file.
func (c *Config) auditOptions(demo bool) (audit.Options, error) {
	var o audit.Options
	switch {
	case c.AuditKeyFile != "":
		b, err := os.ReadFile(c.AuditKeyFile)
		if err != nil {
			return o, fmt.Errorf("audit key: %w", err)
		}
		o.Key = []byte(strings.TrimSpace(string(b)))
		if len(o.Key) < 32 {
			return o, fmt.Errorf("audit key in %s is %d bytes; use at least 32 (e.g. head -c 48 /dev/urandom | base64 > %s)", c.AuditKeyFile, len(o.Key), c.AuditKeyFile)
		}
	case demo:
		o.Key = []byte(demoAuditKey)
	default:
		return o, nil
	}
	o.Checkpoints = c.checkpointsFile()
	return o, nil
}

// cryptoSuite reads the cryptographic mode and, in gm, its SM4 key (from
// --crypto-key-file, or the public demo key when demo is set and no file
// is named). gm without a key file is refused, except for a demo.
func (c *Config) cryptoSuite(demo bool) (*crypt.Suite, error) {
	mode, err := crypt.ParseMode(c.Crypto)
	if err != nil {
		return nil, err
	}
	switch {
	case mode == crypt.Default && c.CryptoKeyFile != "":
		return nil, errors.New("--crypto-key-file 只用于国密模式：请同时设置 --crypto gm / --crypto-key-file is for the gm mode: add --crypto gm")
	case mode == crypt.Default:
		return crypt.New(crypt.Default, nil)
	case c.CryptoKeyFile != "":
		key, err := crypt.ReadKeyFile(c.CryptoKeyFile)
		if err != nil {
			return nil, err
		}
		return crypt.New(crypt.GM, key)
	case demo:
		return crypt.NewDemo(), nil
	}
	return nil, errors.New("国密模式需要 SM4 密钥文件：--crypto-key-file（GAOXIN_CRYPTO_KEY_FILE），16 字节，写作 32 位十六进制数或 base64" +
		" / --crypto gm needs the SM4 key file: --crypto-key-file (GAOXIN_CRYPTO_KEY_FILE), 16 bytes as 32 hex digits or base64")
}

// envName is a flag's environment twin: --secure-cookies → GAOXIN_SECURE_COOKIES.
func envName(flagName string) string {
	return "GAOXIN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// env returns the environment twin's value, or the value of its *_FILE twin
// (for secrets such as a PostgreSQL URL with a password), or def.
func env(flagName, def string) string {
	name := envName(flagName)
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	if path, ok := os.LookupEnv(name + "_FILE"); ok {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return def
}

func envBool(flagName string, def bool) bool {
	v, err := strconv.ParseBool(env(flagName, strconv.FormatBool(def)))
	if err != nil {
		return def
	}
	return v
}

func envDuration(flagName string, def time.Duration) time.Duration {
	v, err := time.ParseDuration(env(flagName, def.String()))
	if err != nil {
		return def
	}
	return v
}

// commonFlags registers the flags every command shares.
func commonFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DB, "db", env("db", "sqlite:gaoxin.db"), "database: sqlite:PATH or postgres://… (GAOXIN_DB)")
	fs.BoolVar(&c.PasswordStrict, "password-strict", envBool("password-strict", false), "等保 mode: passwords need three character classes (GAOXIN_PASSWORD_STRICT)")
	fs.StringVar(&c.LogFormat, "log-format", env("log-format", "text"), "log format: text or json (GAOXIN_LOG_FORMAT)")
	fs.StringVar(&c.AuditKeyFile, "audit-key-file", os.Getenv("GAOXIN_AUDIT_KEY_FILE"),
		"file holding the audit chain's HMAC key, kept outside the database (GAOXIN_AUDIT_KEY_FILE)")
	fs.StringVar(&c.AuditCheckpoints, "audit-checkpoints", env("audit-checkpoints", ""),
		"file signed checkpoints of the audit head are appended to (GAOXIN_AUDIT_CHECKPOINTS; on SQLite, default PATH.audit-checkpoints beside the database)")
	fs.StringVar(&c.Crypto, "crypto", env("crypto", "default"),
		"cryptographic mode: default (SHA-256) or gm (国密: SM3, HMAC-SM3, SM4-GCM sealed fields); a database keeps its first mode (GAOXIN_CRYPTO)")
	fs.StringVar(&c.CryptoKeyFile, "crypto-key-file", os.Getenv("GAOXIN_CRYPTO_KEY_FILE"),
		"file holding the 16-byte SM4 key (hex or base64) that seals sensitive fields in the gm mode, kept outside the database (GAOXIN_CRYPTO_KEY_FILE)")
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return fmt.Errorf("--db must be sqlite:PATH or a postgres:// URL, got %q", c.DB)
	}
	if c.DBRead != "" && (!strings.HasPrefix(c.DBRead, "postgres://") && !strings.HasPrefix(c.DBRead, "postgresql://") || strings.HasPrefix(c.DB, "sqlite:")) {
		return fmt.Errorf("--db-read must be a postgres:// URL of a streaming replica of the PostgreSQL --db, got %q", c.DBRead)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, got %q", c.LogFormat)
	}
	if _, err := crypt.ParseMode(c.Crypto); err != nil {
		return err
	}
	return nil
}

func parse(fs *flag.FlagSet, args []string, c *Config) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errUsage
		}
		return errUsage
	}
	if err := checkEnv(fs); err != nil {
		return err
	}
	return c.Validate()
}

// checkEnv refuses a setting from the environment that the flags' defaults
// could not use, for every flag not given on the command line: a *_FILE
// twin that cannot be read (the server would otherwise start without it,
// on the default database, say) and a value its flag's type refuses
// (GAOXIN_SECURE_COOKIES=ture would otherwise leave cookies insecure).
func checkEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok {
			path, isFile := os.LookupEnv(name + "_FILE")
			if !isFile {
				return
			}
			b, rerr := os.ReadFile(path)
			if rerr != nil {
				err = fmt.Errorf("环境变量 %s_FILE 指向的文件无法读取 / the file %s_FILE names cannot be read: %w", name, name, rerr)
				return
			}
			v = strings.TrimSpace(string(b))
		}
		g, typed := f.Value.(flag.Getter)
		if !typed {
			return
		}
		var perr error
		switch g.Get().(type) {
		case bool:
			_, perr = strconv.ParseBool(v)
		case time.Duration:
			_, perr = time.ParseDuration(v)
		case int:
			_, perr = strconv.Atoi(v)
		}
		if perr != nil {
			err = fmt.Errorf("环境变量 %s 的值 %q 无效（%s 应为 %s）/ %s=%q is not valid for --%s: %w", name, v, "--"+f.Name, kindZH(g.Get()), name, v, f.Name, perr)
		}
	})
	return err
}

// kindZH names a flag value's kind for an error message.
func kindZH(v any) string {
	switch v.(type) {
	case bool:
		return "true 或 false"
	case time.Duration:
		return "时长，如 30s、5m"
	}
	return "整数"
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("gaoxin "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func (c *Config) logger(w io.Writer) *slog.Logger {
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// open opens and migrates the database and builds the services.
func open(ctx context.Context, c *Config) (*app.App, error) { return openWith(ctx, c, false) }

// openWith is open, keying the audit chain (and, in gm, sealing fields)
// with the public demo keys when demoKey is set and no key file is named.
// The cryptographic mode is checked against the one the database records
// before anything else is read or written.
func openWith(ctx context.Context, c *Config, demoKey bool) (*app.App, error) {
	ao, err := c.auditOptions(demoKey)
	if err != nil {
		return nil, err
	}
	suite, err := c.cryptoSuite(demoKey)
	if err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.UseCrypto(ctx, suite); err != nil {
		d.Close()
		return nil, err
	}
	if c.DBRead != "" {
		if err := d.AttachReplica(ctx, c.DBRead); err != nil {
			d.Close()
			return nil, err
		}
	}
	o := app.Options{PasswordStrict: c.PasswordStrict, Audit: ao}
	if c.Demo {
		// A demo server reads every module at the demo's one date.
		o.Now = demo.Clock
	}
	return app.New(d, o), nil
}
