package config

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// envMap is a LookupEnv over a map, so tests need not touch the process env.
func envMap(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// writeConfig writes text to a fresh config.toml with mode and returns its path.
func writeConfig(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-proof
		t.Fatal(err)
	}
	return path
}

// load loads path with no outside env and a fake keyring.
func load(t *testing.T, path string, kv ...string) (*Effective, error) {
	t.Helper()
	return Load(Options{ConfigPath: path, LookupEnv: envMap(kv...), Secrets: newFakeStore()})
}

func mustLoad(t *testing.T, path string, kv ...string) *Effective {
	t.Helper()
	e, err := load(t, path, kv...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return e
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fakeStore is an in-memory SecretStore.
type fakeStore struct {
	mu  sync.Mutex
	m   map[string]string
	err error
}

func newFakeStore() *fakeStore { return &fakeStore{m: map[string]string{}} }

func (f *fakeStore) Get(p string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	s, ok := f.m[p]
	if !ok {
		return "", ErrSecretNotFound
	}
	return s, nil
}

func (f *fakeStore) Set(p, s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.m[p] = s
	return nil
}

func (f *fakeStore) Delete(p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	delete(f.m, p)
	return nil
}

// blockingBackend is a go-keyring backend that hangs like a dead D-Bus
// until release is closed.
type blockingBackend struct{ release chan struct{} }

func (b blockingBackend) wait() error                        { <-b.release; return nil }
func (b blockingBackend) Get(string, string) (string, error) { return "", b.wait() }
func (b blockingBackend) Set(string, string, string) error   { return b.wait() }
func (b blockingBackend) Delete(string, string) error        { return b.wait() }
func (b blockingBackend) DeleteAll(string) error             { return b.wait() }

var _ keyring.Keyring = blockingBackend{}

// oneLineErr fails unless err is a single line.
func oneLineErr(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("want an error, got nil")
	}
	s := err.Error()
	if strings.ContainsAny(s, "\n\r") {
		t.Fatalf("error is not one line: %q", s)
	}
	return s
}

var testTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	testHook  = "https://portal.example.com/rest/7/s3cr3tc0de1234567/"
	testCode  = "s3cr3tc0de1234567"
	otherHook = "https://other.example.com/rest/9/an0thers3cretcode/"
)
