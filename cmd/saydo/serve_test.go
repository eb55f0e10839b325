package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/yaml"
)

// TestServedMessagePathsAreWorkspaceRelative: the server shows and stores
// a message's path relative to the workspace, not the directory it was
// started from (an absolute workspace path would show the server's file
// system to every API client).
func TestServedMessagePathsAreWorkspaceRelative(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	if err := os.MkdirAll(filepath.Join(dir, "messages", "care"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "messages", "care"), "sms.txt", "---\nid: care-sms\nchannel: sms\n---\nWe are on it.\n")
	ws, err := yaml.LoadWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := workspaceMessages(ws)
	if err != nil || len(ms) != 1 {
		t.Fatalf("workspaceMessages: %v, %v; want the one message", ms, err)
	}
	if ms[0].Path != "messages/care/sms.txt" {
		t.Errorf("path %q, want messages/care/sms.txt (dir %s)", ms[0].Path, dir)
	}
}

// TestMessageLoaderKeepsLastGood: a message file that does not parse, or
// reuses another's id, leaves the served catalogue as it was (it made
// every message page 500); a server started with one serves the files
// that parse, one per id.
func TestMessageLoaderKeepsLastGood(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	care := filepath.Join(dir, "messages", "care")
	writeFile(t, care, "sms.txt", "---\nid: care-sms\nchannel: sms\n---\nWe are on it.\n")
	ws, err := yaml.LoadWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ms []saydo.Message) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	var logged strings.Builder
	l := &messageLoader{log: slog.New(slog.NewTextHandler(&logged, nil))}
	if ms, err := l.get(context.Background(), ws); err != nil || len(ms) != 1 {
		t.Fatalf("good catalogue: %v, %v", ids(ms), err)
	}
	writeFile(t, care, "broken.txt", "---\nid: [unclosed\n---\nbody\n")
	writeFile(t, care, "dup.txt", "---\nid: care-sms\nchannel: email\n---\nAgain.\n")
	writeFile(t, care, "new.txt", "---\nid: care-new\nchannel: sms\n---\nNew.\n")
	if ms, err := l.get(context.Background(), ws); err != nil || !slices.Equal(ids(ms), []string{"care-sms"}) {
		t.Errorf("after a broken file: %v, %v; want the last good catalogue", ids(ms), err)
	}
	if !strings.Contains(logged.String(), "keeping the last good catalogue") {
		t.Errorf("nothing logged: %q", logged.String())
	}
	fresh := &messageLoader{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if ms, err := fresh.get(context.Background(), ws); err != nil || !slices.Equal(ids(ms), []string{"care-sms", "care-new"}) {
		t.Errorf("started with a broken file: %v, %v; want the files that parse, one per id", ids(ms), err)
	}
}
