package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/sqlite"
	"github.com/saydo/saydo/yaml"
)

func TestLintRequireApproval(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	msgDir := filepath.Join(dir, "messages", "care")
	if err := os.MkdirAll(msgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, msgDir, "thanks.txt", "---\nid: thanks\nchannel: email\nlang: en\n---\nHello, thank you for calling us. If anything is unclear, call 0800 100 200 and we will help.\n")
	_, errs, code := runSaydo(t, "", "lint", "--workspace", dir, "--require-approval")
	if code != 1 || !strings.Contains(errs, "thanks: never reviewed") {
		t.Errorf("unreviewed message: exit %d, stderr %q; want 1 and 'thanks: never reviewed'", code, errs)
	}
	if _, errs, code := runSaydo(t, "", "lint", "--workspace", dir); code != 0 {
		t.Errorf("without --require-approval: exit %d, stderr %q; want 0", code, errs)
	}

	// Store and approve the message as the server would: then lint passes;
	// a change to the text makes it fail again.
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, ".saydo", "saydo.db"))
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := yaml.LoadMessages(filepath.Join(dir, "messages"))
	if err != nil || len(msgs) != 1 {
		t.Fatalf("LoadMessages: %d, %v", len(msgs), err)
	}
	v, _, err := st.PutMessage(ctx, msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, _, err := st.SyncVersion(ctx, "thanks", v, saydo.InReview, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Decide(ctx, "thanks", v, saydo.ActionApprove, "mara", "fine", "", now); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, errs, code := runSaydo(t, "", "lint", "--workspace", dir, "--require-approval"); code != 0 {
		t.Errorf("approved message: exit %d, stderr %q; want 0", code, errs)
	}
	writeFile(t, msgDir, "thanks.txt", "---\nid: thanks\nchannel: email\nlang: en\n---\nHello, thanks for calling. If anything is unclear, call 0800 100 200 and we will help.\n")
	if _, errs, code := runSaydo(t, "", "lint", "--workspace", dir, "--require-approval"); code != 1 || !strings.Contains(errs, "changed since version 1") {
		t.Errorf("changed after approval: exit %d, stderr %q; want 1 and 'changed since version 1'", code, errs)
	}
}
