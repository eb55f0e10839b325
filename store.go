package saydo

import (
	"context"
	"io"
	"time"
)

// Store is everything saydo keeps: evidence, summaries, feedback, messages.
// The embedded SQLite store and the PostgreSQL store implement it and pass
// the same conformance suite (storetest).
type Store interface {
	ObservationStore
	SummaryStore
	FeedbackStore
	VoiceStore
	MessageStore
	CacheStore
	ContactStore
	io.Closer
}

// ObservationStore keeps raw observations, the source of truth from which
// summaries are derived.
type ObservationStore interface {
	// BeginObservations starts a write transaction for importing.
	BeginObservations(ctx context.Context) (ObservationTx, error)
	// ScanObservations calls fn for every observation of metric with
	// from <= At < to, in time order. The Observation passed to fn is only
	// valid during the call.
	ScanObservations(ctx context.Context, metric string, from, to time.Time, fn func(*Observation) error) error
	// ObservationSpan returns the time of the first and last observation
	// of a metric and how many there are.
	ObservationSpan(ctx context.Context, metric string) (first, last time.Time, n int64, err error)
	// Metrics lists, by name, every metric that has had observations.
	Metrics(ctx context.Context) ([]string, error)
}

// ObservationTx is one import transaction. Nothing it inserted is visible
// to readers, or survives a crash, until Commit.
type ObservationTx interface {
	// Insert adds observations, skipping those whose Key (within the metric
	// and At) is already stored, and marks their days as needing new
	// summaries. It returns how many were new.
	Insert(batch []Observation) (inserted int, err error)
	// InsertNew is Insert for callers that keep summaries themselves: it
	// sets fresh[i] (len(fresh) == len(batch)) for every row it knows it
	// inserted, and does not mark their days; the caller must add those
	// rows to the day summaries with MergeSummaries before Commit. Days of
	// rows whose newness is unknown are marked as Insert marks them.
	InsertNew(batch []Observation, fresh []bool) (inserted int, err error)
	// MergeSummaries adds day summaries of newly inserted observations to
	// the stored summaries of a promise (Summary.Merge), in this
	// transaction.
	MergeSummaries(promiseID string, days []Summary) error
	// Replaced returns how many stored observations this transaction has
	// replaced: rows whose source id was stored with another time or value
	// (a correction). A replaced row counts neither as inserted nor as a
	// duplicate; the days of both versions are marked for new summaries.
	Replaced() int
	Commit() error
	Rollback() error
}

// SummaryStore keeps per-promise, per-day summaries and the list of days
// whose observations changed since they were summarised.
type SummaryStore interface {
	// DirtyDays lists the days of metric with observations imported since
	// the last ClearDirty, and a mark to pass to ClearDirty.
	DirtyDays(ctx context.Context, metric string) (days []time.Time, mark int64, err error)
	// ClearDirty forgets dirty days marked no later than mark; days marked
	// again since (by a concurrent import) stay dirty.
	ClearDirty(ctx context.Context, metric string, mark int64) error
	// Summaries returns the stored summaries of a promise with from <= Day
	// < to (zero times mean unbounded), in day order, and the fingerprint
	// they were computed under ("" when there are none).
	Summaries(ctx context.Context, promiseID string, from, to time.Time) (fingerprint string, days []Summary, err error)
	// PutSummaries stores summaries of a promise computed under fingerprint.
	// With replace, every stored summary of the promise is dropped first;
	// otherwise days in the batch overwrite stored ones. A summary with
	// N = 0 deletes its day. With replace, no days and an empty
	// fingerprint, the id is forgotten entirely (SummaryIDs no longer
	// lists it).
	PutSummaries(ctx context.Context, promiseID, fingerprint string, days []Summary, replace bool) error
	// SummaryIDs lists, sorted, the ids that start with prefix and were
	// stored by PutSummaries or merged into by MergeSummaries (which
	// registers a new id with an empty fingerprint): the per-segment
	// summaries of a promise are stored under SegmentSummaryID ids.
	SummaryIDs(ctx context.Context, prefix string) ([]string, error)
}

// FeedbackStore keeps customer feedback with its analysis.
type FeedbackStore interface {
	// BeginFeedback starts a write transaction for importing feedback.
	BeginFeedback(ctx context.Context) (FeedbackTx, error)
	// ScanFeedback calls fn for every item with from <= At < to (zero
	// times are unbounded), in time order. The Feedback passed to fn is
	// only valid during the call.
	ScanFeedback(ctx context.Context, from, to time.Time, fn func(*Feedback) error) error
	// CountFeedback returns how many feedback items are stored.
	CountFeedback(ctx context.Context) (int64, error)
	// ScanLabelledFeedback calls fn for every item with text and a label
	// (the examples a classifier learns from), in time order, then by key,
	// reading only those. The Feedback passed to fn is only valid during
	// the call.
	ScanLabelledFeedback(ctx context.Context, fn func(*Feedback) error) error
}

// FeedbackTx is one feedback import transaction. Nothing it inserted is
// visible to readers, or survives a crash, until Commit.
type FeedbackTx interface {
	// Insert adds feedback items with their analysis. An item whose Key is
	// stored with the same content (FeedbackContent) is skipped; with
	// other content it replaces the stored item. It returns how many were
	// new and how many replaced, and marks the days of both as dirty for
	// the voice summaries (VoiceStore).
	Insert(batch []Feedback) (inserted, replaced int, err error)
	// InsertNew is Insert for callers that keep the voice summaries
	// themselves: it sets fresh[i] (len(fresh) == len(batch)) for every
	// item it knows it inserted and does not mark their days dirty; the
	// caller must add those items to the day summaries with
	// MergeVoiceDays before Commit. Days of other items are marked as
	// Insert marks them.
	InsertNew(batch []Feedback, fresh []bool) (inserted, replaced int, err error)
	// MergeVoiceDays adds days to the stored voice summaries of a promise
	// ("" for all items), VoiceDay.Merge, in this transaction.
	MergeVoiceDays(promiseID string, days []VoiceDay) error
	Commit() error
	Rollback() error
}

// MessageStore keeps canned messages with every version of their body.
type MessageStore interface {
	// PutMessage stores m; a changed body or metadata makes a new version
	// (history kept); an unchanged one is a no-op. It returns the version
	// now current and whether it is new.
	PutMessage(ctx context.Context, m Message) (version int, changed bool, err error)
	// Messages returns the latest version of each message, by id.
	Messages(ctx context.Context) ([]Message, error)
	// MessageVersions returns every version of a message, oldest first;
	// ErrNotFound if there is none.
	MessageVersions(ctx context.Context, id string) ([]Message, error)
}

// ChangeWatcher is a store that several processes share and that tells
// each of them when another committed a change, so a server drops cached
// reports at once instead of waiting for them to expire. The PostgreSQL
// store implements it with LISTEN/NOTIFY.
type ChangeWatcher interface {
	// WatchChanges calls fn with what changed (observations, feedback,
	// summaries, messages, access, reviews; reconnect after a lost
	// connection, when changes may have been missed) until ctx ends.
	WatchChanges(ctx context.Context, fn func(what string)) error
}

// CacheStore keeps reports that are costly to compute (outcome linkage
// joins every customer's experiences with their feedback) until the
// evidence they were computed from changes. Dropping it loses only the
// marks of which metrics' observations carry customer ids, which the next
// import of those observations sets again.
type CacheStore interface {
	// FeedbackVersion returns a number that changes whenever feedback is
	// inserted, replaced or deleted.
	FeedbackVersion(ctx context.Context) (int64, error)
	// CachedReport returns the stored body of a named report and the
	// version it was computed under; version "" when there is none.
	CachedReport(ctx context.Context, name string) (version string, body []byte, err error)
	// PutCachedReport stores a named report under version, replacing it.
	PutCachedReport(ctx context.Context, name, version string, body []byte) error
}

// VoiceStore keeps per-day voice summaries (VoiceDay) per promise and
// overall, derived from the stored feedback and its analysis, with the
// fingerprint of the mapping they were computed under; and what keeping
// them needs: the days whose feedback changed, re-analysis in place, and a
// bounded sample for theme discovery.
type VoiceStore interface {
	// FeedbackDirtyDays lists the days with feedback inserted or replaced
	// since the last ClearFeedbackDirty, and a mark to pass to it.
	FeedbackDirtyDays(ctx context.Context) (days []time.Time, mark int64, err error)
	// ClearFeedbackDirty forgets dirty days marked no later than mark.
	ClearFeedbackDirty(ctx context.Context, mark int64) error
	// VoiceDays returns the stored voice summaries of a promise ("" for
	// all items) with from <= Day < to (zero times are unbounded), in day
	// order, and the fingerprint they were computed under ("" if none).
	VoiceDays(ctx context.Context, promiseID string, from, to time.Time) (fingerprint string, days []VoiceDay, err error)
	// PutVoiceDays stores voice summaries under fingerprint. With replace,
	// every stored day of the promise is dropped first; otherwise days in
	// the batch overwrite stored ones. A day with Items = 0 deletes it.
	PutVoiceDays(ctx context.Context, promiseID, fingerprint string, days []VoiceDay, replace bool) error
	// VoiceFingerprints returns the fingerprint of every promise id with
	// stored voice summaries.
	VoiceFingerprints(ctx context.Context) (map[string]string, error)
	// DropVoice forgets the voice summaries of a promise.
	DropVoice(ctx context.Context, promiseID string) error
	// UpdateAnalysis replaces the stored language and analysis of items
	// (by Key) with theirs, for a re-analysis under changed promises. It
	// does not mark days dirty.
	UpdateAnalysis(ctx context.Context, batch []Feedback) error
	// SampleFeedback calls fn, in no particular order, for the items with
	// from <= At < to whose sample bucket (Key >> 53: its top ten bits, as
	// Key is below 2^63) is below buckets,
	// among the negative items that match no promise (target) or among the
	// others; buckets = 1024 reads them all. Only Key, At, Text and Lang
	// are filled. The Feedback passed to fn is only valid during the call.
	SampleFeedback(ctx context.Context, from, to time.Time, target bool, buckets int, fn func(*Feedback) error) error
	// ScanFeedbackTexts calls fn for the first n items in time order
	// (then by key, as ScanFeedback), with only Key, At, Text, Lang and
	// Kind filled: what self-training reads. The Feedback passed to fn is
	// only valid during the call.
	ScanFeedbackTexts(ctx context.Context, n int64, fn func(*Feedback) error) error
	// FeedbackByKeys returns the stored items with these keys, in time
	// order (then by key); keys not stored are left out.
	FeedbackByKeys(ctx context.Context, keys []uint64) ([]Feedback, error)
}

// SampleBuckets is the number of buckets SampleFeedback divides items into.
const SampleBuckets = 1024

// Exclusive is a store shared by several processes that runs a job in one
// of them at a time: work two servers must not both do, such as comparing
// reports with the last alerts sent and sending the difference.
type Exclusive interface {
	// Exclusively runs fn unless another process is running the job of
	// that name, and reports whether it ran.
	Exclusively(ctx context.Context, name string, fn func(context.Context) error) (ran bool, err error)
}
