package ledger

import (
	"bufio"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// An import stores rows as they come, which is fast when each metric's
// rows come in time order: the stores keep observations clustered by
// metric and time, so each batch lands at the end of its metric's tree.
// Rows in random time order (merged sources, per-customer exports,
// concatenated logs) land all over the tree instead, and every batch
// rewrites pages throughout it: on SQLite, 2M such rows took 7.6 times as
// long as sqlite3's own .import.
//
// So the importer watches the order. Once a batch goes back in time by more
// than a day for more than 1% of its rows, it stops storing and sorts what
// remains of the input instead: runs of runRows rows are sorted in memory
// by (metric, time, key) and written to a temporary file, then the runs are
// merged and stored in batches as usual, each metric's rows in time order.
// A full run is sorted and written while the next is parsed. Memory stays
// bounded by two runs whatever the size of the file; the temporary files
// take about 40 bytes a row. Batches stored before the
// switch stay stored, and everything else keeps its guarantees: each
// merged batch commits on its own, keys make a re-run idempotent, and a
// strict import is still one transaction.

// runRows is how many rows one sorted run holds in memory (about 15 MiB of
// observations); see docs/scale.md.
var runRows = 125_000

// farBack is how far before the latest time seen for its metric a row must
// fall to count as out of order: a little disorder stays near the end of
// the tree, where inserting is cheap.
const farBack = 24 * time.Hour

// orderer puts an out-of-order stream of rows in order before they are
// stored.
type orderer[T any] interface {
	// disordered reports whether b, after the rows seen so far, is out
	// of order enough that storing the rest as it comes would be slow.
	disordered(b []T) bool
	// add copies b into the current run, writing the run out when full.
	add(b []T) error
	// merge fills batch with up to size rows of everything added, in
	// order, and hands each full batch to store, which returns the next
	// (empty) slice to fill; the last batch may be shorter.
	merge(ctx context.Context, size int, batch []T, store func([]T) ([]T, error)) error
	// close removes the temporary files.
	close()
}

// observationOrder sorts observations by metric, time and key.
type observationOrder struct {
	dir    string // for the temporary files; "" is the system's
	latest map[string]int64
	run    []saydo.Observation
	files  []*os.File
	buf    []byte
	keys   []runKey // scratch of sortRun
	order  []int32

	// A full run is sorted and written on a goroutine of its own while the
	// reader parses the next one (the writer has nothing to store until
	// the input ends, so its core is free): spilling holds the result of
	// the one in flight, spare the run buffer it will give back.
	spilling chan error
	spare    []saydo.Observation
}

func newObservationOrder(dir string) *observationOrder {
	return &observationOrder{dir: dir, latest: map[string]int64{}}
}

func (s *observationOrder) disordered(b []saydo.Observation) bool {
	back := 0
	for i := range b {
		o := &b[i]
		at := o.At.UnixNano()
		last, seen := s.latest[o.Metric]
		switch {
		case !seen || at > last:
			s.latest[o.Metric] = at
		case at < last-int64(farBack):
			back++
		}
	}
	return back*100 > len(b)
}

func compareObservations(a, b *saydo.Observation) int {
	if c := strings.Compare(a.Metric, b.Metric); c != 0 {
		return c
	}
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	switch {
	case a.Key < b.Key:
		return -1
	case a.Key > b.Key:
		return 1
	}
	return 0
}

func (s *observationOrder) add(b []saydo.Observation) error {
	for len(b) > 0 {
		n := min(len(b), runRows-len(s.run))
		s.run = append(s.run, b[:n]...)
		b = b[n:]
		if len(s.run) == runRows {
			if err := s.spillAsync(); err != nil {
				return err
			}
		}
	}
	return nil
}

// runKey is what a run is sorted by: compareObservations' order, with the
// metric as its rank among the run's metrics, so sorting compares
// integers and moves 24 bytes instead of whole observations.
type runKey struct {
	metric uint32
	row    int32
	at     int64
	key    uint64
}

// sortRun returns the order of run's rows by compareObservations.
func (s *observationOrder) sortRun(run []saydo.Observation) []int32 {
	names := map[string]uint32{}
	for i := range run {
		names[run[i].Metric] = 0
	}
	sorted := make([]string, 0, len(names))
	for m := range names {
		sorted = append(sorted, m)
	}
	slices.Sort(sorted)
	for r, m := range sorted {
		names[m] = uint32(r)
	}
	keys := s.keys[:0]
	last, rank := "", uint32(0)
	for i := range run {
		o := &run[i]
		if o.Metric != last || i == 0 {
			last, rank = o.Metric, names[o.Metric]
		}
		keys = append(keys, runKey{metric: rank, row: int32(i), at: o.At.UnixNano(), key: o.Key})
	}
	slices.SortFunc(keys, func(a, b runKey) int {
		if a.metric != b.metric {
			return cmp.Compare(a.metric, b.metric)
		}
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return cmp.Compare(a.key, b.key)
	})
	s.keys = keys
	order := s.order[:0]
	for _, k := range keys {
		order = append(order, k.row)
	}
	s.order = order
	return order
}

// spillAsync starts writing the current run out and gives the reader an
// empty one, once the run before has been written.
func (s *observationOrder) spillAsync() error {
	if err := s.wait(); err != nil {
		return err
	}
	run := s.run
	s.run = s.spare[:0]
	if s.run == nil {
		s.run = make([]saydo.Observation, 0, runRows)
	}
	done := make(chan error, 1)
	s.spilling = done
	go func() {
		err := s.writeRun(run)
		s.spare = run[:0]
		done <- err
	}()
	return nil
}

// wait waits for the run being written, if any.
func (s *observationOrder) wait() error {
	if s.spilling == nil {
		return nil
	}
	err := <-s.spilling
	s.spilling = nil
	return err
}

// spill writes the current run out and waits for it.
func (s *observationOrder) spill() error {
	if err := s.wait(); err != nil {
		return err
	}
	err := s.writeRun(s.run)
	s.run = s.run[:0]
	return err
}

// writeRun sorts run and writes it to a temporary file; it leaves run
// holding no references to the rows' strings. It uses the order's
// scratch space and adds to its files, so one runs at a time.
func (s *observationOrder) writeRun(run []saydo.Observation) error {
	defer clear(run) // drop references to the rows' strings
	if len(run) == 0 {
		return nil
	}
	order := s.sortRun(run)
	f, err := os.CreateTemp(s.dir, "saydo-sort-*.run")
	if err != nil {
		return fmt.Errorf("sort the import: %w", err)
	}
	// Unlinked at once where the system allows it: nothing is left behind
	// if the import is killed.
	os.Remove(f.Name())
	s.files = append(s.files, f)
	w := bufio.NewWriterSize(f, 1<<20)
	for _, i := range order {
		s.buf = appendObservation(s.buf[:0], &run[i])
		if _, err := w.Write(s.buf); err != nil {
			return fmt.Errorf("sort the import: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sort the import: %w", err)
	}
	return nil
}

// appendObservation encodes o: metric, source id, customer and attributes
// as length-prefixed strings, then key, time and value.
func appendObservation(b []byte, o *saydo.Observation) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(o.Metric)
	str(o.SourceID)
	str(o.Customer)
	b = binary.AppendUvarint(b, uint64(len(o.Attrs)))
	for _, a := range o.Attrs {
		str(a.Name)
		str(a.Value)
	}
	b = binary.LittleEndian.AppendUint64(b, o.Key)
	b = binary.AppendVarint(b, o.At.UnixNano())
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(o.Value))
	return b
}

// runReader reads one run back.
type runReader struct {
	r   *bufio.Reader
	cur saydo.Observation
	// interned strings and attribute sets, so rows share them as they did
	// when parsed (the stores recognise shared attribute slices).
	strs  map[string]string
	attrs map[string]saydo.Attrs
	buf   []byte
}

func (r *runReader) str() (string, error) {
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return "", err
	}
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.r, b); err != nil {
		return "", err
	}
	if s, ok := r.strs[string(b)]; ok {
		return s, nil
	}
	s := string(b)
	if len(r.strs) < 4096 {
		r.strs[s] = s
	}
	return s, nil
}

// next decodes the next row into r.cur; io.EOF at the end of the run.
func (r *runReader) next() error {
	o := &r.cur
	var err error
	if o.Metric, err = r.str(); err != nil {
		return err // io.EOF exactly at a row boundary
	}
	fail := func(err error) error {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("read sorted run: %w", err)
	}
	if o.SourceID, err = r.str(); err != nil {
		return fail(err)
	}
	if o.Customer, err = r.str(); err != nil {
		return fail(err)
	}
	na, err := binary.ReadUvarint(r.r)
	if err != nil {
		return fail(err)
	}
	var attrs saydo.Attrs
	if na > 0 {
		attrs = make(saydo.Attrs, na)
		for i := range attrs {
			if attrs[i].Name, err = r.str(); err != nil {
				return fail(err)
			}
			if attrs[i].Value, err = r.str(); err != nil {
				return fail(err)
			}
		}
		canon := attrs.Canonical()
		if shared, ok := r.attrs[canon]; ok {
			attrs = shared
		} else if len(r.attrs) < 4096 {
			r.attrs[canon] = attrs
		}
	}
	o.Attrs = attrs
	var fixed [8]byte
	if _, err := io.ReadFull(r.r, fixed[:]); err != nil {
		return fail(err)
	}
	o.Key = binary.LittleEndian.Uint64(fixed[:])
	at, err := binary.ReadVarint(r.r)
	if err != nil {
		return fail(err)
	}
	o.At = time.Unix(0, at).UTC()
	if _, err := io.ReadFull(r.r, fixed[:]); err != nil {
		return fail(err)
	}
	o.Value = math.Float64frombits(binary.LittleEndian.Uint64(fixed[:]))
	return nil
}

// runHeap orders run readers by their current row.
type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return compareObservations(&h[i].cur, &h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (s *observationOrder) merge(ctx context.Context, size int, batch []saydo.Observation, store func([]saydo.Observation) ([]saydo.Observation, error)) error {
	emit := func(o *saydo.Observation) error {
		batch = append(batch, *o)
		if len(batch) < size {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		batch, err = store(batch)
		return err
	}
	if err := s.wait(); err != nil {
		return err
	}
	if len(s.files) == 0 {
		// Everything fits one run: store it from memory.
		for _, i := range s.sortRun(s.run) {
			if err := emit(&s.run[i]); err != nil {
				return err
			}
		}
	} else {
		if err := s.spill(); err != nil {
			return err
		}
		if err := s.mergeFiles(emit); err != nil {
			return err
		}
	}
	if len(batch) > 0 {
		_, err := store(batch)
		return err
	}
	return nil
}

// mergeFiles calls emit with every row of the runs on disk, in order.
func (s *observationOrder) mergeFiles(emit func(*saydo.Observation) error) error {
	strs, attrs := map[string]string{}, map[string]saydo.Attrs{}
	h := make(runHeap, 0, len(s.files))
	for _, f := range s.files {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("read sorted run: %w", err)
		}
		r := &runReader{r: bufio.NewReaderSize(f, 256<<10), strs: strs, attrs: attrs}
		if err := r.next(); err == io.EOF {
			continue
		} else if err != nil {
			return err
		}
		h = append(h, r)
	}
	heap.Init(&h)
	for h.Len() > 0 {
		r := h[0]
		if err := emit(&r.cur); err != nil {
			return err
		}
		switch err := r.next(); {
		case err == io.EOF:
			heap.Pop(&h)
		case err != nil:
			return err
		default:
			heap.Fix(&h, 0)
		}
	}
	return nil
}

func (s *observationOrder) close() {
	s.wait() // its error was reported, or the import failed before
	for _, f := range s.files {
		name := f.Name()
		f.Close()
		os.Remove(name) // where it could not be unlinked while open
	}
	s.files = nil
	s.run = nil
}
