package portalsim

import (
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Options configure a simulated portal. The zero value is a usable portal:
// 40 sessions for user 1, seed 0, a 2/s bucket of 50, the real clock.
type Options struct {
	Sessions int              // current sessions of the webhook owner (0 = 40; < 0 = none); plus closed ones, colleagues' sessions and queue offers
	Seed     int64            // the same seed gives the same data
	UserID   int64            // the webhook owner (default 1)
	Code     string           // webhook secret (default: derived from Seed, 16 chars)
	Rate     float64          // leaky-bucket drain per second (default 2); < 0 disables the bucket
	Burst    int              // bucket size (default 50)
	Now      func() time.Time // clock (default time.Now)

	// OperatingLimit is the per-method, per-webhook budget of execution time
	// over 10 minutes (PROTOCOL §4.2); 0 = 480 s, < 0 = no limit. Each method
	// has a fixed simulated cost (see Cost), so tests can reach it quickly.
	OperatingLimit time.Duration
	// BatchOverflowInline makes a batch of more than 50 commands run the first
	// 50 and report ERROR_BATCH_LENGTH_EXCEEDED for the rest in result_error,
	// instead of refusing the whole call with HTTP 400 (both shapes exist).
	BatchOverflowInline bool
	// Scopes are the scopes the webhook (or application) was given, e.g.
	// "im", "imopenlines", "user_brief"; nil = all of them. A method outside
	// them answers HTTP 403 insufficient_scope, inside a batch too.
	Scopes []string
}

const (
	defaultSessions  = 40
	defaultRate      = 2
	defaultBurst     = 50
	defaultOperating = 480 * time.Second
	batchMax         = 50
)

// Portal is a simulated Bitrix24 portal. It is safe for concurrent use.
type Portal struct {
	mu   sync.Mutex
	opts Options
	now  func() time.Time
	loc  *time.Location
	code string
	uid  int64

	w *world

	bucket   *rate.Limiter
	opLimit  float64 // seconds; 0 = unlimited
	meters   map[string]*opMeter
	calls    map[string]int
	executed map[string]int
	requests int
	seq      int

	faults []*faultRule
	slow   time.Duration
	huge   int64
	quirks map[Quirk]bool

	oauth   *oauthState
	baseURL string
}

// New builds a portal with seeded data.
func New(opts Options) *Portal {
	if opts.UserID <= 0 {
		opts.UserID = 1
	}
	if opts.Sessions == 0 {
		opts.Sessions = defaultSessions
	}
	if opts.Sessions < 0 {
		opts.Sessions = 0
	}
	if opts.Code == "" {
		opts.Code = deriveCode(opts.Seed)
	}
	if opts.Rate == 0 {
		opts.Rate = defaultRate
	}
	if opts.Burst <= 0 {
		opts.Burst = defaultBurst
	}
	if opts.OperatingLimit == 0 {
		opts.OperatingLimit = defaultOperating
	}
	p := &Portal{
		opts:     opts,
		now:      opts.Now,
		loc:      time.FixedZone("MSK", 3*60*60),
		code:     opts.Code,
		uid:      opts.UserID,
		meters:   map[string]*opMeter{},
		calls:    map[string]int{},
		executed: map[string]int{},
		slow:     2 * time.Second,
		huge:     defaultHuge,
	}
	if p.now == nil {
		p.now = time.Now
	}
	if opts.Rate > 0 {
		p.bucket = rate.NewLimiter(rate.Limit(opts.Rate), opts.Burst)
	}
	if opts.OperatingLimit > 0 {
		p.opLimit = opts.OperatingLimit.Seconds()
	}
	p.w = seedWorld(opts.Seed, p.uid, opts.Sessions, p.now())
	return p
}

// deriveCode makes a webhook secret that looks like a real one (16 lower-case
// letters and digits) from the seed.
func deriveCode(seed int64) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte("linedesk-portalsim-" + strconv.FormatInt(seed, 10)))
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(b)
}

// WebhookURL is the incoming-webhook URL of the owner on a server at baseURL
// (e.g. httptest.Server.URL): baseURL + "/rest/<UserID>/<Code>/".
func (p *Portal) WebhookURL(baseURL string) string {
	base := strings.TrimRight(baseURL, "/")
	p.mu.Lock()
	p.baseURL = base
	p.mu.Unlock()
	return base + "/rest/" + strconv.FormatInt(p.uid, 10) + "/" + p.code + "/"
}

// SetBaseURL tells the portal where it is served, for Token.Endpoint and
// imopenlines.config.path.get. WebhookURL sets it too.
func (p *Portal) SetBaseURL(baseURL string) {
	p.mu.Lock()
	p.baseURL = strings.TrimRight(baseURL, "/")
	p.mu.Unlock()
}

// UserID is the webhook owner's ID.
func (p *Portal) UserID() int64 { return p.uid }

// Calls is how many times a REST method was received, at the top level or
// inside a batch, faulted or not. The name is case-insensitive.
func (p *Portal) Calls(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[normMethod(method)]
}

// Executed is how many times a REST method actually ran (its handler was
// reached: not refused by a fault, a limit or auth before it), whatever
// happened to its answer afterwards. Calls counts what was received; a
// bulk action that ran twice shows here. The name is case-insensitive.
func (p *Portal) Executed(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.executed[normMethod(method)]
}

// Requests is how many HTTP requests reached /rest/ (token requests to
// /oauth/token/ are counted by TokenRefreshes instead).
func (p *Portal) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

// SetSessionCount reseeds the portal with n current sessions for the owner
// (plus the usual closed ones, colleagues' sessions and offers). Faults,
// counters and OAuth tokens are kept.
func (p *Portal) SetSessionCount(n int) {
	n = max(n, 0)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opts.Sessions = n
	p.w = seedWorld(p.opts.Seed, p.uid, n, p.now())
}

// PinnedSessionIDs lists the owner's current sessions whose open-line pin
// (PAUSE) is set, ascending.
func (p *Portal) PinnedSessionIDs() []int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ids []int64
	for _, s := range p.w.sessions {
		if s.operator == p.uid && s.chat.owner == p.uid && s.chat.session == s && !closedStatus(s.status) && s.pause {
			ids = append(ids, s.id)
		}
	}
	sortIDs(ids)
	return ids
}

func normMethod(m string) string {
	m = strings.ToLower(strings.TrimSpace(m))
	m = strings.TrimSuffix(m, ".json")
	return m
}

// ServeHTTP answers /rest/… (webhook and OAuth REST calls) and /oauth/token/.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/oauth/token/" || r.URL.Path == "/oauth/token":
		p.serveToken(w, r)
	case strings.HasPrefix(r.URL.Path, "/rest/"):
		p.serveREST(w, r)
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("linedesk simulated Bitrix24 portal: REST at /rest/USER_ID/CODE/METHOD\n"))
	default:
		http.NotFound(w, r)
	}
}

func (p *Portal) formatDate(t time.Time) string {
	return t.In(p.loc).Format("2006-01-02T15:04:05-07:00")
}
