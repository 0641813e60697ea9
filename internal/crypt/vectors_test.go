package crypt

import (
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// The library's answers are checked against the examples printed in the
// national standards, and against two published known answers of the
// constructions built on them (HMAC and GCM), so that a wrong library, a
// wrong version of it or a wrong use of it fails here before it stores a
// single hash or sealed field.

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// GB/T 32905-2016 (SM3), appendix A: example 1 hashes "abc", example 2
// the 64 bytes "abcd" repeated 16 times.
func TestSM3StandardExamples(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"},
		{strings.Repeat("abcd", 16), "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"},
	} {
		sum := sm3.Sum([]byte(c.in))
		if !bytes.Equal(sum[:], unhex(t, c.want)) {
			t.Errorf("SM3(%q) = %x, want %s", c.in, sum, c.want)
		}
		// The suite's digest of a kept secret is the same SM3.
		var gm Suite
		gm.mode = GM
		if got := gm.Digest(c.in); got != strings.ReplaceAll(c.want, " ", "") {
			t.Errorf("gm Digest(%q) = %s", c.in, got)
		}
	}
}

// GB/T 32907-2016 (SM4), appendix A: example 1 encrypts the plaintext
// 0123456789abcdeffedcba9876543210 under the same value as key once;
// example 2 encrypts it 1,000,000 times.
func TestSM4StandardExamples(t *testing.T) {
	key := unhex(t, "0123456789abcdeffedcba9876543210")
	b, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 16)
	b.Encrypt(out, key)
	if want := unhex(t, "681edf34d206965e86b3e94f536e4246"); !bytes.Equal(out, want) {
		t.Fatalf("SM4 once = %x, want %x", out, want)
	}
	b.Decrypt(out, out)
	if !bytes.Equal(out, key) {
		t.Fatalf("SM4 decrypt = %x", out)
	}
	if testing.Short() {
		return
	}
	copy(out, key)
	for range 1_000_000 {
		b.Encrypt(out, out)
	}
	if want := unhex(t, "595298c7c6fd271f0402f804c33d3f66"); !bytes.Equal(out, want) {
		t.Fatalf("SM4 1,000,000 times = %x, want %x", out, want)
	}
}

// HMAC-SM3: the first example of GM/T 0042-2015 appendix D.3 (a 32-byte
// key 01…20 over "abcdbcde…nopq" twice), as OpenSSL's test data carry
// it, and RFC 4231's first case (twenty 0x0b bytes, "Hi There") with SM3,
// as Bouncy Castle's tests carry it. The audit chain builds its links with
// Suite.MAC, which must agree.
func TestHMACSM3KnownAnswers(t *testing.T) {
	for _, c := range []struct{ key, msg, want string }{
		{"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
			strings.Repeat("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 2),
			"ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a"},
		{"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
			"51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70"},
	} {
		m := hmac.New(sm3.New, unhex(t, c.key))
		m.Write([]byte(c.msg))
		if got := hex.EncodeToString(m.Sum(nil)); got != c.want {
			t.Errorf("HMAC-SM3(%s) = %s, want %s", c.key, got, c.want)
		}
		s := &Suite{mode: GM}
		m = s.MAC(unhex(t, c.key))
		m.Write([]byte(c.msg))
		if got := hex.EncodeToString(m.Sum(nil)); got != c.want {
			t.Errorf("Suite.MAC(%s) = %s, want %s", c.key, got, c.want)
		}
	}
}

// SM4-GCM: the example of RFC 8998 appendix A.1, through the same
// construction that seals fields (newAEAD).
func TestSM4GCMKnownAnswer(t *testing.T) {
	aead, err := newAEAD(unhex(t, "0123456789ABCDEFFEDCBA9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	nonce := unhex(t, "00001234567800000000ABCD")
	aad := unhex(t, "FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
	plain := unhex(t, "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"+
		"EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
	want := unhex(t, "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"+
		"D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"+
		"83DE3541E4C2B58177E065A9BF7B62EC") // ciphertext, then the tag
	got := aead.Seal(nil, nonce, plain, aad)
	if !bytes.Equal(got, want) {
		t.Fatalf("SM4-GCM = %X", got)
	}
	back, err := aead.Open(nil, nonce, got, aad)
	if err != nil || !bytes.Equal(back, plain) {
		t.Fatalf("open: %v", err)
	}
}
