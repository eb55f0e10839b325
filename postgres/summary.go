package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

// DirtyDays lists the days of metric marked by imports since the last
// ClearDirty, in day order, and the highest mark among them (0 when none).
func (s *Store) DirtyDays(ctx context.Context, metric string) ([]time.Time, int64, error) {
	id, ok, err := s.lookupMetric(ctx, metric)
	if err != nil {
		return nil, 0, fmt.Errorf("dirty days: %w", err)
	}
	if !ok {
		return nil, 0, nil
	}
	days, mark, err := s.dirtyDays(ctx, `SELECT day, seq FROM dirty WHERE metric_id = $1 ORDER BY day`, id)
	if err != nil {
		return nil, 0, fmt.Errorf("dirty days: %w", err)
	}
	return days, mark, nil
}

// dirtyDays runs a query of (day, seq) rows of a dirty-days table (the
// observations' dirty, feedback_dirty), in day order, and returns the days
// and the highest mark among them.
func (s *Store) dirtyDays(ctx context.Context, query string, args ...any) ([]time.Time, int64, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	var (
		days     []time.Time
		mark     int64
		day, seq int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&day, &seq}, func() error {
		days = append(days, dayTime(day))
		mark = max(mark, seq)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return days, mark, nil
}

// ClearDirty forgets the dirty days of metric marked no later than mark.
// It takes the write lock, so it waits for an import in progress, whose
// marks are then newer than any mark a reader saw before it committed.
func (s *Store) ClearDirty(ctx context.Context, metric string, mark int64) error {
	id, ok, err := s.lookupMetric(ctx, metric)
	if err != nil {
		return fmt.Errorf("clear dirty: %w", err)
	}
	if !ok {
		return nil
	}
	err = s.write(ctx, "", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM dirty WHERE metric_id = $1 AND seq <= $2`, id, mark)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear dirty: %w", err)
	}
	return nil
}

// write runs fn in a transaction holding the write lock and, when what is
// not empty, announces what at commit.
func (s *Store) write(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.writeLock(ctx, tx); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		if what != "" {
			return s.notify(ctx, tx, what)
		}
		return nil
	})
}

// Summaries returns the stored summaries of a promise with from <= Day < to
// (zero times are unbounded), in day order, and the fingerprint last stored
// with PutSummaries ("" when none was).
func (s *Store) Summaries(ctx context.Context, promiseID string, from, to time.Time) (string, []saydo.Summary, error) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = dayNumber(from)
		if dayTime(lo).Before(from) {
			lo++ // Day >= from for a from inside a day
		}
	}
	if !to.IsZero() {
		hi = dayNumber(to)
		if dayTime(hi).Before(to) {
			hi++
		}
	}
	var (
		fp  string
		out []saydo.Summary
	)
	// One statement, so the fingerprint and the days come from one
	// snapshot, in one round trip (a report reads every promise and
	// segment: 180 calls for 20 promises with their segments).
	rows, err := s.pool.Query(ctx, `SELECT f.fingerprint, s.day, s.n, s.met, s.mean, s.m2, s.min, s.max, s.sketch, s.counted, s.pooled
		FROM (SELECT $1::text AS id) AS x
		LEFT JOIN summary_fingerprints f ON f.promise_id = x.id
		LEFT JOIN summaries s ON s.promise_id = x.id AND s.day >= $2 AND s.day < $3
		ORDER BY s.day`, promiseID, lo, hi)
	if err == nil {
		var (
			fingerprint      *string
			day              *int64
			n, met           *int64
			counted, pooled  *int64
			mean, m2, mn, mx *float64
			sketch           []byte
		)
		_, err = pgx.ForEachRow(rows, []any{&fingerprint, &day, &n, &met, &mean, &m2, &mn, &mx, &sketch, &counted, &pooled}, func() error {
			if fingerprint != nil {
				fp = *fingerprint
			}
			if day == nil {
				return nil // no days: the one row of the left join
			}
			sum, err := storedSummary(*day, *n, *met, *counted, *pooled, mean, m2, mn, mx, sketch)
			if err != nil {
				return fmt.Errorf("%s day %s: %w", promiseID, sum.Day.Format(time.DateOnly), err)
			}
			out = append(out, sum)
			return nil
		})
	}
	if err != nil {
		return "", nil, fmt.Errorf("summaries: %w", err)
	}
	return fp, out, nil
}

// storedSummary is a row of summaries read back; NULL floats are NaN.
func storedSummary(day, n, met, counted, pooled int64, mean, m2, mn, mx *float64, sketch []byte) (saydo.Summary, error) {
	sum := saydo.Summary{Day: dayTime(day), N: n, Met: met, Counted: counted, Pooled: pooled,
		Mean: nanIfNull(mean), M2: nanIfNull(m2), Min: nanIfNull(mn), Max: nanIfNull(mx)}
	err := sum.Values.UnmarshalBinary(sketch)
	return sum, err
}

func nanIfNull(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

// nullFloat maps NaN to NULL, as the SQLite store does.
func nullFloat(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// floatOrNil is a float for an array parameter: nil (NULL) for NaN.
func floatOrNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// summaryUpsert ends an insert into summaries: a stored day is replaced.
const summaryUpsert = `
	ON CONFLICT (promise_id, day) DO UPDATE SET n = excluded.n, met = excluded.met, mean = excluded.mean,
		m2 = excluded.m2, min = excluded.min, max = excluded.max, sketch = excluded.sketch,
		counted = excluded.counted, pooled = excluded.pooled`

const upsertSummarySQL = `INSERT INTO summaries (promise_id, day, n, met, mean, m2, min, max, sketch, counted, pooled)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)` + summaryUpsert

// PutSummaries stores summaries of a promise under fingerprint in one
// transaction. Each Day is truncated to its UTC day.
func (s *Store) PutSummaries(ctx context.Context, promiseID, fingerprint string, days []saydo.Summary, replace bool) error {
	err := s.write(ctx, "summaries", func(tx pgx.Tx) error {
		if replace {
			if _, err := tx.Exec(ctx, `DELETE FROM summaries WHERE promise_id = $1`, promiseID); err != nil {
				return err
			}
		}
		if replace && fingerprint == "" && len(days) == 0 {
			// Forget the id entirely (a segment that no longer exists).
			_, err := tx.Exec(ctx, `DELETE FROM summary_fingerprints WHERE promise_id = $1`, promiseID)
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO summary_fingerprints (promise_id, fingerprint) VALUES ($1, $2)
			ON CONFLICT (promise_id) DO UPDATE SET fingerprint = excluded.fingerprint`, promiseID, fingerprint); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i := range days {
			d := &days[i]
			day := dayNumber(d.Day)
			if d.N == 0 {
				b.Queue(`DELETE FROM summaries WHERE promise_id = $1 AND day = $2`, promiseID, day)
				continue
			}
			sketch, err := d.Values.MarshalBinary()
			if err != nil {
				return err
			}
			b.Queue(upsertSummarySQL, promiseID, day, d.N, d.Met,
				nullFloat(d.Mean), nullFloat(d.M2), nullFloat(d.Min), nullFloat(d.Max), sketch, d.Counted, d.Pooled)
		}
		if b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("put summaries: %w", err)
	}
	return nil
}

// MergeSummaries adds days to the stored summaries of a promise inside the
// import transaction, so new rows and their summaries commit together.
// The days wait in memory, merged per promise and day, until the
// transaction commits (or pendingSummaryLimit of them wait): then every
// waiting day is read and written back in two round trips, where a call
// of its own cost two per promise and batch (each batch merges hundreds
// of promise and segment ids; see docs/performance.md).
func (t *observationTx) MergeSummaries(promiseID string, days []saydo.Summary) error {
	if t.done {
		return errors.New("merge summaries: transaction is closed")
	}
	for i := range days {
		d := &days[i]
		if d.N == 0 {
			continue
		}
		if t.pending == nil {
			t.pending = map[summaryDay]*saydo.Summary{}
		}
		k := summaryDay{promiseID, dayNumber(d.Day)}
		p := t.pending[k]
		if p == nil {
			p = &saydo.Summary{Day: dayTime(k.day)}
			t.pending[k] = p
		}
		p.Merge(d)
	}
	if len(t.pending) >= pendingSummaryLimit {
		return t.flushSummaries()
	}
	return nil
}

// pendingSummaryLimit bounds the days MergeSummaries keeps waiting (an
// import with --strict is one transaction however long, and a batch of
// rows spread over many days touches many): each holds a percentile
// sketch of up to about 16 KB.
const pendingSummaryLimit = 4096

// summaryDay names one stored summary.
type summaryDay struct {
	id  string
	day int64
}

// flushSummaries merges the waiting days into the stored summaries: one
// query reads the stored days among them, one statement writes them all.
func (t *observationTx) flushSummaries() error {
	if len(t.pending) == 0 {
		return nil
	}
	keys := make([]summaryDay, 0, len(t.pending))
	for k := range t.pending {
		keys = append(keys, k)
	}
	// In key order, so two imports writing the same days lock them in the
	// same order.
	slices.SortFunc(keys, func(a, b summaryDay) int {
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.day, b.day)
	})
	ids := make([]string, len(keys))
	nums := make([]int64, len(keys))
	for i, k := range keys {
		ids[i], nums[i] = k.id, k.day
	}
	merged := make(map[summaryDay]*saydo.Summary, len(keys))
	rows, err := t.tx.Query(t.ctx, `SELECT s.promise_id, s.day, s.n, s.met, s.mean, s.m2, s.min, s.max, s.sketch, s.counted, s.pooled
		FROM unnest($1::text[], $2::bigint[]) AS u(promise_id, day)
		JOIN summaries s ON s.promise_id = u.promise_id AND s.day = u.day`, ids, nums)
	if err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	var (
		id                      string
		day                     int64
		n, met, counted, pooled int64
		mean, m2, mn, mx        *float64
		sketch                  []byte
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &day, &n, &met, &mean, &m2, &mn, &mx, &sketch, &counted, &pooled}, func() error {
		o, err := storedSummary(day, n, met, counted, pooled, mean, m2, mn, mx, sketch)
		if err != nil {
			return fmt.Errorf("%s day %d: %w", id, day, err)
		}
		merged[summaryDay{id, day}] = &o
		return nil
	})
	if err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	var (
		ns, mets, counteds, pooleds []int64
		means, m2s, mins, maxs      []*float64
		sketches                    [][]byte
	)
	for _, k := range keys {
		o := merged[k]
		if o == nil {
			o = &saydo.Summary{Day: dayTime(k.day)}
		}
		o.Merge(t.pending[k])
		blob, err := o.Values.MarshalBinary()
		if err != nil {
			return fmt.Errorf("merge summaries: %w", err)
		}
		ns, mets, counteds, pooleds = append(ns, o.N), append(mets, o.Met), append(counteds, o.Counted), append(pooleds, o.Pooled)
		means, m2s = append(means, floatOrNil(o.Mean)), append(m2s, floatOrNil(o.M2))
		mins, maxs = append(mins, floatOrNil(o.Min)), append(maxs, floatOrNil(o.Max))
		sketches = append(sketches, blob)
	}
	b := &pgx.Batch{}
	// Register the ids (with no fingerprint) as SQLite's store does, so
	// SummaryIDs reads the small id table, never the summaries.
	b.Queue(`INSERT INTO summary_fingerprints (promise_id, fingerprint)
		SELECT DISTINCT u, '' FROM unnest($1::text[]) AS u ORDER BY 1 ON CONFLICT DO NOTHING`, ids)
	b.Queue(`INSERT INTO summaries (promise_id, day, n, met, mean, m2, min, max, sketch, counted, pooled)
		SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[],
			$7::float8[], $8::float8[], $9::bytea[], $10::bigint[], $11::bigint[])`+summaryUpsert,
		ids, nums, ns, mets, means, m2s, mins, maxs, sketches, counteds, pooleds)
	if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	clear(t.pending)
	t.changed = true
	return nil
}

// SummaryIDs lists the summary ids starting with prefix that have a stored
// fingerprint (MergeSummaries registers the ids it creates with an empty
// one; migration 0070 registered those merged before), sorted in byte
// order. It reads a range of summary_fingerprints' "C"-collated index, so
// a report's call per promise costs one index probe, not a scan of every
// stored day.
func (s *Store) SummaryIDs(ctx context.Context, prefix string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT promise_id FROM summary_fingerprints
		WHERE promise_id COLLATE "C" >= $1 AND promise_id COLLATE "C" < $2 AND starts_with(promise_id, $1)
		ORDER BY promise_id COLLATE "C"`, prefix, prefix+"\U0010FFFF")
	if err != nil {
		return nil, fmt.Errorf("summary ids: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("summary ids: %w", err)
	}
	return out, nil
}
