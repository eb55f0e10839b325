package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/postgres/pgtest"
)

// fillStore imports observations (with and without ids, some naming a
// customer, so the gap report has an outcome) and feedback into the
// workspace's store, and gives it a user, a message with a review
// history and an audit entry.
func fillStore(t *testing.T, dir, db string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,metric,value,at,region,customer\n")
	for i := range 3000 {
		id, customer := "", ""
		if i%2 == 0 {
			id = fmt.Sprintf("call-%d", i)
		}
		if i%3 == 0 {
			customer = fmt.Sprintf("c-%d", i%40)
		}
		fmt.Fprintf(&b, "%s,call_wait_seconds,%d,2026-03-%02dT%02d:%02d:00Z,%s,%s\n", id, (i*37)%300, 1+i%28, i%24, i%60, []string{"north", "south"}[i%2], customer)
	}
	writeFile(t, dir, "calls.csv", b.String())
	if out, errs, code := runSaydo(t, "", "ingest", "observations", filepath.Join(dir, "calls.csv"), "--workspace", dir, "--db", db, "--quiet"); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errs)
	}
	// Enough feedback for the mapping to self-train (ledger.MinSelfTrain).
	texts := []string{
		"You never answer the phone, I was on hold for %d minutes",
		"Great service, thank you",
		"Wrong bill again, charged twice, %d euro too much",
		"Nobody answers, I called %d times today",
		"Am stat în așteptare %d de minute, nu răspunde nimeni",
		"Factura greșită din nou, de %d ori",
		"How do I change my plan? Asking for the %d time",
		"The shop was closed at %d o'clock",
		"Waited %d minutes and then the line dropped",
	}
	b.Reset()
	b.WriteString("id,text,at,customer,nps\n")
	for i := range feedbackItems {
		fmt.Fprintf(&b, "f%d,\"%s\",2026-03-%02dT%02d:00:00Z,c-%d,%d\n", i, fmt.Sprintf(texts[i%len(texts)], 2+i%37), 1+i%28, i%24, i%40, i%11)
	}
	writeFile(t, dir, "feedback.csv", b.String())
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

// feedbackItems is how many feedback items fillStore imports.
const feedbackItems = 700

// testStoreCopy copies a filled store to another and back (each DSN is a
// SQLite path or a PostgreSQL URL), and checks that the gap report and
// the counts agree, and that copying again changes nothing. The reports
// compared are the first made on each copy: a copy must not need one to
// settle.
func testStoreCopy(t *testing.T, from, to, back string) {
	dir := newWorkspace(t, storesAgreeWorkspace)
	fillStore(t, dir, from)
	report := func(db string) string {
		var all string
		for _, args := range [][]string{{"gap"}, {"voice"}} {
			out, errs, code := runSaydo(t, "", append(args, "--workspace", dir, "--db", db, "--format", "json")...)
			if code != 0 {
				t.Fatalf("%s --db %s: exit %d\n%s", args[0], db, code, errs)
			}
			all += out
		}
		return all
	}
	want := report(from)
	if !strings.Contains(want, `"self_trained_on"`) {
		t.Fatalf("the original's voice report was not self-trained, so the copy of what it learned is not tested:\n%s", want)
	}
	if !strings.Contains(want, `"outcome"`) {
		t.Fatalf("the original's gap report has no outcome to compare:\n%s", want)
	}
	for i, pair := range [][2]string{{from, to}, {from, to}, {to, back}} {
		out, errs, code := runSaydo(t, "", "store", "copy", "--from", pair[0], "--to", pair[1])
		if code != 0 || !strings.Contains(out, "The stores agree") {
			t.Fatalf("copy #%d %s -> %s: exit %d\n%s%s", i+1, pair[0], pair[1], code, out, errs)
		}
		for what, want := range map[string]string{"observations call_wait_seconds": "3,000", "feedback": "700", "contacts": "40",
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

// TestStoreCopyDemo: the demo's store (scaled down: customers, outcomes,
// feedback in two languages with a self-trained mapping, contacts),
// copied to another SQLite file and, with a server, to PostgreSQL, gives
// the original's gap, voice and journeys reports from the first report on.
func TestStoreCopyDemo(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	d := t.TempDir()
	ws, src := filepath.Join(d, "demo"), filepath.Join(d, "a.db")
	if _, errs, code := runSaydoAt(t, now, "demo", "--dir", ws, "--scale", "0.05", "--quiet", "--db", src); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errs)
	}
	reports := func(db string) []string {
		var out []string
		for _, args := range [][]string{{"gap"}, {"gap", "--period", "month"}, {"voice"}, {"journeys"}} {
			o, errs, code := runSaydoAt(t, now, append(args, "--workspace", ws, "--db", db, "--format", "json")...)
			if code != 0 {
				t.Fatalf("%s --db %s: exit %d\n%s", strings.Join(args, " "), db, code, errs)
			}
			out = append(out, o)
		}
		return out
	}
	want := reports(src)
	if !strings.Contains(want[0], `"outcome"`) || !strings.Contains(want[2], `"self_trained_on"`) {
		t.Fatalf("the demo's reports have no outcome or no self-trained mapping to compare")
	}
	dsts := []string{filepath.Join(d, "b.db")}
	if os.Getenv(pgtest.Env) != "" {
		dsts = append(dsts, pgtest.FreshDSN(t))
	}
	for _, dst := range dsts {
		if out, errs, code := runSaydoAt(t, now, "store", "copy", "--workspace", ws, "--from", src, "--to", dst); code != 0 {
			t.Fatalf("copy to %s: exit %d\n%s%s", dst, code, out, errs)
		}
		for i, got := range reports(dst) {
			var a, b any
			if err := json.Unmarshal([]byte(got), &a); err != nil {
				t.Fatalf("report %d of the copy is not JSON: %v", i, err)
			}
			if err := json.Unmarshal([]byte(want[i]), &b); err != nil {
				t.Fatalf("report %d of the original is not JSON: %v", i, err)
			}
			if diff := jsonDiff("", a, b); diff != "" {
				t.Errorf("report %d of the copy %s differs from the original's: %s", i, dst, diff)
			}
		}
	}
}

// TestUnknownStoreKind: a URL of a store saydo does not have is a usage
// error that does not echo the URL (it may hold a password); it was
// opened as a SQLite file named after it ("mysql:/x").
func TestUnknownStoreKind(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	cwd := t.TempDir()
	t.Chdir(cwd)
	_, errs, code := runSaydo(t, "", "gap", "--workspace", dir, "--db", "mysql://u:secret@db/x")
	if code != 2 || !strings.Contains(errs, "unknown kind mysql://") || strings.Contains(errs, "secret") {
		t.Errorf("exit %d, stderr %q; want 2 and an unknown kind, without the password", code, errs)
	}
	if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
		t.Errorf("the command created %v in the working folder", entries)
	}
}
