package saydo

import (
	"errors"
	"testing"
)

func TestRoleCan(t *testing.T) {
	tests := []struct {
		role Role
		want map[Action]bool
	}{
		{RoleViewer, map[Action]bool{ActionRead: true}},
		{RoleAnalyst, map[Action]bool{ActionRead: true, ActionIngest: true}},
		{RoleApprover, map[Action]bool{ActionRead: true, ActionReview: true}},
		{RoleAdmin, map[Action]bool{ActionRead: true, ActionIngest: true, ActionReview: true, ActionAdmin: true}},
		{Role("root"), map[Action]bool{}},
	}
	for _, tt := range tests {
		for _, a := range []Action{ActionRead, ActionIngest, ActionReview, ActionAdmin} {
			if got := tt.role.Can(a); got != tt.want[a] {
				t.Errorf("%s.Can(%s) = %v, want %v", tt.role, a, got, tt.want[a])
			}
		}
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	if _, err := ParseRole("Admin"); err == nil {
		t.Errorf("ParseRole(Admin): got nil error, want one")
	}
}

func TestReviewStateNext(t *testing.T) {
	tests := []struct {
		from   ReviewState
		action ReviewAction
		want   ReviewState
		ok     bool
	}{
		{Draft, ActionSubmit, InReview, true},
		{Draft, ActionApprove, Draft, false},
		{InReview, ActionApprove, Approved, true},
		{InReview, ActionRequestChanges, ChangesRequested, true},
		{Approved, ActionApprove, Approved, false},
		{Approved, ActionRequestChanges, ChangesRequested, true},
		{ChangesRequested, ActionSubmit, InReview, true},
		{ChangesRequested, ActionApprove, Approved, true},
	}
	for _, tt := range tests {
		got, err := tt.from.Next(tt.action)
		if got != tt.want || (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrConflict)) {
			t.Errorf("%s.Next(%s) = %s, %v; want %s, ok %v", tt.from, tt.action, got, err, tt.want, tt.ok)
		}
	}
}
