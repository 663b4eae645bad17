package config

import (
	"errors"
	"time"

	"github.com/zalando/go-keyring"
)

// SecretStore keeps one secret (a webhook URL) per profile.
type SecretStore interface {
	Get(profile string) (string, error) // ErrSecretNotFound when there is none
	Set(profile, secret string) error
	Delete(profile string) error
}

// Errors from secret stores; match with errors.Is.
var (
	ErrSecretNotFound = errors.New("no secret stored for this profile")
	ErrKeyringTimeout = errors.New("the OS keyring did not answer in time")
)

// KeyringService is the service name linedesk's secrets have in the OS
// keyring; the account is the profile name.
const KeyringService = "linedesk"

// DefaultKeyringTimeout bounds each keyring call: over D-Bus a locked or
// missing Secret Service can hang.
const DefaultKeyringTimeout = 3 * time.Second

// Keyring is the SecretStore of the OS keyring (Secret Service, macOS
// Keychain, Windows Credential Manager) through go-keyring, with every call
// bounded by a timeout.
type Keyring struct {
	backend keyring.Keyring
	timeout time.Duration
}

// NewKeyring returns the OS keyring store; timeout 0 = DefaultKeyringTimeout.
func NewKeyring(timeout time.Duration) *Keyring {
	return newKeyring(osKeyring{}, timeout)
}

func newKeyring(b keyring.Keyring, timeout time.Duration) *Keyring {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return &Keyring{backend: b, timeout: timeout}
}

// osKeyring calls go-keyring's package functions, so that keyring.MockInit
// in tests reaches it too.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, pw string) error       { return keyring.Set(service, user, pw) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }
func (osKeyring) DeleteAll(service string) error           { return keyring.DeleteAll(service) }

type result struct {
	s   string
	err error
}

// call runs f with the timeout; a call that hangs is abandoned (its
// goroutine ends whenever the keyring answers).
func (k *Keyring) call(op string, f func() (string, error)) (string, error) {
	ch := make(chan result, 1)
	go func() {
		s, err := f()
		ch <- result{s, err}
	}()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		if errors.Is(r.err, keyring.ErrNotFound) {
			return "", ErrSecretNotFound
		}
		if r.err != nil {
			// The backend's message never contains the secret.
			return "", errorf(r.err, "OS keyring %s: %s", msgf(op), r.err)
		}
		return r.s, nil
	case <-t.C:
		return "", errorf(ErrKeyringTimeout, "OS keyring %s: %s (after %s)", msgf(op), msgf(ErrKeyringTimeout.Error()), fmtDuration(k.timeout))
	}
}

func (k *Keyring) Get(profile string) (string, error) {
	return k.call("read", func() (string, error) { return k.backend.Get(KeyringService, profile) })
}

func (k *Keyring) Set(profile, secret string) error {
	_, err := k.call("write", func() (string, error) { return "", k.backend.Set(KeyringService, profile, secret) })
	return err
}

func (k *Keyring) Delete(profile string) error {
	_, err := k.call("delete", func() (string, error) { return "", k.backend.Delete(KeyringService, profile) })
	return err
}

// FileSecrets is the fallback SecretStore: the webhook URL lives in the
// config file as profiles.NAME.webhook_url, and the file is rewritten
// atomically with mode 0600 under the config lock.
type FileSecrets struct {
	Path string // the config file
}

func (f FileSecrets) Get(profile string) (string, error) {
	data, err := readConfig(f.Path)
	if err != nil {
		return "", err
	}
	doc, err := decodeDoc(f.Path, string(data))
	if err != nil {
		return "", err
	}
	if s, ok := lookupString(doc, "profiles", profile, "webhook_url"); ok && s != "" {
		return s, nil
	}
	return "", ErrSecretNotFound
}

func (f FileSecrets) Set(profile, secret string) error {
	if _, m := checkWebhookURL(secret); !m.empty() {
		return errorf(nil, "profile %s: %s", profile, m)
	}
	return update(f.Path, func(text string) (string, error) {
		return edit(f.Path, text, []change{
			{path: []string{"profiles", profile, "webhook_url"}, value: secret},
			{path: []string{"profiles", profile, "webhook_in_keyring"}},
		})
	})
}

func (f FileSecrets) Delete(profile string) error {
	return update(f.Path, func(text string) (string, error) {
		return edit(f.Path, text, []change{{path: []string{"profiles", profile, "webhook_url"}}})
	})
}

func lookupString(doc map[string]any, path ...string) (string, bool) {
	v, ok := lookup(doc, path)
	s, isString := v.(string)
	return s, ok && isString
}
