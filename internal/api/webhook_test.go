package api

import (
	"fmt"
	"strings"
	"testing"
)

const secretCode = "s3cr3tC0de9x7q2w" // distinctive: must never show up anywhere

func TestParseWebhookURLAccepts(t *testing.T) {
	cases := map[string]Webhook{
		"https://portal.bitrix24.ru/rest/1/" + secretCode + "/":                  {"https", "portal.bitrix24.ru", 1, secretCode},
		" https://portal.bitrix24.ru/rest/27/" + secretCode + " ":                {"https", "portal.bitrix24.ru", 27, secretCode},
		"https://portal.bitrix24.ru/rest/1/" + secretCode + "/profile":           {"https", "portal.bitrix24.ru", 1, secretCode},
		"https://portal.bitrix24.ru/rest/1/" + secretCode + "/user.current.json": {"https", "portal.bitrix24.ru", 1, secretCode},
		"HTTPS://Portal.example.com:8443/rest/1/" + secretCode + "/":             {"https", "Portal.example.com:8443", 1, secretCode},
		"http://127.0.0.1:8080/rest/1/" + secretCode + "/":                       {"http", "127.0.0.1:8080", 1, secretCode},
		"http://127.9.9.9/rest/1/" + secretCode + "/":                            {"http", "127.9.9.9", 1, secretCode},
		"http://[::1]:9/rest/1/" + secretCode + "/":                              {"http", "[::1]:9", 1, secretCode},
		"http://localhost:9/rest/1/" + secretCode + "/":                          {"http", "localhost:9", 1, secretCode},
	}
	for in, want := range cases {
		got, err := ParseWebhookURL(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("%q → %#v", in, got)
		}
	}
}

func TestParseWebhookURLRefuses(t *testing.T) {
	cases := map[string]string{
		"":                                       "no webhook URL",
		"portal.bitrix24.ru/rest/1/CODE/":        "must look like",
		"http://portal.bitrix24.ru/rest/1/CODE/": "allowed only for loopback",
		"http://10.0.0.1/rest/1/CODE/":           "allowed only for loopback",
		"http://128.0.0.1/rest/1/CODE/":          "allowed only for loopback",
		"http://localhost.evil.com/rest/1/CODE/": "allowed only for loopback",
		"ftp://portal/rest/1/CODE/":              "must start with https://",
		"https://portal/api/1/CODE/":             "the path must be",
		"https://portal/rest/CODE/":              "the path must be",
		"https://portal/rest/1/CODE/a/b":         "the path must be",
		"https://portal/rest/x/CODE/":            "USER_ID must be a positive number",
		"https://portal/rest/0/CODE/":            "USER_ID must be a positive number",
		"https://portal/rest/1/CO%20DE/":         "CODE may hold only",
		"https://user:CODE@portal/rest/1/CODE/":  "no user name",
		"https://portal/rest/1/CODE/?x=CODE":     "no user name, query",
		"https://portal/rest/1/CODE/#CODE":       "no user name, query",
		"https://%zz/rest/1/CODE/":               "must look like",
	}
	for in, want := range cases {
		in = strings.ReplaceAll(in, "CODE", secretCode)
		_, err := ParseWebhookURL(in)
		if err == nil {
			t.Errorf("%q accepted", in)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %q does not say %q", in, err, want)
		}
		if strings.Contains(err.Error(), secretCode) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error leaks the code or spans lines: %q", in, err)
		}
	}
}

func TestWebhookNeverPrintsCode(t *testing.T) {
	w, err := ParseWebhookURL("https://portal.example.com/rest/7/" + secretCode + "/")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(w), fmt.Sprintf("%v %+v %#v %s", w, w, w, w), w.Redacted()} {
		if strings.Contains(s, secretCode) {
			t.Errorf("printed the code: %s", s)
		}
	}
	if w.Redacted() != "https://portal.example.com/rest/7/***/" {
		t.Errorf("redacted = %s", w.Redacted())
	}
	if !strings.Contains(w.BaseURL(), secretCode) {
		t.Error("BaseURL lost the code")
	}
}

func TestNewRefusesBeforeTraffic(t *testing.T) {
	for _, opts := range []Options{
		{WebhookURL: "http://portal.example.com/rest/1/" + secretCode + "/"},
		{},
		{WebhookURL: "https://p/rest/1/x/", OAuth: &OAuthConfig{Endpoint: "https://p/rest/"}},
		{OAuth: &OAuthConfig{Endpoint: "http://portal.example.com/rest/", Token: Token{Access: secretCode}}},
		{OAuth: &OAuthConfig{Endpoint: "https://portal.example.com/rest/"}},
		{OAuth: &OAuthConfig{Token: Token{Access: secretCode}}},
		{OAuth: &OAuthConfig{Endpoint: "https://p/rest/", TokenURL: "http://oauth.example.com/", Token: Token{Access: secretCode}}},
	} {
		c, err := New(opts)
		if err == nil {
			t.Errorf("New(%+v) accepted", opts)
			continue
		}
		if c != nil || strings.Contains(err.Error(), secretCode) {
			t.Errorf("New: client %v, error %q", c, err)
		}
	}
}
