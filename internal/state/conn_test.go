package state

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/linedesk/linedesk/internal/api"
)

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		want Health
	}{
		{nil, Online},
		{&api.Error{Code: "QUERY_LIMIT_EXCEEDED", HTTPStatus: 503}, RateLimited},
		{fmt.Errorf("refresh: %w", &api.Error{Code: "operation_time_limit"}), RateLimited},
		{&api.Error{Code: "OVERLOAD_LIMIT"}, RateLimited},
		{&api.Error{Code: "NO_AUTH_FOUND", HTTPStatus: 401}, Failing},
		{&api.Error{Code: "", HTTPStatus: 400}, Failing},
		{fmt.Errorf("%w: connection refused", api.ErrUnreachable), Offline},
		{context.DeadlineExceeded, Offline},
		{errors.New("unexpected EOF"), Offline},
	} {
		if got := Classify(c.err); got != c.want {
			t.Errorf("Classify(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestConnKeepsLastGoodOnFailure(t *testing.T) {
	var c Conn
	if c.HasData() || c.Health != Connecting {
		t.Fatal("zero Conn should be connecting without data")
	}
	c.Succeeded(t0)
	err := fmt.Errorf("%w: connection refused", api.ErrUnreachable)
	c.Failed(err)
	if c.Health != Offline || !c.LastGood.Equal(t0) || !errors.Is(c.Err, api.ErrUnreachable) {
		t.Errorf("after failure: %+v", c)
	}
	c.Succeeded(t0.Add(1))
	if c.Err != nil || c.Health != Online {
		t.Errorf("after success: %+v", c)
	}
}
