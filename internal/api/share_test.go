package api

import (
	"reflect"
	"testing"
	"time"
	"unsafe"
)

func fullSession() Session {
	at := time.Date(2026, 3, 16, 17, 0, 0, 0, time.UTC)
	return Session{
		SessionID: 7, ChatID: 8, DialogID: "chat8", LineID: 1, LineName: "Sales", Connector: "telegrambot",
		Client: "Olga", Title: "Olga - Telegram", Status: StatusClient, StatusKnown: true, Pinned: true,
		Unread: 2, MarkedUnread: true, LastMessage: "hi", LastFile: "a.png", LastAuthorID: 3,
		LastActivity: at, Started: at.Add(-time.Hour), OwnerID: 4,
		CRM: []CRMBinding{{Type: "LEAD", ID: 5}}, CRMLinked: true,
	}
}

// TestSameSessionSeesEveryField: a refresh lists the previous version of
// a session when sameSession says nothing changed, so a field it does not
// compare would never reach the screen. Changing any one field, including
// one added later, must make the two differ.
func TestSameSessionSeesEveryField(t *testing.T) {
	base := fullSession()
	same := fullSession()
	same.LastActivity = base.LastActivity.In(time.FixedZone("", 3*3600)) // the same instant
	if !sameSession(&base, &same) {
		t.Fatal("equal sessions differ")
	}
	typ := reflect.TypeFor[Session]()
	for i := range typ.NumField() {
		c := fullSession()
		f := reflect.ValueOf(&c).Elem().Field(i)
		switch v := f.Addr().Interface().(type) {
		case *int64:
			*v++
		case *int:
			*v++
		case *Status:
			*v++
		case *string:
			*v += "x"
		case *bool:
			*v = !*v
		case *time.Time:
			*v = v.Add(time.Second)
		case *[]CRMBinding:
			*v = append([]CRMBinding{{Type: "DEAL", ID: 9}}, *v...)
		default:
			t.Fatalf("field %s of type %s: teach this test to change it", typ.Field(i).Name, f.Type())
		}
		if sameSession(&base, &c) {
			t.Errorf("sameSession misses a change of %s", typ.Field(i).Name)
		}
	}
}

// TestNameLinesCopiesShared: new line names reach every session, but a
// session shared with the last snapshot (which the caller may be drawing)
// is copied, not changed; a session this refresh decoded is named in place.
func TestNameLinesCopiesShared(t *testing.T) {
	old, fresh := fullSession(), fullSession()
	fresh.DialogID, fresh.ChatID, fresh.LineID = "chat9", 9, 2
	fresh.LineName = ""
	l := newListing(2, []*Session{&old}, nil)
	l.sessions = []*Session{&old, &fresh}
	l.nameLines([]Line{{ID: 1, Name: "Sales desk"}, {ID: 2, Name: "Support"}})
	if old.LineName != "Sales" {
		t.Errorf("the shared session was changed: %q", old.LineName)
	}
	if l.sessions[0] == &old || l.sessions[0].LineName != "Sales desk" || l.sessions[0].DialogID != "chat8" {
		t.Errorf("shared session: %p (old %p), %+v", l.sessions[0], &old, *l.sessions[0])
	}
	if l.sessions[1] != &fresh || fresh.LineName != "Support" {
		t.Errorf("fresh session: %p (was %p), line %q", l.sessions[1], &fresh, fresh.LineName)
	}
}

// TestSessionSize: the dashboard holds 10,000 sessions all shift; a field
// added out of order (or a wider one) must not push Session into the next
// malloc size class unnoticed.
func TestSessionSize(t *testing.T) {
	if n := unsafe.Sizeof(Session{}); n > 256 {
		t.Errorf("Session is %d bytes; keep it within 256 (order fields by size, see its comment)", n)
	}
}
