package cli

import (
	"strings"
	"testing"
)

// FuzzWebhookChecks feeds arbitrary "webhook URLs" to the checks that run
// before any traffic: they never panic, and their message is one line that
// never contains the secret code.
func FuzzWebhookChecks(f *testing.F) {
	for _, s := range []string{
		"https://example.bitrix24.ru/rest/1/abcdef123456/",
		"http://127.0.0.1:8080/rest/1/abcdef123456/",
		"http://portal.example.com/rest/1/abcdef123456/",
		"ftp://x/rest/1/abcdef123456/",
		"https://x/rest/1/abcdef123456/profile.json?x=1",
		"not a url abcdef123456",
		"http://[::1/rest/1/abcdef123456/",
		"https://user:abcdef123456@host/rest/1/abcdef123456/",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := credentials{webhook: raw, source: "--webhook"}
		t0 := &textEN
		secret := webhookSecret(raw)
		msgs := []string{describeSource(t0, c)}
		if err := checkWebhook(t0, c); err != nil {
			msgs = append(msgs, oneLine(err.Error(), []string{secret}))
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("multi-line message %q", err.Error())
			}
		}
		// Only when the code occurs once in the input can its appearance in
		// a message come from nowhere but the code itself.
		if len(secret) >= 4 && strings.Count(raw, secret) == 1 {
			for _, m := range msgs {
				if strings.Contains(m, secret) {
					t.Fatalf("message %q contains the secret %q", m, secret)
				}
			}
		}
	})
}

// FuzzScanFlag: the pre-scan for --config never panics and returns either
// nothing or text that was in the arguments.
func FuzzScanFlag(f *testing.F) {
	f.Add("--config\x00/tmp/c.toml\x00sessions")
	f.Add("sessions\x00--config=/x y\x00--\x00--config\x00z")
	f.Add("--config")
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		got := scanFlag(args, "config")
		if got != "" && !strings.Contains(joined, got) {
			t.Fatalf("scanFlag(%q) = %q, not from the arguments", args, got)
		}
	})
}
