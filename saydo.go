// Package saydo holds the domain of the say–do gap: what a company promises
// its customers (Promise, Objective), the evidence of what they got
// (Observation, Feedback), the canned messages it sends them (Message,
// Finding) and how far delivery falls short (PromiseGap, PeriodGap).
//
// It imports only the standard library. Adapters (sqlite, yaml, csv, http)
// implement the service interfaces declared here; pure packages (gap, lint,
// voice) compute over these types; only cmd/saydo wires them together.
package saydo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNotFound is returned by stores when a requested entity does not exist.
var ErrNotFound = errors.New("not found")

// Pos is a position in a user's file, 1-based.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// PosError is a problem at a position in a user's file: an invalid key in
// saydo.yaml, a malformed rule. Its text is "file:line:col: message".
type PosError struct {
	Pos
	Msg string
	// Source is the offending line of the file, shown under the error
	// when non-empty.
	Source string
}

func (e *PosError) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of problems found in one pass, such as every error in
// a workspace; it is an error when non-empty.
type ErrorList []error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap lets errors.Is and errors.As see every error in the list.
func (l ErrorList) Unwrap() []error { return l }

// SortByPos orders the list's *PosErrors by file, line and column, so a
// file's problems read top to bottom whichever check found them; other
// errors keep their place relative to each other (a stable sort that
// treats them as equal to everything).
func (l ErrorList) SortByPos() {
	slices.SortStableFunc(l, func(a, b error) int {
		var pa, pb *PosError
		if !errors.As(a, &pa) || !errors.As(b, &pb) {
			return 0
		}
		if c := strings.Compare(pa.File, pb.File); c != 0 {
			return c
		}
		if pa.Line != pb.Line {
			return pa.Line - pb.Line
		}
		return pa.Col - pb.Col
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
