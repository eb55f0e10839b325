package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/postgres/pgtest"
)

// fillStore imports observations (with and without ids) and feedback into
// the workspace's store, and gives it a user, a message with a review
// history and an audit entry.
func fillStore(t *testing.T, dir, db string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,metric,value,at,region\n")
	for i := range 3000 {
		id := ""
		if i%2 == 0 {
			id = fmt.Sprintf("call-%d", i)
		}
		fmt.Fprintf(&b, "%s,call_wait_seconds,%d,2026-03-%02dT%02d:%02d:00Z,%s\n", id, (i*37)%300, 1+i%28, i%24, i%60, []string{"north", "south"}[i%2])
	}
	writeFile(t, dir, "calls.csv", b.String())
	if out, errs, code := runSaydo(t, "", "ingest", "observations", filepath.Join(dir, "calls.csv"), "--workspace", dir, "--db", db, "--quiet"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errs)
	}
	writeFile(t, dir, "feedback.csv", "id,text,at\nf1,You never answer the phone,2026-03-02T10:00:00Z\nf2,Great service,2026-03-03T10:00:00Z\n")
	if out, errs, code := runSaydo(t, "", "ingest", "feedback", filepath.Join(dir, "feedback.csv"), "--workspace", dir, "--db", db, "--quiet"); code != 0 {
		t.Fatalf("ingest feedback: exit %d\n%s%s", code, out, errs)
	}
	ctx := context.Background()
	st, err := openDSN(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateUser(ctx, "ana", saydo.RoleAdmin, "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	for v, body := range []string{"We answer fast.", "We answer within 2 minutes."} {
		if _, _, err := st.PutMessage(ctx, saydo.Message{ID: "ivr", Path: "messages/ivr.md", Channel: "phone", Body: body}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.SyncVersion(ctx, "ivr", v+1, saydo.InReview, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Decide(ctx, "ivr", 2, saydo.ActionApprove, "user:ana", "clear", "", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.AppendAudit(ctx, saydo.AuditEntry{At: at, Actor: "cli", Action: "user_add", Target: "ana"}); err != nil {
		t.Fatal(err)
	}
	tx, err := st.BeginContacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var contacts []saydo.Contact
	for i := range 40 {
		contacts = append(contacts, saydo.Contact{Key: uint64(i + 1), Customer: fmt.Sprintf("c-%d", i%7), At: at.AddDate(0, 0, i),
			Department: "care", Channel: "sms", Intent: "service"})
	}
	if _, err := tx.Insert(contacts); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := st.PutAlertState(ctx, saydo.AlertState{Subject: "promise:answer-in-2-min", Status: "broken", Direction: "worsening", At: at}); err != nil {
		t.Fatal(err)
	}
	if err := st.LogDelivery(ctx, saydo.Delivery{MessageID: "msg_1", Event: "promise.broken", Subject: "promise:answer-in-2-min",
		URL: "https://example.com/hook", Attempt: 1, At: at, Status: 200, Body: "{}"}); err != nil {
		t.Fatal(err)
	}
}

// testStoreCopy copies a filled store to another and back (each DSN is a
// SQLite path or a PostgreSQL URL), and checks that the gap report and
// the counts agree, and that copying again changes nothing.
func testStoreCopy(t *testing.T, from, to, back string) {
	dir := newWorkspace(t, testWorkspace)
	fillStore(t, dir, from)
	report := func(db string) string {
		out, errs, code := runSaydo(t, "", "gap", "--workspace", dir, "--db", db, "--format", "json", "--voice=false")
		if code != 0 {
			t.Fatalf("gap --db %s: exit %d\n%s", db, code, errs)
		}
		return out
	}
	want := report(from)
	for i, pair := range [][2]string{{from, to}, {from, to}, {to, back}} {
		out, errs, code := runSaydo(t, "", "store", "copy", "--from", pair[0], "--to", pair[1])
		if code != 0 || !strings.Contains(out, "The stores agree") {
			t.Fatalf("copy #%d %s -> %s: exit %d\n%s%s", i+1, pair[0], pair[1], code, out, errs)
		}
		for what, want := range map[string]string{"observations call_wait_seconds": "3,000", "feedback": "2", "contacts": "40",
			"message versions": "2", "review events": "3", "users": "1", "alert states": "1", "alert deliveries": "1"} {
			if got := copyCount(out, what); got != [2]string{want, want} {
				t.Errorf("copy #%d: %s counted %q, want %s on both sides\n%s", i+1, what, got, want, out)
			}
		}
	}
	for _, db := range []string{to, back} {
		if got := report(db); !sameReport(got, want) {
			t.Errorf("gap report of the copy %s differs from the original's:\n got %s\nwant %s", db, got, want)
		}
	}
	ctx := context.Background()
	st, err := openDSN(ctx, back)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hist, err := st.ReviewHistory(ctx, "ivr")
	if err != nil || len(hist) != 3 || hist[2].State != saydo.Approved || hist[2].Reviewer != "user:ana" || !hist[2].At.Equal(time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("review history after two copies: got %+v, %v; want version 1, version 2, approved by user:ana at 10:00", hist, err)
	}
	if _, hash, err := st.UserByName(ctx, "ana"); err != nil || !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("user ana after two copies: hash %q, %v", hash, err)
	}
}

// copyCount returns the from and to counts of a line of store copy's table.
func copyCount(out, what string) [2]string {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && strings.Join(f[:len(f)-2], " ") == what {
			return [2]string{f[len(f)-2], f[len(f)-1]}
		}
	}
	return [2]string{}
}

// sameReport compares two gap reports in JSON but for when they were
// generated and last-digit differences of floating-point sums, which
// depend on the order summaries were merged in.
func sameReport(a, b string) bool {
	norm := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, `"generated_at"`) {
				continue
			}
			if i := strings.IndexAny(l, "0123456789"); i >= 0 && strings.Contains(l, ".") && len(l)-i > 12 {
				l = l[:i+12]
			}
			out = append(out, l)
		}
		return out
	}
	x, y := norm(a), norm(b)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func TestStoreCopySQLite(t *testing.T) {
	d := t.TempDir()
	testStoreCopy(t, filepath.Join(d, "a.db"), filepath.Join(d, "b.db"), filepath.Join(d, "c.db"))
}

func TestStoreCopyPostgres(t *testing.T) {
	d := t.TempDir()
	testStoreCopy(t, filepath.Join(d, "a.db"), pgtest.FreshDSN(t), filepath.Join(d, "c.db"))
}

func TestStoreCopyUsage(t *testing.T) {
	for _, args := range [][]string{
		{"store"},
		{"store", "move"},
		{"store", "copy", "--from", "a.db"},
		{"store", "copy", "--from", "a.db", "--to", "a.db"},
	} {
		if _, errs, code := runSaydo(t, "", args...); code != 2 || errs == "" {
			t.Errorf("saydo %s: exit %d, stderr %q; want 2 and a message", strings.Join(args, " "), code, errs)
		}
	}
}

// TestFeedbackTextWithNUL: a NUL in a customer's text rejects the row with
// its line (PostgreSQL cannot store one; no store should keep one), and the
// other rows are imported.
func TestFeedbackTextWithNUL(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	path := writeFile(t, dir, "nul.csv", "id,text,at\nn1,bad\x00text,2026-03-02T10:00:00Z\nn2,fine,2026-03-02T11:00:00Z\n")
	out, errs, code := runSaydo(t, "", "ingest", "feedback", path, "--workspace", dir)
	if code != 1 || !strings.Contains(out, "1 accepted + 1 rejected") || !strings.Contains(out, "line 2: text: NUL character at byte 4") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// TestContactWithControlCharacter: a control character in a contact's
// customer rejects the row, as for observations and feedback.
func TestContactWithControlCharacter(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	path := writeFile(t, dir, "contacts.csv", "id,customer,at,department,channel,intent\nc1,cu\x00st,2026-01-01T06:00:18Z,care,sms,service\n")
	out, errs, code := runSaydo(t, "", "ingest", "contacts", path, "--workspace", dir)
	if code != 1 || !strings.Contains(out, "line 2: customer: control character") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}
