package cht

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"careflow/store"
	"careflow/store/storetest"
)

func setupUsers(t *testing.T) (*Users, store.Store, *time.Time) {
	t.Helper()
	st := storetest.OpenSQLite(t)
	docs := NewDocs(st)
	s := NewSettings(st)
	if _, err := s.Update(context.Background(), DefaultSettings(), MergeDeep); err != nil {
		t.Fatal(err)
	}
	u := NewUsers(st, s, NewContacts(docs, s), []byte("test signing key"))
	u.Iterations = 1000
	now := time.Unix(1777629600, 0)
	u.Now = func() time.Time { return now }
	return u, st, &now
}

func TestUsersCreate(t *testing.T) {
	u, st, _ := setupUsers(t)
	ctx := context.Background()
	cases := []struct {
		name    string
		user    NewUser
		wantKey string
		roles   string
	}{
		{"GatewayGetsMarker", NewUser{Username: "rapidpro", Password: "Tq9!vRapid-Pro-2026", Roles: []string{"gateway"}}, "", "gateway,mm-online"},
		{"DeprecatedTypeAccepted", ParseNewUser(map[string]any{"username": "typed", "password": "Tq9!vRapid-Pro-2026", "type": "data_entry"}), "", "data_entry,mm-online"},
		{"NameTaken", NewUser{Username: "rapidpro", Password: "Tq9!vRapid-Pro-2026", Roles: []string{"gateway"}}, "username.taken", ""},
		{"OfflineNeedsPlaceAndContact", NewUser{Username: "chw1", Password: "Tq9!vRapid-Pro-2026", Roles: []string{"chw"}}, "fields.required", ""},
		{"OfflineUnknownPlace", NewUser{Username: "chw1", Password: "Tq9!vRapid-Pro-2026", Roles: []string{"chw"}, Place: "nowhere", Contact: "nobody"}, "place.not.found", ""},
		{"UpperCaseNameInvalid", NewUser{Username: "Rapid", Password: "Tq9!vRapid-Pro-2026", Roles: []string{"gateway"}}, "username.invalid", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := u.Create(ctx, tc.user)
			if tc.wantKey != "" {
				var e *Error
				if !errors.As(err, &e) || e.Translation.Key != tc.wantKey {
					t.Fatalf("err %v, want %s", err, tc.wantKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			su, _ := st.GetUser(ctx, tc.user.Username)
			if got := strings.Join(su.Roles, ","); got != tc.roles {
				t.Fatalf("roles %s, want %s", got, tc.roles)
			}
		})
	}
}

func TestOfflineUserWithNewPlaceAndContact(t *testing.T) {
	u, st, _ := setupUsers(t)
	ctx := context.Background()
	created, err := u.Create(ctx, ParseNewUser(map[string]any{
		"username": "chw1", "password": "Tq9!vRapid-Pro-2026", "roles": []any{"chw"},
		"place":   map[string]any{"name": "Area 1", "type": "district_hospital"},
		"contact": map[string]any{"name": "Wanjiru", "phone": "+254700000001"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if created.ContactID == "" || created.ContactRev == "" {
		t.Fatalf("contact not created: %+v", created)
	}
	su, _ := st.GetUser(ctx, "chw1")
	if strings.Join(su.Roles, ",") != "chw" {
		t.Fatalf("offline user roles %v", su.Roles)
	}
	d, err := st.GetDoc(ctx, created.ContactID)
	if err != nil || !strings.Contains(string(d.Fields), `"parent":{"_id":`) {
		t.Fatalf("contact %s %v", d.Fields, err)
	}
}

func TestAuthenticateAndSessions(t *testing.T) {
	u, st, now := setupUsers(t)
	ctx := context.Background()
	if err := u.CreateDirect(ctx, "gw", "Tq9!vRapid-Pro-2026", []string{"gateway", "mm-online"}); err != nil {
		t.Fatal(err)
	}
	if _, err := u.Authenticate(ctx, "gw", "wrong"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := u.Authenticate(ctx, "nobody", "x"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
	usr, err := u.Authenticate(ctx, "gw", "Tq9!vRapid-Pro-2026")
	if err != nil || usr.Name != "gw" || !usr.IsOnline() {
		t.Fatalf("login: %+v %v", usr, err)
	}
	token, expires := u.NewSession(usr)
	if want := now.Add(SessionLifetime); !expires.Equal(want) {
		t.Fatalf("expires %v, want %v", expires, want)
	}
	if s, err := u.Session(ctx, token); err != nil || s.Name != "gw" {
		t.Fatalf("session: %v %v", s, err)
	}
	if _, err := u.Session(ctx, token[:len(token)-2]+"AA"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("forged token accepted: %v", err)
	}
	// Changing the password ends the sessions made with the old one.
	su, _ := st.GetUser(ctx, "gw")
	su.PasswordHash, _ = HashPassword("An0ther!Password", 1000)
	if _, err := st.UpdateUser(ctx, su); err != nil {
		t.Fatal(err)
	}
	u.Forget("gw")
	if _, err := u.Session(ctx, token); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("session survived a password change: %v", err)
	}
	if _, err := u.Authenticate(ctx, "gw", "Tq9!vRapid-Pro-2026"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("old password still accepted: %v", err)
	}
	fresh, _ := u.Authenticate(ctx, "gw", "An0ther!Password")
	token, _ = u.NewSession(fresh)
	*now = now.Add(SessionLifetime + time.Second)
	if _, err := u.Session(ctx, token); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("expired session accepted: %v", err)
	}
}
