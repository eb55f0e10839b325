package ledger

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/saydo/saydo"
)

// CopyStore is what a store copy reads and writes: every store interface
// saydo has.
type CopyStore interface {
	saydo.Store
	saydo.AccessStore
	saydo.ReviewStore
	saydo.AlertStore
}

// StoreCopy copies one store into another through the store interfaces,
// so it works between any two stores saydo has (saydo store copy).
// Batches are committed as they go and everything is keyed, so running
// the same copy again after an interruption copies only what is missing.
type StoreCopy struct {
	src, dst CopyStore
	// Progress, when set, is called after each kind of thing is copied.
	Progress func(what string, n int64, elapsed time.Duration)
	// Notes says what was left out and why, once Run returns.
	Notes []string
}

// NewStoreCopy prepares a copy of src into dst.
func NewStoreCopy(src, dst CopyStore) *StoreCopy { return &StoreCopy{src: src, dst: dst} }

const copyBatch = 50_000

// Run copies everything, kind by kind.
func (c *StoreCopy) Run(ctx context.Context) error {
	steps := []struct {
		what string
		fn   func(context.Context) (int64, error)
	}{
		{"observations", c.observations},
		{"feedback", c.feedback},
		{"contacts", c.contacts},
		{"message versions", c.messages},
		{"review events", c.reviews},
		{"users", c.users},
		{"audit entries", c.audit},
		{"alert states", c.alertStates},
		{"alert deliveries", c.deliveries},
	}
	for _, s := range steps {
		start := time.Now()
		n, err := s.fn(ctx)
		if err != nil {
			return fmt.Errorf("copy %s: %w", s.what, err)
		}
		if c.Progress != nil {
			c.Progress(s.what, n, time.Since(start))
		}
	}
	return nil
}

func (c *StoreCopy) observations(ctx context.Context) (int64, error) {
	metrics, err := c.src.Metrics(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	// Metrics whose observations name customers: reports look for their
	// outcome only where imports marked them (markLinked), so the copy
	// marks them too.
	linked := map[string]bool{}
	batch := make([]saydo.Observation, 0, copyBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := inTx(func() (saydo.ObservationTx, error) { return c.dst.BeginObservations(ctx) },
			func(tx saydo.ObservationTx) (int, error) { return tx.Insert(batch) })
		if err != nil {
			return err
		}
		total += int64(n)
		clear(batch)
		batch = batch[:0]
		return nil
	}
	for _, m := range metrics {
		// The source is read in windows of time, so no read transaction
		// stays open while the destination writes (SQLite's one writer
		// would wait for itself when both are the same file).
		first, last, _, err := c.src.ObservationSpan(ctx, m)
		if err != nil {
			return total, err
		}
		if first.IsZero() {
			continue
		}
		for from := first; !from.After(last); {
			to := from.AddDate(0, 0, 7)
			err := c.src.ScanObservations(ctx, m, from, to, func(o *saydo.Observation) error {
				cp := *o
				cp.Attrs = slices.Clone(o.Attrs)
				batch = append(batch, cp)
				if o.Customer != "" {
					linked[m] = true
				}
				return nil
			})
			if err != nil {
				return total, err
			}
			if len(batch) >= copyBatch {
				if err := flush(); err != nil {
					return total, err
				}
			}
			from = to
		}
	}
	if err := flush(); err != nil {
		return total, err
	}
	return total, markLinked(ctx, c.dst, linked)
}

func (c *StoreCopy) feedback(ctx context.Context) (int64, error) {
	n, err := c.src.CountFeedback(ctx)
	if err != nil {
		return 0, err
	}
	total, err := copyWeekly("feedback", n,
		func(from, to time.Time, fn func(*saydo.Feedback) error) error {
			return c.src.ScanFeedback(ctx, from, to, fn)
		},
		func(f *saydo.Feedback) time.Time { return f.At },
		func(f *saydo.Feedback) saydo.Feedback {
			cp := *f
			cp.Attrs = slices.Clone(f.Attrs)
			cp.Analysis.Effort = slices.Clone(f.Analysis.Effort)
			cp.Analysis.Promises = slices.Clone(f.Analysis.Promises)
			return cp
		},
		func(batch []saydo.Feedback) (int, error) {
			return inTx(func() (saydo.FeedbackTx, error) { return c.dst.BeginFeedback(ctx) },
				func(tx saydo.FeedbackTx) (int, error) { n, _, err := tx.Insert(batch); return n, err })
		})
	if err != nil {
		return total, err
	}
	return total, c.voiceState(ctx)
}

// voiceState copies what the voice reports are kept with, as the source
// has it: the per-day summaries of every promise with the fingerprint
// they were made under, the learned mapping and the analysis base (both
// in the report cache, keyed by what they were made from). The copied
// analyses, summaries and mapping then agree as they did in the source,
// and the destination's first report neither learns nor analyses again;
// its voice reports are the source's. (Analysing again on the
// destination, as an earlier copy did, learned from summaries not yet
// rebuilt and gave a first report that the next one contradicted.) The
// days the inserts marked dirty are summarised again by the next
// refresh, from the same analyses: the same summaries.
func (c *StoreCopy) voiceState(ctx context.Context) error {
	fps, err := c.src.VoiceFingerprints(ctx)
	if err != nil {
		return err
	}
	ids := slices.Sorted(maps.Keys(fps))
	for _, id := range ids {
		fp, days, err := c.src.VoiceDays(ctx, id, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if err := c.dst.PutVoiceDays(ctx, id, fp, days, true); err != nil {
			return fmt.Errorf("voice summaries of %q: %w", id, err)
		}
	}
	for _, name := range []string{voiceBaseName, voiceModelName} {
		v, body, err := c.src.CachedReport(ctx, name)
		if err != nil {
			return err
		}
		if v == "" {
			continue // never made in the source
		}
		if err := c.dst.PutCachedReport(ctx, name, v, append([]byte{}, body...)); err != nil {
			return err
		}
	}
	return nil
}

func (c *StoreCopy) contacts(ctx context.Context) (int64, error) {
	n, err := c.src.CountContacts(ctx)
	if err != nil {
		return 0, err
	}
	return copyWeekly("contacts", n,
		func(from, to time.Time, fn func(*saydo.Contact) error) error {
			return c.src.ScanContacts(ctx, from, to, fn)
		},
		func(ct *saydo.Contact) time.Time { return ct.At },
		func(ct *saydo.Contact) saydo.Contact { return *ct },
		func(batch []saydo.Contact) (int, error) {
			return inTx(func() (saydo.ContactTx, error) { return c.dst.BeginContacts(ctx) },
				func(tx saydo.ContactTx) (int, error) { return tx.Insert(batch) })
		})
}

// copyWeekly copies the n items scan reads (in time order; zero times are
// unbounded) a week at a time from the day of the first, so no read stays
// open while the destination writes: each item, cloned (the scan's is
// only valid during the call), joins the batch, and insert commits the
// batch whenever it holds copyBatch items, and at the end. It returns how
// many items insert stored.
func copyWeekly[T any](what string, n int64, scan func(from, to time.Time, fn func(*T) error) error,
	at func(*T) time.Time, clone func(*T) T, insert func([]T) (int, error)) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	var start time.Time
	if err := scan(time.Time{}, time.Time{}, func(x *T) error {
		start = at(x)
		return errStopScan
	}); err != nil && !errors.Is(err, errStopScan) {
		return 0, err
	}
	if start.IsZero() {
		return 0, nil
	}
	var total, seen int64
	batch := make([]T, 0, copyBatch)
	flush := func() error {
		k, err := insert(batch)
		if err != nil {
			return err
		}
		total += int64(k)
		clear(batch)
		batch = batch[:0]
		return nil
	}
	for from := saydo.DayOf(start); seen < n; from = from.AddDate(0, 0, 7) {
		err := scan(from, from.AddDate(0, 0, 7), func(x *T) error {
			batch = append(batch, clone(x))
			seen++
			return nil
		})
		if err != nil {
			return total, err
		}
		if len(batch) >= copyBatch {
			if err := flush(); err != nil {
				return total, err
			}
		}
		if from.Year() > 9999 {
			return total, fmt.Errorf("%s: %d of %d read before year 9999", what, seen, n)
		}
	}
	if len(batch) == 0 {
		return total, nil
	}
	return total, flush()
}

// inTx runs insert in a destination transaction begun by begin and
// commits it; on an error the transaction is rolled back.
func inTx[T interface {
	Commit() error
	Rollback() error
}](begin func() (T, error), insert func(T) (int, error)) (int, error) {
	tx, err := begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := insert(tx)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// errStopScan ends a scan early.
var errStopScan = errors.New("stop")

func (c *StoreCopy) alertStates(ctx context.Context) (int64, error) {
	states, err := c.src.AlertStates(ctx)
	if err != nil {
		return 0, err
	}
	for _, a := range states {
		if err := c.dst.PutAlertState(ctx, a); err != nil {
			return 0, err
		}
	}
	return int64(len(states)), nil
}

// deliveries copies the delivery log, unless the destination has one
// (an earlier copy).
func (c *StoreCopy) deliveries(ctx context.Context) (int64, error) {
	if have, err := c.dst.Deliveries(ctx, 1); err != nil || len(have) > 0 {
		if len(have) > 0 {
			c.Notes = append(c.Notes, "alert deliveries: the destination already had some; none copied.")
		}
		return 0, err
	}
	ds, err := c.src.Deliveries(ctx, math.MaxInt32)
	if err != nil {
		return 0, err
	}
	slices.Reverse(ds) // oldest first, so the log keeps its order
	for _, d := range ds {
		if err := c.dst.LogDelivery(ctx, d); err != nil {
			return 0, err
		}
	}
	return int64(len(ds)), nil
}

func (c *StoreCopy) messages(ctx context.Context) (int64, error) {
	latest, err := c.src.Messages(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, m := range latest {
		versions, err := c.src.MessageVersions(ctx, m.ID)
		if err != nil {
			return total, err
		}
		have, err := c.dst.MessageVersions(ctx, m.ID)
		if err != nil && !errors.Is(err, saydo.ErrNotFound) {
			return total, err
		}
		if len(have) > len(versions) || !slices.EqualFunc(have, versions[:len(have)], func(a, b saydo.Message) bool {
			return a.Version == b.Version && a.SameContent(&b)
		}) {
			return total, fmt.Errorf("message %s: the destination has other versions of it", m.ID)
		}
		for _, v := range versions[len(have):] {
			got, changed, err := c.dst.PutMessage(ctx, v)
			if err != nil {
				return total, err
			}
			if got != v.Version || !changed {
				return total, fmt.Errorf("message %s: version %d became version %d in the destination", v.ID, v.Version, got)
			}
			total++
		}
	}
	return total, nil
}

// reviewActs are the audit actions that replaying review history writes
// again by itself.
var reviewActs = []string{"new_version", string(saydo.ActionSubmit), string(saydo.ActionApprove), string(saydo.ActionRequestChanges)}

// reviews replays each message's review history: its versions' creations
// and every decision, with their original reviewers, comments and times.
// Messages whose history the destination already has are skipped.
func (c *StoreCopy) reviews(ctx context.Context) (int64, error) {
	cur, err := c.src.CurrentReviews(ctx)
	if err != nil {
		return 0, err
	}
	ids := make([]string, 0, len(cur))
	for id := range cur {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// The audit detail of each decision (an approval that overrode lint
	// errors says so there, not in the comment).
	entries, err := auditEntries(ctx, c.src)
	if err != nil {
		return 0, err
	}
	type act struct {
		actor, action, target string
		at                    int64
	}
	details := map[act]string{}
	for _, e := range entries {
		details[act{e.Actor, e.Action, e.Target, e.At.UnixMicro()}] = e.Detail
	}
	var total int64
	for _, id := range ids {
		hist, err := c.src.ReviewHistory(ctx, id)
		if err != nil {
			return total, err
		}
		done, err := c.dst.ReviewHistory(ctx, id)
		if err != nil && !errors.Is(err, saydo.ErrNotFound) {
			return total, err
		}
		if len(done) > len(hist) || !slices.EqualFunc(done, hist[:len(done)], sameReview) {
			return total, fmt.Errorf("message %s: the destination has another review history", id)
		}
		state := saydo.ReviewState("")
		for i, r := range hist {
			if i < len(done) {
				state = r.State
				continue
			}
			if r.Reviewer == "" {
				if _, _, err := c.dst.SyncVersion(ctx, id, r.Version, r.State, r.At); err != nil {
					return total, err
				}
			} else {
				action, err := actionBetween(state, r.State)
				if err != nil {
					return total, fmt.Errorf("message %s version %d: %w", id, r.Version, err)
				}
				detail := details[act{r.Reviewer, string(action), id + "@" + strconv.Itoa(r.Version), r.At.UnixMicro()}]
				if _, err := c.dst.Decide(ctx, id, r.Version, action, r.Reviewer, r.Comment, detail, r.At); err != nil {
					return total, err
				}
			}
			state = r.State
			total++
		}
	}
	return total, nil
}

func sameReview(a, b saydo.Review) bool {
	return a.Version == b.Version && a.State == b.State && a.Reviewer == b.Reviewer && a.Comment == b.Comment
}

// actionBetween returns the review action that moves a version from one
// state to the next.
func actionBetween(from, to saydo.ReviewState) (saydo.ReviewAction, error) {
	for _, a := range []saydo.ReviewAction{saydo.ActionSubmit, saydo.ActionApprove, saydo.ActionRequestChanges} {
		if next, err := from.Next(a); err == nil && next == to {
			return a, nil
		}
	}
	return "", fmt.Errorf("no review action moves %s to %s", from, to)
}

func (c *StoreCopy) users(ctx context.Context) (int64, error) {
	users, err := c.src.Users(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, u := range users {
		_, hash, err := c.src.UserByName(ctx, u.Name)
		if err != nil {
			return total, err
		}
		if _, err := c.dst.CreateUser(ctx, u.Name, u.Role, hash); errors.Is(err, saydo.ErrExists) {
			continue
		} else if err != nil {
			return total, err
		}
		total++
	}
	if toks, err := c.src.Tokens(ctx); err == nil && len(toks) > 0 {
		noun := "tokens"
		if len(toks) == 1 {
			noun = "token"
		}
		c.Notes = append(c.Notes, fmt.Sprintf("%d API %s not copied (only hashes are stored): create new ones with 'saydo token create'.", len(toks), noun))
	}
	return total, nil
}

// auditEntries returns every audit entry of st, oldest first.
func auditEntries(ctx context.Context, st saydo.ReviewStore) ([]saydo.AuditEntry, error) {
	var all []saydo.AuditEntry
	before := int64(0)
	for {
		page, err := st.Audit(ctx, before, 1000)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < 1000 {
			break
		}
		before = page[len(page)-1].ID
	}
	slices.Reverse(all)
	return all, nil
}

// audit copies the entries that replaying reviews did not write again,
// unless the destination already has such entries (an earlier copy).
func (c *StoreCopy) audit(ctx context.Context) (int64, error) {
	src, err := auditEntries(ctx, c.src)
	if err != nil {
		return 0, err
	}
	dst, err := auditEntries(ctx, c.dst)
	if err != nil {
		return 0, err
	}
	if slices.ContainsFunc(dst, func(e saydo.AuditEntry) bool { return !slices.Contains(reviewActs, e.Action) }) {
		c.Notes = append(c.Notes, "audit entries: the destination already had some besides reviews; none copied.")
		return 0, nil
	}
	var total int64
	for _, e := range src {
		if slices.Contains(reviewActs, e.Action) {
			continue
		}
		e.ID = 0
		if err := c.dst.AppendAudit(ctx, e); err != nil {
			return total, err
		}
		total++
	}
	return total, nil
}

// StoreCount is how many of one kind of thing each store holds.
type StoreCount struct {
	What     string
	From, To int64
}

// Verify counts what both stores hold.
func (c *StoreCopy) Verify(ctx context.Context) ([]StoreCount, error) {
	var out []StoreCount
	count := func(what string, fn func(CopyStore) (int64, error)) error {
		a, err := fn(c.src)
		if err != nil {
			return fmt.Errorf("count %s: %w", what, err)
		}
		b, err := fn(c.dst)
		if err != nil {
			return fmt.Errorf("count %s: %w", what, err)
		}
		out = append(out, StoreCount{what, a, b})
		return nil
	}
	metrics, err := c.src.Metrics(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range metrics {
		if err := count("observations "+m, func(st CopyStore) (int64, error) {
			_, _, n, err := st.ObservationSpan(ctx, m)
			return n, err
		}); err != nil {
			return nil, err
		}
	}
	steps := []struct {
		what string
		fn   func(CopyStore) (int64, error)
	}{
		{"feedback", func(st CopyStore) (int64, error) { return st.CountFeedback(ctx) }},
		{"contacts", func(st CopyStore) (int64, error) { return st.CountContacts(ctx) }},
		{"message versions", func(st CopyStore) (int64, error) {
			ms, err := st.Messages(ctx)
			var n int64
			for _, m := range ms {
				n += int64(m.Version)
			}
			return n, err
		}},
		{"review events", func(st CopyStore) (int64, error) {
			cur, err := st.CurrentReviews(ctx)
			if err != nil {
				return 0, err
			}
			var n int64
			for id := range cur {
				h, err := st.ReviewHistory(ctx, id)
				if err != nil {
					return 0, err
				}
				n += int64(len(h))
			}
			return n, nil
		}},
		{"users", func(st CopyStore) (int64, error) {
			us, err := st.Users(ctx)
			return int64(len(us)), err
		}},
		{"audit entries", func(st CopyStore) (int64, error) {
			es, err := auditEntries(ctx, st)
			return int64(len(es)), err
		}},
		{"alert states", func(st CopyStore) (int64, error) {
			as, err := st.AlertStates(ctx)
			return int64(len(as)), err
		}},
		{"alert deliveries", func(st CopyStore) (int64, error) {
			ds, err := st.Deliveries(ctx, math.MaxInt32)
			return int64(len(ds)), err
		}},
	}
	for _, s := range steps {
		if err := count(s.what, s.fn); err != nil {
			return nil, err
		}
	}
	return out, nil
}
