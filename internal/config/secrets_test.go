package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestKeyringWithGoKeyringMock(t *testing.T) {
	keyring.MockInit() // go-keyring's in-memory provider behind its package functions
	k := NewKeyring(0)
	if _, err := k.Get("work"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("Get before Set: %v, want ErrSecretNotFound", err)
	}
	if err := k.Set("work", testHook); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("work"); err != nil || got != testHook {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := k.Delete("work"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("work"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	err := k.Set("work", testHook)
	if err == nil || !strings.Contains(err.Error(), "no session bus") || strings.Contains(err.Error(), testCode) {
		t.Fatalf("failing keyring: %v", err)
	}
}

func TestKeyringTimeout(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	defer close(b.release)
	k := newKeyring(b, 20*time.Millisecond)
	for name, call := range map[string]func() error{
		"get":    func() error { _, err := k.Get("work"); return err },
		"set":    func() error { return k.Set("work", testHook) },
		"delete": func() error { return k.Delete("work") },
	} {
		if err := call(); !errors.Is(err, ErrKeyringTimeout) {
			t.Errorf("%s on a hung keyring: %v, want ErrKeyringTimeout", name, err)
		}
	}
}

func TestFileSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	fs := FileSecrets{Path: path}
	if _, err := fs.Get("work"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("Get on a missing file: %v", err)
	}
	if err := fs.Set("work", testHook); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
	if got, err := fs.Get("work"); err != nil || got != testHook {
		t.Fatalf("Get = %q, %v", got, err)
	}
	e := mustLoad(t, path)
	if e.Profiles["work"].WebhookURL != testHook {
		t.Errorf("the file does not load as a profile: %+v", e.Profiles)
	}
	if err := fs.Set("work", "not a url"); err == nil || strings.Contains(err.Error(), "not a url") {
		t.Errorf("Set of a bad URL: %v", err)
	}
	if err := fs.Delete("work"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Get("work"); !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}
