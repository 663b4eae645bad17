package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// REST methods used by the typed calls (PROTOCOL §7).
const (
	MethodCurrentUser = "user.current"
	MethodLines       = "imopenlines.config.list.get"
	MethodRecentList  = "im.recent.list"
	MethodPin         = "imopenlines.session.mode.pin"
	MethodPinAll      = "imopenlines.session.mode.pinAll"
	MethodUnpinAll    = "imopenlines.session.mode.unpinAll"
	MethodHistory     = "imopenlines.session.history.get"
)

type rawUser struct {
	ID       ID   `json:"ID"`
	Name     Text `json:"NAME"`
	LastName Text `json:"LAST_NAME"`
}

func decodeUser(raw json.RawMessage) (User, error) {
	var u Obj[rawUser]
	if err := json.Unmarshal(raw, &u); err != nil || !u.OK || u.V.ID <= 0 {
		return User{}, fmt.Errorf("%s: the answer has no user ID", MethodCurrentUser)
	}
	return User{ID: int64(u.V.ID), Name: string(u.V.Name), LastName: string(u.V.LastName)}, nil
}

// CurrentUser is the user the webhook or token acts as (user.current).
func (c *Client) CurrentUser(ctx context.Context) (User, error) {
	env, err := c.call(ctx, MethodCurrentUser, nil, nil)
	if err != nil {
		return User{}, err
	}
	u, err := decodeUser(env.Result)
	if err == nil {
		c.cache.setMe(u)
	}
	return u, err
}

// linesParams asks for the fields the dashboard shows, 200 lines at most.
var linesParams = map[string]any{
	"PARAMS": map[string]any{"select": []string{"ID", "LINE_NAME", "ACTIVE"}, "limit": 200},
}

type rawLine struct {
	ID       ID    `json:"ID"`
	LineName Text  `json:"LINE_NAME"`
	Active   *Bool `json:"ACTIVE"`
}

func decodeLines(raw json.RawMessage) []Line {
	var rows Keyed[rawLine]
	_ = json.Unmarshal(raw, &rows) // Keyed fails only on malformed JSON
	lines := make([]Line, 0, len(rows))
	for _, r := range rows {
		if r.Value.ID <= 0 {
			continue
		}
		active := r.Value.Active == nil || bool(*r.Value.Active)
		lines = append(lines, Line{ID: int64(r.Value.ID), Name: string(r.Value.LineName), Active: active})
	}
	return lines
}

// Lines lists the portal's open lines (imopenlines.config.list.get).
func (c *Client) Lines(ctx context.Context) ([]Line, error) {
	env, err := c.call(ctx, MethodLines, linesParams, nil)
	if err != nil {
		return nil, err
	}
	lines := decodeLines(env.Result)
	c.cache.setLines(lines, c.now())
	return lines, nil
}

// Pin pins (pin = true) or unpins one open-line dialog for the current
// operator (imopenlines.session.mode.pin). A `true` answer does not prove
// a change happened (PROTOCOL §10.2); re-read the list. An ambiguous
// failure is not repeated and wraps ErrOutcomeUnknown.
func (c *Client) Pin(ctx context.Context, chatID int64, pin bool) error {
	if chatID <= 0 {
		return fmt.Errorf("%s: chat ID must be a positive number, got %d", MethodPin, chatID)
	}
	activate := "N"
	if pin {
		activate = "Y"
	}
	env, err := c.call(ctx, MethodPin, map[string]any{"CHAT_ID": chatID, "ACTIVATE": activate}, nil)
	if err != nil {
		return err
	}
	if string(bytes.TrimSpace(env.Result)) == "false" {
		return fmt.Errorf("%s: the portal answered false for chat %d", MethodPin, chatID)
	}
	return nil
}

// PinAll pins every active dialog of the current operator and returns the
// session IDs the portal changed, in its order. Never repeated after an
// ambiguous failure (the error wraps ErrOutcomeUnknown).
func (c *Client) PinAll(ctx context.Context) ([]int64, error) {
	return c.sessionIDCall(ctx, MethodPinAll)
}

// UnpinAll unpins every pinned dialog of the current operator and returns
// the session IDs the portal changed, in its order. Never repeated after an
// ambiguous failure (the error wraps ErrOutcomeUnknown): a repeat would
// answer [] and lose the list.
func (c *Client) UnpinAll(ctx context.Context) ([]int64, error) {
	return c.sessionIDCall(ctx, MethodUnpinAll)
}

func (c *Client) sessionIDCall(ctx context.Context, method string) ([]int64, error) {
	env, err := c.call(ctx, method, nil, nil)
	if err != nil {
		return nil, err
	}
	ids, err := DecodeIDList(env.Result)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return ids, nil
}

// DecodeIDList decodes pinAll/unpinAll's result (PROTOCOL §12.21): an array
// of integers or numeric strings, an object whose values (or, failing
// that, numeric keys) are the IDs, a single number, or []/null/true for
// none. Order is the portal's; non-positive values are dropped. `false` is
// an error: the portal refused without saying why.
func DecodeIDList(raw json.RawMessage) ([]int64, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return []int64{}, nil
	}
	ids := []int64{}
	add := func(key string, v json.RawMessage) {
		id := looseInt(v)
		if id <= 0 && key != "" {
			id, _ = strconv.ParseInt(key, 10, 64)
		}
		if id > 0 {
			ids = append(ids, id)
		}
	}
	switch t[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(t, &items); err != nil {
			return nil, fmt.Errorf("unreadable list of session IDs: %v", err)
		}
		for _, v := range items {
			add("", v)
		}
	case '{':
		if err := walkObject(t, add); err != nil {
			return nil, fmt.Errorf("unreadable list of session IDs: %v", err)
		}
	case 'f':
		return nil, errors.New("the portal answered false instead of a list of session IDs")
	default:
		add("", t)
	}
	return ids, nil
}

type historyResult struct {
	ChatID    ID                     `json:"chatId"`
	SessionID ID                     `json:"sessionId"`
	Message   Keyed[historyMessage]  `json:"message"`
	Users     Keyed[historyUserInfo] `json:"users"`
}

type historyMessage struct {
	ID       ID   `json:"id"`
	SenderID ID   `json:"senderid"`
	Date     Date `json:"date"`
	Text     Text `json:"text"`
}

type historyUserInfo struct {
	Name      Text `json:"name"`
	FirstName Text `json:"firstName"`
	LastName  Text `json:"lastName"`
}

func (u historyUserInfo) display() string {
	if u.Name != "" {
		return string(u.Name)
	}
	return User{Name: string(u.FirstName), LastName: string(u.LastName)}.FullName()
}

// History reads one session's messages (imopenlines.session.history.get),
// by SESSION_ID when known, else by CHAT_ID (the chat's latest session).
func (c *Client) History(ctx context.Context, sessionID, chatID int64) (History, error) {
	params := map[string]any{"SESSION_ID": sessionID}
	switch {
	case sessionID > 0:
	case chatID > 0:
		params = map[string]any{"CHAT_ID": chatID}
	default:
		return History{}, fmt.Errorf("%s: a session ID or a chat ID is needed", MethodHistory)
	}
	env, err := c.call(ctx, MethodHistory, params, nil)
	if err != nil {
		return History{}, err
	}
	return decodeHistory(env.Result, sessionID, chatID), nil
}

func decodeHistory(raw json.RawMessage, sessionID, chatID int64) History {
	var r Obj[historyResult]
	_ = json.Unmarshal(raw, &r) // Obj never fails on valid JSON
	h := History{SessionID: int64(r.V.SessionID), ChatID: int64(r.V.ChatID)}
	h.SessionID = cmp.Or(h.SessionID, sessionID)
	h.ChatID = cmp.Or(h.ChatID, chatID)
	names := make(map[int64]string, len(r.V.Users))
	for _, u := range r.V.Users {
		id, _ := strconv.ParseInt(u.Key, 10, 64)
		names[id] = u.Value.display()
	}
	for _, m := range r.V.Message {
		id := int64(m.Value.ID)
		if id == 0 {
			id, _ = strconv.ParseInt(m.Key, 10, 64)
		}
		author := int64(m.Value.SenderID)
		h.Messages = append(h.Messages, HistoryMessage{
			ID: id, AuthorID: author, Author: names[author], Date: m.Value.Date.Time(), Text: string(m.Value.Text),
		})
	}
	slices.SortStableFunc(h.Messages, func(a, b HistoryMessage) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	return h
}
