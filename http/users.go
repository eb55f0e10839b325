package http

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// Users have a life cycle (SPEC.md): an admin removes them, changes their
// role, resets their password or signs them out, from the API or the Users
// page; each of these ends the user's sessions at once (the store does it
// in the same transaction), so a removed or demoted user's open browser
// loses its old rights on its next request.

func init() {
	pageNames = append(pageNames, "users")
}

func (s *Server) registerUsers() {
	s.handle("PATCH", "/api/v1/users/{name}", saydo.ActionAdmin, true, s.apiUpdateUser)
	s.handle("DELETE", "/api/v1/users/{name}", saydo.ActionAdmin, true, s.apiRemoveUser)
	s.handle("DELETE", "/api/v1/users/{name}/sessions", saydo.ActionAdmin, true, s.apiEndSessions)
	s.handle("GET", "/users", saydo.ActionAdmin, false, s.usersPage)
	s.handle("POST", "/users/{name}", saydo.ActionAdmin, false, s.userForm)
}

// errLastAdmin refuses to leave the server without an admin.
var errLastAdmin = errors.New("this is the last admin: make another user admin first (or use the command line, which can always add one)")

// userChange is one change an admin makes to a user.
type userChange struct {
	name     string
	role     string // "" keeps it
	password string // "" keeps it
	remove   bool
	logout   bool
}

// changeUser applies a change and writes its audit entries; it returns the
// HTTP status and a message for the client on failure.
func (s *Server) changeUser(ctx context.Context, who *principal, c userChange) (int, error) {
	u, _, err := s.cfg.Access.UserByName(ctx, c.name)
	if errors.Is(err, saydo.ErrNotFound) {
		return nethttp.StatusNotFound, fmt.Errorf("no user %q", c.name)
	}
	if err != nil {
		return nethttp.StatusInternalServerError, err
	}
	var role saydo.Role
	if c.role != "" {
		if role, err = saydo.ParseRole(c.role); err != nil {
			return nethttp.StatusBadRequest, fmt.Errorf("role: %w", err)
		}
	}
	if c.password != "" && len(c.password) < 12 {
		return nethttp.StatusBadRequest, errors.New("password: at least 12 characters")
	}
	if len(c.password) > 1024 {
		return nethttp.StatusBadRequest, errors.New("password: at most 1024 characters")
	}
	if u.Role == saydo.RoleAdmin && (c.remove || (role != "" && role != saydo.RoleAdmin)) {
		last, err := s.lastAdmin(ctx)
		if err != nil {
			return nethttp.StatusInternalServerError, err
		}
		if last {
			return nethttp.StatusConflict, errLastAdmin
		}
	}
	switch {
	case c.remove:
		if err := s.cfg.Access.DeleteUser(ctx, c.name); err != nil {
			return statusOf(err), err
		}
		s.audit(ctx, who.Actor(), "user_remove", c.name, "was "+string(u.Role)+"; sessions ended")
		return nethttp.StatusOK, nil
	case c.logout:
		n, err := s.cfg.Access.EndSessions(ctx, c.name)
		if err != nil {
			return statusOf(err), err
		}
		s.audit(ctx, who.Actor(), "user_sessions_end", c.name, fmt.Sprintf("%d %s ended", n, plural(n, "session", "sessions")))
		return nethttp.StatusOK, nil
	}
	if role == "" && c.password == "" {
		return nethttp.StatusBadRequest, errors.New("nothing to change: give a role or a password")
	}
	if role != "" && role != u.Role {
		if err := s.cfg.Access.SetRole(ctx, c.name, role); err != nil {
			return statusOf(err), err
		}
		s.audit(ctx, who.Actor(), "user_role", c.name, fmt.Sprintf("%s -> %s; sessions ended", u.Role, role))
	}
	if c.password != "" {
		if err := s.cfg.Access.SetPassword(ctx, c.name, HashPassword(c.password)); err != nil {
			return statusOf(err), err
		}
		s.audit(ctx, who.Actor(), "user_password", c.name, "reset; sessions ended")
	}
	return nethttp.StatusOK, nil
}

func statusOf(err error) int {
	if errors.Is(err, saydo.ErrNotFound) {
		return nethttp.StatusNotFound
	}
	return nethttp.StatusInternalServerError
}

// lastAdmin reports whether at most one admin is left.
func (s *Server) lastAdmin(ctx context.Context) (bool, error) {
	users, err := s.cfg.Access.Users(ctx)
	if err != nil {
		return false, err
	}
	n := 0
	for _, u := range users {
		if u.Role == saydo.RoleAdmin {
			n++
		}
	}
	return n <= 1, nil
}

// PATCH /api/v1/users/{name} {"role": "viewer"} and/or {"password": "..."}.
func (s *Server) apiUpdateUser(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	var body struct {
		Role     string `json:"role"`
		Password string `json:"password"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	s.answerUserChange(w, r, who, userChange{name: r.PathValue("name"), role: body.Role, password: body.Password})
}

// DELETE /api/v1/users/{name}.
func (s *Server) apiRemoveUser(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	s.answerUserChange(w, r, who, userChange{name: r.PathValue("name"), remove: true})
}

// DELETE /api/v1/users/{name}/sessions: sign the user out everywhere.
func (s *Server) apiEndSessions(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	s.answerUserChange(w, r, who, userChange{name: r.PathValue("name"), logout: true})
}

func (s *Server) answerUserChange(w nethttp.ResponseWriter, r *nethttp.Request, who *principal, c userChange) {
	status, err := s.changeUser(r.Context(), who, c)
	if status == nethttp.StatusInternalServerError {
		s.internal(w, r, "change user", err)
		return
	}
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	if c.remove {
		writeJSON(w, nethttp.StatusOK, map[string]any{"removed": c.name})
		return
	}
	u, _, err := s.cfg.Access.UserByName(r.Context(), c.name)
	if err != nil {
		s.internal(w, r, "change user", err)
		return
	}
	writeJSON(w, nethttp.StatusOK, u)
}

// usersPage lists the users with forms to change each.
func (s *Server) usersPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	q := r.URL.Query()
	note := userNote{q.Get("done"), q.Get("user"), q.Get("role")}
	if !hmac.Equal([]byte(q.Get("sig")), []byte(note.sign(who))) {
		note = userNote{} // not made by this session's own form: no banner
	}
	s.renderUsers(w, r, who, nethttp.StatusOK, note, "")
}

// sign binds the note to the session that made the change: the banner
// shows only with the signature the redirect after the form carries, so
// a link cannot make the page announce a change nobody made.
func (n userNote) sign(who *principal) string {
	if who.CSRF == "" {
		return "\x00" // no session, nothing it signed: never equal to a query value
	}
	m := hmac.New(sha256.New, []byte(who.CSRF))
	m.Write([]byte(n.action + "\x00" + n.user + "\x00" + n.role))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// userNote is the change the Users page reports after a form: the
// action's name, the user and the role, as the redirect carries them.
type userNote struct{ action, user, role string }

func (s *Server) renderUsers(w nethttp.ResponseWriter, r *nethttp.Request, who *principal, status int, note userNote, problem string) {
	users, err := s.cfg.Access.Users(r.Context())
	if err != nil {
		s.internal(w, r, "users page", err)
		return
	}
	p := s.page(r, who, "Users", map[string]any{"Users": users, "Roles": saydo.Roles, "Done": note.text(users)})
	p.Problem = problem
	s.render(w, r, status, "users", p)
}

// userForm is POST /users/{name} with action role, password, logout or
// remove.
func (s *Server) userForm(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	c := userChange{name: r.PathValue("name")}
	action := r.PostFormValue("action")
	switch action {
	case "role":
		c.role = r.PostFormValue("role")
	case "password":
		c.password = r.PostFormValue("password")
		if c.password == "" {
			s.renderUsers(w, r, who, nethttp.StatusBadRequest, userNote{}, "Type the new password.")
			return
		}
	case "logout":
		c.logout = true
	case "remove":
		c.remove = true
	default:
		s.renderUsers(w, r, who, nethttp.StatusBadRequest, userNote{}, "Unknown action; reload the page.")
		return
	}
	status, err := s.changeUser(r.Context(), who, c)
	if status == nethttp.StatusInternalServerError {
		s.internal(w, r, "user form", err)
		return
	}
	if err != nil {
		s.renderUsers(w, r, who, status, userNote{}, err.Error())
		return
	}
	if c.name == who.Name && who.Kind == "user" && (c.remove || c.logout || c.password != "" || c.role != "") {
		// The admin changed themselves: their own session has ended.
		nethttp.Redirect(w, r, "/login", nethttp.StatusSeeOther)
		return
	}
	v := url.Values{"done": {action}, "user": {c.name}}
	if c.role != "" {
		v.Set("role", c.role)
	}
	v.Set("sig", userNote{action, c.name, c.role}.sign(who))
	nethttp.Redirect(w, r, "/users?"+v.Encode(), nethttp.StatusSeeOther)
}

// text is the banner after a change to a user, made here from the
// action's name, and only for a user who is there (or, after a removal,
// is not) in the role said: the page once showed any text a link put in
// ?done= as a success notice ("Security notice: re-enter your password at
// https://…").
func (n userNote) text(users []saydo.User) string {
	var u *saydo.User
	for i := range users {
		if users[i].Name == n.user {
			u = &users[i]
		}
	}
	switch {
	case n.action == "remove" && u == nil && validName(n.user) == nil && !strings.ContainsAny(n.user, " :/"):
		return fmt.Sprintf("%s was removed; their sessions ended.", n.user)
	case u == nil:
		return ""
	case n.action == "role" && string(u.Role) == n.role:
		return fmt.Sprintf("%s is now %s; their sessions ended.", u.Name, u.Role)
	case n.action == "password":
		return fmt.Sprintf("%s's password was reset; their sessions ended.", u.Name)
	case n.action == "logout":
		return fmt.Sprintf("%s was signed out everywhere.", u.Name)
	}
	return ""
}

// parseExpiry reads a token's lifetime: "90d", "12h", a Go duration, or a
// date (YYYY-MM-DD, the token stops at its start, UTC).
func parseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 3650 {
			return time.Time{}, fmt.Errorf("expires %q: want 1d to 3650d", s)
		}
		return now.AddDate(0, 0, n), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if !t.After(now) {
			return time.Time{}, fmt.Errorf("expires %q: the date has passed", s)
		}
		if t.After(now.AddDate(0, 0, 3650)) {
			return time.Time{}, fmt.Errorf("expires %q: more than 10 years ahead (the longest a token lives); pick a nearer date or a lifetime such as 365d", s)
		}
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute || d > 3650*24*time.Hour {
		return time.Time{}, fmt.Errorf("expires %q: want a lifetime such as 90d or 12h (1 minute to 10 years), or a date YYYY-MM-DD", s)
	}
	return now.Add(d), nil
}

// TokenAuditDetail is the audit log's detail of a token created, the same
// from the API and the command line: "role viewer, expires 2027-03-01
// 12:00 UTC".
func TokenAuditDetail(role saydo.Role, expires time.Time) string {
	return "role " + string(role) + ExpiryText(expires)
}

// ExpiryText is ", expires 2027-03-01 12:00 UTC", or "" for a token that
// does not expire.
func ExpiryText(expires time.Time) string {
	if expires.IsZero() {
		return ""
	}
	return ", expires " + expires.UTC().Format("2006-01-02 15:04 UTC")
}

// ParseExpiry is parseExpiry for the command line: the same words for a
// token's lifetime on the API and in `saydo token create --expires`.
func ParseExpiry(s string, now time.Time) (time.Time, error) { return parseExpiry(s, now) }
