package saydo

import "strings"

// Per-segment summaries: for attributes with few values (region, channel,
// product), the day summaries of a promise are also kept per value, by the
// same mechanism as the promise's own (SummaryStore, under ids made by
// SegmentSummaryID), so a report can find the segments that break a
// promise kept overall without rereading raw observations.

// MaxSegmentValues is how many values an attribute may take, per promise,
// and still get per-segment summaries; one with more (an agent id, an order
// number) is marked as too many and left to --by breakdowns.
const MaxSegmentValues = 32

// TooManyValues is the fingerprint stored under SegmentAttrID for an
// attribute that has more than MaxSegmentValues values.
const TooManyValues = "too-many-values"

// segmentSep separates the parts of segment summary ids; promise ids are
// [a-z0-9-]+ and attributes come from text, so it cannot clash.
const segmentSep = "\x1f"

// SegmentSummaryID is the summary id of promise's evidence with attr=value.
func SegmentSummaryID(promiseID, attr, value string) string {
	return promiseID + segmentSep + attr + segmentSep + value
}

// SegmentAttrID is the id that marks an attribute of a promise as having
// too many values for per-segment summaries.
func SegmentAttrID(promiseID, attr string) string {
	return promiseID + segmentSep + attr
}

// SegmentPrefix is the prefix of every segment id of a promise, for
// SummaryStore.SummaryIDs.
func SegmentPrefix(promiseID string) string { return promiseID + segmentSep }

// ParseSegmentID splits an id made by SegmentSummaryID or SegmentAttrID;
// value is "" (and marker true) for an attribute marker.
func ParseSegmentID(id string) (promiseID, attr, value string, marker, ok bool) {
	parts := strings.Split(id, segmentSep)
	switch len(parts) {
	case 2:
		return parts[0], parts[1], "", true, true
	case 3:
		return parts[0], parts[1], parts[2], false, true
	}
	return "", "", "", false, false
}
