// Package ledger runs the promise ledger's workflows over a store: importing
// evidence with every row accounted for, keeping per-day summaries fresh, and
// assembling gap reports. It holds no state of its own; the store is the
// truth and summaries are a cache it can always rebuild.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// IngestOptions control an import.
type IngestOptions struct {
	// Map renames fields: Map["value"] = "q_time" reads the value from the
	// column q_time.
	Map map[string]string
	// Set gives a field a constant value for every row: Set["metric"] =
	// "call_wait_seconds" for files that hold one metric.
	Set map[string]string
	// Attrs, when set, names the only columns kept as attributes; the
	// others are ignored. Empty keeps every column that is not a field.
	Attrs []string
	// TimeLayout is a Go time layout for the at column; empty detects the
	// common export layouts.
	TimeLayout string
	// Strict makes the import all-or-nothing: any rejected row and nothing
	// is stored.
	Strict bool
	// BatchSize is how many rows each transaction commits (default 50,000:
	// larger batches merge day summaries less often; a killed import loses
	// at most one batch, which a re-run adds).
	BatchSize int
	// Rejects receives every rejected row; may be nil.
	Rejects RejectWriter
	// Sequential parses and stores on one goroutine instead of two, leaving
	// the other core to concurrent readers (the server's imports).
	Sequential bool
	// Progress, when set, is called now and then with the rows read so far.
	Progress func(rowsRead int64)
	// TempDir is where an import of observations out of time order keeps
	// its sorted runs (see order.go); "" is the system's temporary folder.
	TempDir string
	// Now is the import's clock, against which times more than a day in
	// the future are rejected; zero means time.Now().
	Now time.Time
}

// RejectWriter records rejected rows with their line and reason.
type RejectWriter interface {
	Reject(row *saydo.Row, reason string) error
}

// IngestResult accounts for every row read: Read = Accepted + Rejected +
// Duplicates + Replaced + NotStored.
type IngestResult struct {
	Read       int64
	Accepted   int64
	Rejected   int64
	Duplicates int64
	// Replaced counts rows whose id was stored with other content, which
	// they replaced.
	Replaced int64
	// Committed is false when a strict import was rolled back.
	Committed bool
	// NotStored counts the rows a strict import rolled back read and did
	// not reject: none of them is stored.
	NotStored int64
	// FirstRejects holds the first few rejections, for the summary.
	FirstRejects []Rejection
	Elapsed      time.Duration
}

// Rejection is one rejected row.
type Rejection struct {
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

const maxFirstRejects = 10

func (r *IngestResult) reject(line int64, reason string) {
	r.Rejected++
	if len(r.FirstRejects) < maxFirstRejects {
		r.FirstRejects = append(r.FirstRejects, Rejection{line, reason})
	}
}

// fields are the columns an observation row may have besides attributes.
var observationFields = []string{"metric", "value", "at", "id", "customer", "n", "met", "missed", "mean", "sd"}

// columns resolves, for one header, which column holds each field.
type columns struct {
	names  []string
	field  map[string]int // field -> column index
	attrs  []int          // attribute columns, sorted by name
	header string         // joined names, to detect a changed header (JSONL)
	// templates hold --set values that name columns: at={year}-{month}-{day}.
	templates map[string][]templatePart
	buf       []byte
	scratch   saydo.Attrs
	interned  map[uint64]saydo.Attrs // by hash of names and values
	pooled    int8                   // 0 unknown, 1 no n field, 2 rows may carry n
	first     *string                // the reader's header slice, for a fixed header
}

// templatePart is a literal or, when col >= 0, the value of a column.
type templatePart struct {
	lit string
	col int
}

// parseTemplate splits "{year}-{month}" into parts; a value without
// braces is not a template.
func parseTemplate(s string, index map[string]int) ([]templatePart, bool, error) {
	if !strings.Contains(s, "{") {
		return nil, false, nil
	}
	var parts []templatePart
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			parts = append(parts, templatePart{lit: s, col: -1})
			break
		}
		if i > 0 {
			parts = append(parts, templatePart{lit: s[:i], col: -1})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, true, fmt.Errorf("unclosed { in %q", s)
		}
		name := s[i+1 : i+j]
		col, ok := index[name]
		if !ok {
			return nil, true, fmt.Errorf("{%s}: no such column", name)
		}
		parts = append(parts, templatePart{col: col})
		s = s[i+j+1:]
	}
	return parts, true, nil
}

// resolveColumns finds each field's column in a header. With checkMap, a
// --map naming a column the header lacks is an error (a CSV header, or the
// first row of JSON Lines, whose later rows may leave out keys).
func resolveColumns(names []string, fields []string, m, set map[string]string, keep []string, checkMap bool) (*columns, error) {
	// A copy: JSON Lines readers reuse their slice for the next row.
	c := &columns{names: append([]string(nil), names...), field: map[string]int{}, header: strings.Join(names, "\x00")}
	if len(names) > 0 {
		c.first = &names[0]
	}
	index := map[string]int{}
	for i, n := range names {
		index[n] = i
	}
	// A field's column may be spelt in another case or with spaces
	// ("Text", " at"): found so when no column has its exact name.
	lookup := func(name string) (int, bool) {
		if i, ok := index[name]; ok {
			return i, true
		}
		for i, n := range names {
			if strings.EqualFold(strings.TrimSpace(n), name) {
				return i, true
			}
		}
		return 0, false
	}
	used := map[int]bool{}
	for _, f := range slices.Sorted(maps.Keys(set)) {
		if !contains(fields, f) {
			// It was dropped without a word: --set region=north stored
			// no region.
			return nil, fmt.Errorf("--set %s: %q is not a field (fields: %s); attributes come from the file's columns", f, f, strings.Join(fields, ", "))
		}
	}
	for f, v := range set {
		parts, ok, err := parseTemplate(v, index)
		if err != nil {
			return nil, fmt.Errorf("--set %s=%s: %v", f, v, err)
		}
		if ok {
			if c.templates == nil {
				c.templates = map[string][]templatePart{}
			}
			c.templates[f] = parts
			for _, p := range parts {
				if p.col >= 0 {
					used[p.col] = true
				}
			}
		}
	}
	for _, f := range fields {
		src := f
		if s, ok := m[f]; ok {
			src = s
		}
		if i, ok := lookup(src); ok {
			c.field[f] = i
			used[i] = true
		}
	}
	for _, f := range slices.Sorted(maps.Keys(m)) {
		src := m[f]
		if !contains(fields, f) {
			return nil, fmt.Errorf("--map %s=%s: %q is not a field (fields: %s)", f, src, f, strings.Join(fields, ", "))
		}
		if _, ok := lookup(src); !ok && checkMap {
			return nil, fmt.Errorf("--map %s=%s: no column %q (the columns are: %s)", f, src, src, strings.Join(names, ", "))
		}
	}
	for i, n := range names {
		if !used[i] && n != "" && (len(keep) == 0 || contains(keep, n)) {
			c.attrs = append(c.attrs, i)
		}
	}
	sort.Slice(c.attrs, func(a, b int) bool { return names[c.attrs[a]] < names[c.attrs[b]] })
	return c, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// time reads and parses a row's at; missing is the reason when it has none.
func (c *columns) time(row *saydo.Row, opts *IngestOptions, missing string) (time.Time, string) {
	as, ok := c.value(row, opts.Set, "at")
	if !ok {
		return time.Time{}, missing
	}
	at, err := saydo.ParseTime(as, opts.TimeLayout)
	if err != nil {
		return time.Time{}, "at: " + err.Error()
	}
	return at, ""
}

// notFuture is the reason to reject evidence dated after the import's now.
func (opts *IngestOptions) notFuture(at time.Time) string {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := saydo.CheckTime(at, now); err != nil {
		return "at: " + err.Error()
	}
	return ""
}

// value returns a field's text for a row: the column's value, or the
// constant from Set.
func (c *columns) value(row *saydo.Row, set map[string]string, field string) (string, bool) {
	if i, ok := c.field[field]; ok && i < len(row.Values) {
		if v := strings.TrimSpace(row.Values[i]); v != "" {
			return v, true
		}
	}
	if parts, ok := c.templates[field]; ok {
		c.buf = c.buf[:0]
		for _, p := range parts {
			if p.col < 0 {
				c.buf = append(c.buf, p.lit...)
				continue
			}
			if p.col >= len(row.Values) {
				return "", false
			}
			v := strings.TrimSpace(row.Values[p.col])
			if v == "" {
				return "", false
			}
			c.buf = append(c.buf, v...)
		}
		return string(c.buf), true
	}
	if v, ok := set[field]; ok {
		return v, true
	}
	return "", false
}

// checkRequired reports missing required columns once, before any row is
// read, so a file with a wrong header fails with one clear message.
func (c *columns) checkRequired(required []string, set map[string]string, m map[string]string) error {
	var missing []string
	for _, f := range required {
		if _, ok := c.field[f]; ok {
			continue
		}
		if _, ok := c.field["n"]; ok && f == "value" {
			continue // pre-aggregated rows: n with met, missed or mean
		}
		if _, ok := set[f]; ok {
			continue
		}
		name := f
		if s, ok := m[f]; ok {
			name = fmt.Sprintf("%s (mapped from %q)", f, s)
		}
		missing = append(missing, name)
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing column %s; the header has: %s (rename with --map FIELD=COLUMN, or give a constant with --set FIELD=VALUE)",
			strings.Join(missing, ", "), strings.Join(c.names, ", "))
	}
	return nil
}

// IngestObservations reads observations from rr and stores the valid ones,
// committing every BatchSize rows so a killed import loses at most the batch
// in flight and re-running it completes it without duplicates. Rows for a
// metric no promise measures are rejected: they would be evidence of
// nothing. The summaries of promises whose stored summaries are current are
// updated in the same transactions; call Refresh afterwards for the rest
// (new promises on old evidence, changed definitions, days of rows whose
// newness was uncertain).
func IngestObservations(ctx context.Context, st saydo.Store, ws *saydo.Workspace, rr saydo.RowReader, opts IngestOptions) (_ *IngestResult, err error) {
	metrics := map[string]bool{}
	for _, m := range ws.Metrics() {
		metrics[m] = true
	}
	if ws.Impact != nil && ws.Impact.ChurnMetric != "" {
		metrics[ws.Impact.ChurnMetric] = true // evidence of customers leaving
	}
	merge, segs, err := mergeablePromises(ctx, st, ws)
	if err != nil {
		return &IngestResult{Committed: true}, err
	}
	// Attributes found to have too many values for per-segment summaries
	// are marked, and their segments dropped, once the import is over.
	defer func() {
		for id, seg := range segs {
			if e := seg.settle(context.WithoutCancel(ctx), st, id); e != nil && err == nil {
				err = fmt.Errorf("store: %w", e)
			}
		}
	}()
	sum := &summariser{merge: merge, segs: segs, segsOf: map[string][]*segments{}}
	for metric, ps := range merge {
		for _, p := range ps {
			sum.segsOf[metric] = append(sum.segsOf[metric], segs[p.ID])
		}
	}
	linked := map[string]bool{} // metrics with rows that name a customer
	customers, err := newImportedCustomers(ctx, st, ws)
	if err != nil {
		return &IngestResult{Committed: true}, err
	}
	byMetric := map[string][]*saydo.Promise{}
	for i := range ws.Promises {
		p := &ws.Promises[i]
		byMetric[p.Metric] = append(byMetric[p.Metric], p)
	}
	keys := newRowKeyer()
	res, err := ingest(ctx, rr, opts, rowKind[saydo.Observation]{
		fields:   observationFields,
		required: []string{"metric", "value", "at"},
		parse: func(row *saydo.Row, c *columns, opts *IngestOptions, o *saydo.Observation) string {
			if reason := parseObservation(row, c, opts, metrics, o); reason != "" {
				return reason
			}
			if o.SourceID != "" {
				o.Key = saydo.ObservationKey(o, 0)
			} else {
				o.Key = saydo.ObservationContent(o) // the occurrence is counted by keys.key
			}
			if o.Customer != "" {
				linked[o.Metric] = true
				customers.add(o, byMetric[o.Metric])
			}
			return ""
		},
		begin: func(ctx context.Context) (rowTx[saydo.Observation], error) {
			tx, err := st.BeginObservations(ctx)
			if err != nil {
				return nil, err
			}
			if len(merge) == 0 {
				return tx, nil
			}
			return &summarisingTx{ObservationTx: tx, s: sum}, nil
		},
		order: func(dir string) orderer[saydo.Observation] { return newObservationOrder(dir) },
		key:   keys.key,
	})
	if err == nil && res.Committed {
		err = markLinked(ctx, st, linked)
	}
	if err == nil && res.Committed {
		err = customers.merge(ctx, st, ws, res.Replaced > 0)
	}
	return res, err
}

// rowKind is one kind of row the importer reads: observations, contacts,
// feedback.
// Everything else (streaming, batches, rejects, strict, progress, the
// accounting) is the same for every kind.
type rowKind[T any] struct {
	// fields are the columns a row may have besides attributes.
	fields []string
	// required are checked once against a CSV header, so a file without
	// one fails with one clear message instead of rejecting every row.
	required []string
	// parse validates one row into out, setting its key; it returns the
	// reason when the row must be rejected.
	parse func(row *saydo.Row, c *columns, opts *IngestOptions, out *T) string
	// begin starts a store transaction for a batch.
	begin func(ctx context.Context) (rowTx[T], error)
	// prepare, when set, completes a batch of parsed rows on every core
	// before it is stored, while the writer stores the batch before
	// (feedback: the analysis). Rows an orderer takes are its to prepare.
	prepare func(batch []T)
	// order, when set, returns an orderer that sorts the rows of an
	// out-of-order input before they are stored (observations).
	order func(tempDir string) orderer[T]
	// key, when set, completes the keys of a batch as it goes to the
	// store, in the order rows are stored; sorted says the batch comes
	// from the orderer (observations: rowKeyer).
	key func(batch []T, sorted bool)
}

// A holder is an orderer that holds rows up to a bound (feedbackHold):
// once full, the importer stores what it holds at once and the rest of
// the input as it comes.
type holder interface{ full() bool }

// rowTx is a store transaction of one kind of row: ObservationTx and
// ContactTx are; feedbackTx adapts a FeedbackTx. A transaction with a
// Replaced method counts the stored rows it replaced.
type rowTx[T any] interface {
	// Insert stores a batch, skipping rows already stored, and returns how
	// many were new.
	Insert(batch []T) (int, error)
	Commit() error
	Rollback() error
}

// checkTimeLayout refuses, before any row, a time layout that holds no
// element of Go's reference time ("garbage"): it would reject every row,
// each with the same reason.
func checkTimeLayout(l string) error {
	if l == "" {
		return nil
	}
	a, b := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC), time.Date(2009, 11, 10, 23, 0, 0, 0, time.UTC)
	if a.Format(l) == b.Format(l) {
		return fmt.Errorf("--time-layout %q names no part of a date or time: write the reference time 2006-01-02 15:04:05 as your file writes it, e.g. \"02/01/2006 15:04\"", l)
	}
	return nil
}

// ingest reads rr a row at a time and stores the rows of kind k in
// batches, accounting for every row.
func ingest[T any](ctx context.Context, rr saydo.RowReader, opts IngestOptions, k rowKind[T]) (*IngestResult, error) {
	start := time.Now()
	if opts.BatchSize <= 0 {
		opts.BatchSize = 50000
	}
	res := &IngestResult{Committed: true}
	if err := checkTimeLayout(opts.TimeLayout); err != nil {
		return res, err
	}
	w := &batchWriter[T]{begin: k.begin, strict: opts.Strict, failed: make(chan struct{})}
	// send hands a full batch to the writer and returns an empty one to
	// fill, or false when the writer failed; finish waits for the writer.
	var (
		send   func([]T) ([]T, bool)
		finish func() error
		batch  []T
	)
	if opts.Sequential {
		var werr error
		batch = make([]T, 0, opts.BatchSize)
		send = func(b []T) ([]T, bool) {
			if werr = w.write(ctx, b); werr != nil {
				return nil, false
			}
			return b[:0], true
		}
		finish = func() error { return werr }
	} else {
		// Parse on this goroutine while the writer stores the previous
		// batch: three buffers circulate between them.
		batches := make(chan []T, 2)
		free := make(chan []T, 3)
		for range 3 {
			free <- make([]T, 0, opts.BatchSize)
		}
		writeErr := make(chan error, 1)
		go func() { writeErr <- w.run(ctx, batches, free) }()
		batch = <-free
		send = func(b []T) ([]T, bool) {
			batches <- b
			select {
			case next := <-free:
				return next[:0], true
			case <-w.failed:
				return nil, false
			}
		}
		finish = func() error {
			close(batches)
			return <-writeErr
		}
	}
	_, fixedHeader := rr.(interface{ Header() []string })

	// Once the input turns out to be out of order, batches go to the
	// orderer instead of the writer, and are stored after the input ends.
	var (
		ord      orderer[T]
		spilling bool
		spillErr error
	)
	if k.order != nil {
		ord = k.order(opts.TempDir)
		defer ord.close()
	}
	flush := func(b []T) ([]T, bool) {
		if ord != nil && !spilling && ord.disordered(b) {
			spilling = true
		}
		if !spilling {
			if k.key != nil {
				k.key(b, false)
			}
			if k.prepare != nil {
				k.prepare(b)
			}
			return send(b)
		}
		if spillErr = ord.add(b); spillErr != nil {
			return nil, false
		}
		clear(b)
		if h, ok := ord.(holder); ok && h.full() {
			// What it holds is stored now, and the rest as it comes.
			spilling = false
			next := b[:0]
			spillErr = ord.merge(ctx, opts.BatchSize, b[:0], func(x []T) ([]T, error) {
				if k.key != nil {
					k.key(x, true)
				}
				n, ok := send(x)
				if !ok {
					return nil, errWriterFailed
				}
				next = n
				return n, nil
			})
			if spillErr != nil {
				if errors.Is(spillErr, errWriterFailed) {
					spillErr = nil // the writer's error is reported below
				}
				return nil, false
			}
			return next[:0], true
		}
		return b[:0], true
	}

	readErr := func() error {
		var cols *columns
		for {
			if res.Read%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			row, err := rr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			res.Read++
			if opts.Progress != nil && res.Read%65536 == 0 {
				opts.Progress(res.Read)
			}
			if row.Err != nil {
				reason := RowReason(&row)
				res.reject(row.Line, reason)
				if err := writeReject(opts.Rejects, &row, reason); err != nil {
					return err
				}
				continue
			}
			if cols == nil || !sameHeader(cols, row.Names, fixedHeader) {
				c, err := resolveColumns(row.Names, k.fields, opts.Map, opts.Set, opts.Attrs, fixedHeader || cols == nil)
				if err != nil {
					return err
				}
				if fixedHeader {
					// A CSV header without a required column dooms every
					// row: say so once instead of rejecting them all.
					if err := c.checkRequired(k.required, opts.Set, opts.Map); err != nil {
						return err
					}
				}
				cols = c
			}
			batch = batch[:len(batch)+1]
			out := &batch[len(batch)-1]
			var zero T
			*out = zero
			if reason := k.parse(&row, cols, &opts, out); reason != "" {
				batch = batch[:len(batch)-1]
				res.reject(row.Line, reason)
				if err := writeReject(opts.Rejects, &row, reason); err != nil {
					return err
				}
				continue
			}
			if len(batch) == opts.BatchSize {
				var ok bool
				if batch, ok = flush(batch); !ok {
					return spillErr // or nil: the writer's error is reported below
				}
			}
		}
		if cols == nil && fixedHeader {
			// A header-only file: the same header with rows is refused, so
			// is this one (issue 13 item 7).
			if names := rr.(interface{ Header() []string }).Header(); len(names) > 0 {
				c, err := resolveColumns(names, k.fields, opts.Map, opts.Set, opts.Attrs, true)
				if err != nil {
					return err
				}
				if err := c.checkRequired(k.required, opts.Set, opts.Map); err != nil {
					return err
				}
			}
		}
		if len(batch) > 0 {
			var ok bool
			if batch, ok = flush(batch); !ok {
				return spillErr
			}
		}
		return nil
	}()
	if readErr == nil && spilling {
		// The sorted rows go through the same writer, merged on this
		// goroutine while it stores the previous batch.
		readErr = ord.merge(ctx, opts.BatchSize, batch[:0], func(b []T) ([]T, error) {
			if k.key != nil {
				k.key(b, true)
			}
			next, ok := send(b)
			if !ok {
				return nil, errWriterFailed
			}
			return next, nil
		})
		if errors.Is(readErr, errWriterFailed) {
			readErr = nil // the writer's error is reported below
		}
	}
	werr := finish()
	if werr != nil || readErr != nil {
		w.rollback()
		res.Accepted = w.committed // what a re-run will find as duplicates
		res.Replaced = w.committedReplaced
		if werr != nil {
			return res, fmt.Errorf("store: %w", werr)
		}
		return res, readErr
	}
	if opts.Strict && res.Rejected > 0 {
		w.rollback()
		res.Committed = false
		res.Accepted, res.Replaced, res.Duplicates = 0, 0, 0
		res.NotStored = res.Read - res.Rejected
	} else if err := w.commit(); err != nil {
		return res, fmt.Errorf("store: %w", err)
	}
	if res.Committed {
		res.Accepted = w.inserted
		res.Replaced = w.committedReplaced
		res.Duplicates = res.Read - res.Rejected - res.Accepted - res.Replaced
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// errWriterFailed stops a merge when the writer failed; the writer's own
// error is the one reported.
var errWriterFailed = errors.New("the writer failed")

// sameHeader reports whether names is the header cols was resolved for.
// CSV rows share one header slice (fixed); JSON Lines rows may differ row
// to row though the reader reuses its slice, so only a fixed header is
// known by its address.
func sameHeader(c *columns, names []string, fixed bool) bool {
	if len(names) != len(c.names) {
		return false
	}
	if fixed && len(names) > 0 && &names[0] == c.first {
		return true
	}
	for i, n := range names {
		if n != c.names[i] {
			return false
		}
	}
	return true
}

func writeReject(w RejectWriter, row *saydo.Row, reason string) error {
	if w == nil {
		return nil
	}
	if err := w.Reject(row, reason); err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	return nil
}

// parsePooled reads a pre-aggregated row: n (a positive integer) with met
// or missed (integers, 0 ≤ · ≤ n), or with mean (and optionally sd).
func parsePooled(row *saydo.Row, c *columns, opts *IngestOptions, ns string, o *saydo.Observation) string {
	ns = wholeNumber(ns)
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil || n <= 0 {
		if f, ferr := strconv.ParseFloat(strings.TrimSpace(ns), 64); ferr == nil && f == float64(int64(f)) && f > 0 {
			n = int64(f) // 1296.0 from a spreadsheet
		} else {
			return fmt.Sprintf("n: want a positive whole number of experiences, got %q", ns)
		}
	}
	count := func(field string) (int64, bool, string) {
		s, ok := c.value(row, opts.Set, field)
		if !ok {
			return 0, false, ""
		}
		v, err := strconv.ParseFloat(wholeNumber(s), 64)
		if err != nil || v != float64(int64(v)) {
			return 0, true, fmt.Sprintf("%s: want a whole number, got %q", field, s)
		}
		if v < 0 || int64(v) > n {
			return 0, true, fmt.Sprintf("%s: %d is outside 0..n (n = %d)", field, int64(v), n)
		}
		return int64(v), true, ""
	}
	met, hasMet, reason := count("met")
	if reason != "" {
		return reason
	}
	missed, hasMissed, reason := count("missed")
	if reason != "" {
		return reason
	}
	o.Count, o.Met, o.Value, o.SD = n, -1, math.NaN(), math.NaN()
	switch {
	case hasMet && hasMissed:
		if met+missed != n {
			return fmt.Sprintf("met %d + missed %d is not n %d: give one of them", met, missed, n)
		}
		o.Met = met
	case hasMet:
		o.Met = met
	case hasMissed:
		o.Met = n - missed
	default:
		ms, ok := c.value(row, opts.Set, "mean")
		if !ok {
			return "n without met, missed or mean: say how many of the n met the threshold (met or missed), or give their mean"
		}
		mean, err := saydo.ParseValue(ms)
		if err == nil {
			err = saydo.CheckValue(mean)
		}
		if err != nil {
			return "mean: " + err.Error()
		}
		o.Value = mean
		if ss, ok := c.value(row, opts.Set, "sd"); ok {
			sd, err := saydo.ParseValue(ss)
			if err == nil {
				err = saydo.CheckValue(sd)
			}
			if err != nil {
				return "sd: " + err.Error()
			}
			if sd < 0 {
				return fmt.Sprintf("sd: %g is negative", sd)
			}
			o.SD = sd
		}
	}
	return ""
}

// thousandsGrouped matches counts as spreadsheets export them: 1,296 or
// 12,345,678.
var thousandsGrouped = regexp.MustCompile(`^\d{1,3}(,\d{3})+$`)

// wholeNumber trims a count and drops its thousands separators.
func wholeNumber(s string) string {
	s = strings.TrimSpace(s)
	if thousandsGrouped.MatchString(s) {
		return strings.ReplaceAll(s, ",", "")
	}
	return s
}

// parseObservation validates one row into o; it returns the reason when the
// row must be rejected.
func parseObservation(row *saydo.Row, c *columns, opts *IngestOptions, metrics map[string]bool, o *saydo.Observation) string {
	metric, ok := c.value(row, opts.Set, "metric")
	if !ok {
		return "missing metric"
	}
	if !metrics[metric] {
		return fmt.Sprintf("unknown metric %q: no promise in saydo.yaml measures it", metric)
	}
	if c.pooled == 0 {
		// Once per header: can rows of this file be pre-aggregated?
		c.pooled = 1
		_, col := c.field["n"]
		_, tmpl := c.templates["n"]
		_, set := opts.Set["n"]
		if col || tmpl || set {
			c.pooled = 2
		}
	}
	ns, pooled := "", false
	if c.pooled == 2 {
		ns, pooled = c.value(row, opts.Set, "n")
	}
	if pooled {
		if vs, ok := c.value(row, opts.Set, "value"); ok {
			// One of them would be dropped without a word.
			return fmt.Sprintf("value %q and n %q: a row is one observation (value) or a pre-aggregated count (n with met, missed or mean); give one", vs, ns)
		}
		if reason := parsePooled(row, c, opts, ns, o); reason != "" {
			return reason
		}
	} else {
		vs, ok := c.value(row, opts.Set, "value")
		if !ok {
			return "missing value (or n with met, missed or mean, for a pre-aggregated row)"
		}
		v, err := saydo.ParseValue(vs)
		if err != nil {
			return "value: " + err.Error()
		}
		if err := saydo.CheckValue(v); err != nil {
			return "value: " + err.Error()
		}
		o.Value = v
	}
	at, reason := c.time(row, opts, "missing at (the time of the observation)")
	if reason == "" {
		reason = opts.notFuture(at)
	}
	if reason != "" {
		return reason
	}
	// The stores keep milliseconds; so do the keys and the sort, so rows
	// equal in what is stored are equal here.
	o.Metric, o.At = metric, at.Truncate(time.Millisecond)
	o.SourceID, _ = c.value(row, opts.Set, "id")
	o.Customer, _ = c.value(row, opts.Set, "customer")
	if reason := saydo.CheckAttr("id", o.SourceID); reason != "" {
		return reason
	}
	if reason := saydo.CheckAttr("customer", o.Customer); reason != "" {
		return reason
	}
	attrs, reason := c.attributes(row)
	if reason != "" {
		return reason
	}
	o.Attrs = attrs
	return ""
}

// attributes returns the row's attributes (the columns that are not
// fields, with a value), sorted by name and interned, or the reason the
// row must be rejected.
func (c *columns) attributes(row *saydo.Row) (saydo.Attrs, string) {
	c.scratch = c.scratch[:0]
	for _, i := range c.attrs {
		if i < len(row.Values) {
			if v := strings.TrimSpace(row.Values[i]); v != "" {
				c.scratch = append(c.scratch, saydo.Attr{Name: c.names[i], Value: v})
			}
		}
	}
	// A set interned before passed the checks below when it was first
	// seen: most rows repeat one of a few sets, and skip them.
	h, got := c.interned1(c.scratch)
	if got != nil {
		return got, ""
	}
	for _, a := range c.scratch {
		if reason := saydo.CheckAttr(a.Name, a.Value); reason != "" {
			return nil, reason
		}
	}
	if len(c.scratch) > saydo.MaxAttrs {
		return nil, fmt.Sprintf("%d attributes, more than the limit of %d (keep the ones you need with --attrs)", len(c.scratch), saydo.MaxAttrs)
	}
	return c.internNew(h, c.scratch), ""
}

// RowReason is the reason to give for a malformed row (Row.Err): readers
// say "line N: ..." and the line is reported beside the reason, so the
// prefix is dropped.
func RowReason(row *saydo.Row) string {
	return strings.TrimPrefix(row.Err.Error(), "line "+strconv.FormatInt(row.Line, 10)+": ")
}

// maxInterned caps how many distinct attribute sets one header interns;
// past it (attributes that differ on every row) each row gets its own.
const maxInterned = 4096

// Attribute sets are interned: rows with the same attributes
// (region=north, channel=app) share one read-only slice, which saves an
// allocation per row and lets the store recognise the set by identity.

// interned1 returns the hash of attrs and the interned set equal to it,
// nil when there is none (or attrs is empty).
func (c *columns) interned1(attrs saydo.Attrs) (uint64, saydo.Attrs) {
	if len(attrs) == 0 {
		return 0, nil
	}
	h := fnvOffset
	for _, a := range attrs {
		h = fnvMix(fnvMix(h, a.Name), a.Value)
	}
	if got, ok := c.interned[h]; ok && equalAttrs(got, attrs) {
		return h, got
	}
	return h, nil
}

// internNew returns a copy of attrs (with hash h, not interned yet),
// interning it while there is room.
func (c *columns) internNew(h uint64, attrs saydo.Attrs) saydo.Attrs {
	if len(attrs) == 0 {
		return nil
	}
	if c.interned == nil {
		c.interned = map[uint64]saydo.Attrs{}
	}
	out := append(saydo.Attrs(nil), attrs...)
	if len(c.interned) < maxInterned {
		c.interned[h] = out
	}
	return out
}

func equalAttrs(a, b saydo.Attrs) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

const fnvOffset, fnvPrime uint64 = 14695981039346656037, 1099511628211

func fnvMix(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h * fnvPrime
}

// batchWriter stores batches as the reader produces them. Without strict,
// each batch is its own transaction, so a killed import keeps what it
// committed and a re-run skips it as duplicates. With strict, one
// transaction holds every batch and the caller commits it only if no row
// was rejected.
type batchWriter[T any] struct {
	begin    func(ctx context.Context) (rowTx[T], error)
	strict   bool
	tx       rowTx[T]
	inserted int64
	// committed counts the inserted rows of committed transactions.
	committed int64
	pending   int64         // inserted in the open transaction
	failed    chan struct{} // closed when a write fails
	// committedReplaced counts rows that replaced stored ones (a
	// transaction with a Replaced method), in committed transactions.
	committedReplaced int64
}

func (w *batchWriter[T]) run(ctx context.Context, batches <-chan []T, free chan<- []T) error {
	for b := range batches {
		if err := w.write(ctx, b); err != nil {
			close(w.failed)
			for range batches {
			}
			return err
		}
		free <- b
	}
	return nil
}

func (w *batchWriter[T]) write(ctx context.Context, b []T) error {
	if w.tx == nil {
		tx, err := w.begin(ctx)
		if err != nil {
			return err
		}
		w.tx = tx
	}
	n, err := w.tx.Insert(b)
	if err != nil {
		return err
	}
	w.inserted += int64(n)
	w.pending += int64(n)
	if w.strict {
		return nil
	}
	return w.commit()
}

// summariser keeps, across an import's transactions, the promises whose
// summaries are merged as rows are inserted and its scratch space.
type summariser struct {
	// merge lists, per metric, the promises whose stored summaries are
	// current, so new rows are summarised as they are inserted.
	merge map[string][]*saydo.Promise
	// segs holds the segments of each mergeable promise, by promise id;
	// segsOf the same per metric, in the order of merge[metric].
	segs   map[string]*segments
	segsOf map[string][]*segments
	fresh  []bool
	acc    map[string]map[int64]*saydo.Summary // promise or segment id -> day -> summary of this batch
}

// summarisingTx is an observations transaction that adds the rows the
// store knows are new to their promises' day summaries in the same
// transaction; the store marks the days of any other new rows for a later
// refresh.
type summarisingTx struct {
	saydo.ObservationTx
	s *summariser
}

func (t *summarisingTx) Insert(b []saydo.Observation) (int, error) {
	w := t.s
	if cap(w.fresh) < len(b) {
		w.fresh = make([]bool, len(b))
	}
	fresh := w.fresh[:len(b)]
	clear(fresh)
	n, err := t.InsertNew(b, fresh)
	if err != nil {
		return n, err
	}
	if w.acc == nil {
		w.acc = map[string]map[int64]*saydo.Summary{}
	}
	var dayStart, dayEnd time.Time
	for i := range b {
		if !fresh[i] {
			continue
		}
		o := &b[i]
		if o.At.Before(dayStart) || !o.At.Before(dayEnd) {
			dayStart = saydo.DayOf(o.At)
			dayEnd = dayStart.AddDate(0, 0, 1)
		}
		for j, p := range w.merge[o.Metric] {
			if !p.Holds(dayStart) || (len(p.Where) > 0 && !p.Matches(o.Attrs)) {
				continue
			}
			days := w.acc[p.ID]
			if days == nil {
				days = map[int64]*saydo.Summary{}
				w.acc[p.ID] = days
			}
			s := days[dayStart.Unix()]
			if s == nil {
				s = &saydo.Summary{Day: dayStart}
				days[dayStart.Unix()] = s
			}
			if s.AddObservation(o, p.Objective, true) {
				w.segsOf[o.Metric][j].add(p, o, dayStart, w.acc)
			}
		}
	}
	for _, seg := range w.segs {
		seg.resetCache()
	}
	for id, days := range w.acc {
		list := make([]saydo.Summary, 0, len(days))
		for _, s := range days {
			list = append(list, *s)
		}
		sortSummaries(list)
		if err := t.MergeSummaries(id, list); err != nil {
			return n, err
		}
		delete(w.acc, id)
	}
	return n, nil
}

// mergeablePromises returns, per metric, the promises whose stored
// summaries and segment summaries are current (or that have no evidence
// yet), establishing the fingerprint of the latter, with the segments of
// each. Other promises are rebuilt by Refresh.
func mergeablePromises(ctx context.Context, st saydo.Store, ws *saydo.Workspace) (map[string][]*saydo.Promise, map[string]*segments, error) {
	out := map[string][]*saydo.Promise{}
	segs := map[string]*segments{}
	for i := range ws.Promises {
		p := &ws.Promises[i]
		fp, _, err := st.Summaries(ctx, p.ID, farFuture, farFuture)
		if err != nil {
			return nil, nil, err
		}
		seg, segCurrent, err := loadSegments(ctx, st, p.ID, p.Fingerprint())
		if err != nil {
			return nil, nil, err
		}
		if fp != p.Fingerprint() || !segCurrent {
			if fp != "" && fp != p.Fingerprint() {
				continue // stale: Refresh rebuilds it from every observation
			}
			_, _, n, err := st.ObservationSpan(ctx, p.Metric)
			if err != nil {
				return nil, nil, err
			}
			if n > 0 {
				continue // a new promise on old evidence, or segments to build: Refresh rebuilds it
			}
			if err := st.PutSummaries(ctx, p.ID, p.Fingerprint(), nil, true); err != nil {
				return nil, nil, err
			}
			if err := st.PutSummaries(ctx, saydo.SegmentPrefix(p.ID), p.Fingerprint(), nil, true); err != nil {
				return nil, nil, err
			}
		}
		out[p.Metric] = append(out[p.Metric], p)
		segs[p.ID] = seg
	}
	return out, segs, nil
}

func (w *batchWriter[T]) commit() error {
	if w.tx == nil {
		return nil
	}
	tx := w.tx
	w.tx = nil
	replaced := 0
	if r, ok := tx.(interface{ Replaced() int }); ok {
		replaced = r.Replaced()
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	w.committedReplaced += int64(replaced)
	w.committed += w.pending
	w.pending = 0
	return nil
}

func (w *batchWriter[T]) rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
	w.pending = 0
}
