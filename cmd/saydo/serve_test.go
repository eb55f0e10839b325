package main

import (
	"os"
	"path/filepath"
	"testing"

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
