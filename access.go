package saydo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors the access and review stores return; classify with errors.Is.
var (
	// ErrExists is returned when creating something whose name is taken.
	ErrExists = errors.New("already exists")
	// ErrConflict is returned when a decision no longer applies: the
	// message changed since the reviewer saw it, or the transition is not
	// allowed from its current state.
	ErrConflict = errors.New("conflict")
	// ErrSelfApproval is returned when the reviewer approving a version
	// is the one who submitted it (separation of duties, SPEC.md).
	ErrSelfApproval = errors.New("the submitter of a version cannot approve it")
)

// Role is what a user or token may do. Roles are not nested by rank: an
// approver reviews messages but cannot import evidence, an analyst imports
// evidence but cannot approve messages; an admin can do everything.
type Role string

// The roles of SPEC.md.
const (
	RoleViewer   Role = "viewer"   // reads reports, voice, messages
	RoleAnalyst  Role = "analyst"  // reads and imports evidence
	RoleApprover Role = "approver" // reads and approves or sends back messages
	RoleAdmin    Role = "admin"    // everything, plus users and tokens
)

// Roles lists every role, least powerful first.
var Roles = []Role{RoleViewer, RoleAnalyst, RoleApprover, RoleAdmin}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (roles: viewer, analyst, approver, admin)", s)
}

// Action is something a role may be allowed to do.
type Action string

// The actions the server checks.
const (
	ActionRead   Action = "read"   // reports, voice, messages, reviews, audit
	ActionIngest Action = "ingest" // import observations and feedback
	ActionReview Action = "review" // approve or request changes on a message
	ActionAdmin  Action = "admin"  // users and tokens
)

var permissions = map[Role][]Action{
	RoleViewer:   {ActionRead},
	RoleAnalyst:  {ActionRead, ActionIngest},
	RoleApprover: {ActionRead, ActionReview},
	RoleAdmin:    {ActionRead, ActionIngest, ActionReview, ActionAdmin},
}

// Can reports whether the role allows action. An unknown role can do
// nothing.
func (r Role) Can(action Action) bool {
	for _, a := range permissions[r] {
		if a == action {
			return true
		}
	}
	return false
}

// User is a person who signs in to the dashboard.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Token is an API token. The token itself is shown once when created; only
// its SHA-256 hash is stored.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// LastUsed is zero when the token was never used; it is updated at
	// most once a minute.
	LastUsed time.Time `json:"last_used,omitzero"`
	// ExpiresAt is when the token stops working; zero means never.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// Expired reports whether the token no longer works at now.
func (t Token) Expired(now time.Time) bool { return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) }

// Session is a signed-in browser. The cookie value is shown to the browser
// only; the store keeps its SHA-256 hash.
type Session struct {
	UserID int64
	// CSRF is the per-session token every form must carry.
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ReviewState is where a version of a message stands in review.
type ReviewState string

// The review states: draft → in_review → approved or changes_requested. A
// change to the body makes a new version, back in review.
const (
	Draft            ReviewState = "draft"
	InReview         ReviewState = "in_review"
	Approved         ReviewState = "approved"
	ChangesRequested ReviewState = "changes_requested"
)

// ReviewAction is a reviewer's decision or an author's step.
type ReviewAction string

// The review actions.
const (
	ActionSubmit         ReviewAction = "submit"
	ActionApprove        ReviewAction = "approve"
	ActionRequestChanges ReviewAction = "request_changes"
)

// Next returns the state a version moves to when action is taken in state
// s, or an error wrapping ErrConflict when the action does not apply.
func (s ReviewState) Next(action ReviewAction) (ReviewState, error) {
	switch {
	case action == ActionSubmit && (s == Draft || s == ChangesRequested):
		return InReview, nil
	case action == ActionApprove && (s == InReview || s == ChangesRequested):
		return Approved, nil
	case action == ActionRequestChanges && (s == InReview || s == Approved):
		return ChangesRequested, nil
	}
	return s, fmt.Errorf("cannot %s a message that is %s: %w", action, s, ErrConflict)
}

// Review is the review state of one version of a message, or one decision
// taken on it.
type Review struct {
	MessageID string      `json:"message_id"`
	Version   int         `json:"version"`
	State     ReviewState `json:"state"`
	// Reviewer is the user or token that decided; empty for a version
	// nobody has decided on yet.
	Reviewer string    `json:"reviewer,omitempty"`
	Comment  string    `json:"comment,omitempty"`
	At       time.Time `json:"at"`
}

// AuditEntry is one recorded decision or administrative act.
type AuditEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// Actor is "user:NAME" or "token:NAME", or "cli" for the command line.
	Actor string `json:"actor"`
	// Action is what was done: approve, request_changes, submit,
	// new_version, user_add, token_create, ingest_observations, ...
	Action string `json:"action"`
	// Target is what it was done to: a message id and version
	// ("overdue-sms@3"), a user or token name.
	Target string `json:"target"`
	Detail string `json:"detail,omitempty"`
}

// AccessStore keeps users, API tokens and sessions.
type AccessStore interface {
	// CreateUser stores a user with an argon2id password hash (in the
	// PHC string form); ErrExists when the name is taken.
	CreateUser(ctx context.Context, name string, role Role, passwordHash string) (User, error)
	// UserByName returns a user and its password hash; ErrNotFound.
	UserByName(ctx context.Context, name string) (User, string, error)
	// SetPassword replaces a user's password hash and ends the user's
	// sessions; ErrNotFound.
	SetPassword(ctx context.Context, name, passwordHash string) error
	// SetRole changes a user's role and ends the user's sessions, so the
	// old role stops at once; ErrNotFound.
	SetRole(ctx context.Context, name string, role Role) error
	// DeleteUser removes a user and its sessions; ErrNotFound. Review
	// decisions and audit entries keep the name.
	DeleteUser(ctx context.Context, name string) error
	// EndSessions signs a user out everywhere and returns how many
	// sessions ended; ErrNotFound when there is no such user.
	EndSessions(ctx context.Context, name string) (int, error)
	// Users lists every user by name.
	Users(ctx context.Context) ([]User, error)

	// CreateToken stores a token by the SHA-256 hash of its secret; a
	// non-zero expires is when it stops working.
	CreateToken(ctx context.Context, name string, role Role, hash [32]byte, expires time.Time) (Token, error)
	// TokenByHash finds an unexpired token by the hash of its secret and
	// records its use; ErrNotFound, also when it expired.
	TokenByHash(ctx context.Context, hash [32]byte, now time.Time) (Token, error)
	// Tokens lists every token, newest first.
	Tokens(ctx context.Context) ([]Token, error)
	// DeleteToken revokes a token; ErrNotFound.
	DeleteToken(ctx context.Context, id int64) error

	// CreateSession stores a session by the hash of its cookie value.
	CreateSession(ctx context.Context, hash [32]byte, s Session) error
	// SessionByHash returns an unexpired session and its user;
	// ErrNotFound.
	SessionByHash(ctx context.Context, hash [32]byte, now time.Time) (Session, User, error)
	// DeleteSession ends a session (sign out); no error when absent.
	DeleteSession(ctx context.Context, hash [32]byte) error

	// RecordSignInFailure notes a failed sign-in for name from address
	// (sign-in throttling, SPEC.md); it may drop failures older than a
	// day.
	RecordSignInFailure(ctx context.Context, name, address string, at time.Time) error
	// SignInFailures returns the times of failed sign-ins at or after
	// since for name and from address, oldest first, each list at most
	// the newest 100.
	SignInFailures(ctx context.Context, name, address string, since time.Time) (byName, byAddress []time.Time, err error)
}

// ReviewStore keeps the review state of every version of every message and
// the audit log.
type ReviewStore interface {
	// SyncVersion tells review that version is the current version of a
	// message (as numbered by MessageStore.PutMessage). When it is newer
	// than the latest version review knows, it starts in state initial,
	// an audit entry is written, and changed is true. It returns the
	// latest version's review.
	SyncVersion(ctx context.Context, messageID string, version int, initial ReviewState, now time.Time) (r Review, changed bool, err error)
	// CurrentReviews returns the review of the latest version of every
	// stored message, by message id.
	CurrentReviews(ctx context.Context) (map[string]Review, error)
	// ReviewHistory returns every version's state and every decision on
	// a message, oldest first; ErrNotFound when it was never synced.
	ReviewHistory(ctx context.Context, messageID string) ([]Review, error)
	// Decide applies action to version of a message on behalf of
	// reviewer and writes the audit entry in the same transaction. It
	// fails with ErrConflict when version is not the latest or the
	// action does not apply to its state, ErrSelfApproval when the action
	// is approve and reviewer submitted this version, ErrNotFound when
	// the message is unknown. auditDetail, when not empty, is the audit
	// entry's detail instead of the comment (an approval overriding lint
	// errors says so there).
	Decide(ctx context.Context, messageID string, version int, action ReviewAction, reviewer, comment, auditDetail string, now time.Time) (Review, error)
	// AppendAudit records an entry.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit returns up to limit entries with ID < before (0: the newest),
	// newest first.
	Audit(ctx context.Context, before int64, limit int) ([]AuditEntry, error)
}
