package http

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	nethttp "net/http"
	"strconv"
	"strings"
)

// encodedReport is a report encoded once for every request that reads it
// while it is cached: its JSON (indented, as the CLI writes it), an ETag
// naming those bytes, and the same bytes gzipped. Under load, encoding was
// most of the cost of a cached report; compressing it per request would
// be again.
type encodedReport struct {
	body []byte
	gz   []byte // nil when compressing would not save anything worth it
	etag string // a strong validator: the same bytes, the same tag
}

// minGzip is the smallest body worth compressing: below it, the headers
// outweigh the bytes saved.
const minGzip = 1 << 10

// encodeReport encodes v for the cache.
func encodeReport(v any) (*encodedReport, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	e := &encodedReport{body: buf.Bytes()}
	sum := sha256.Sum256(e.body)
	e.etag = `"` + hex.EncodeToString(sum[:16]) + `"`
	if len(e.body) >= minGzip {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed) // the level is valid
		zw.Write(e.body)
		if err := zw.Close(); err != nil {
			return nil, err
		}
		if z.Len() < len(e.body)*9/10 {
			e.gz = z.Bytes()
		}
	}
	return e, nil
}

// size is the memory the encoded report holds, for the cache's budget.
func (e *encodedReport) size() int64 { return int64(len(e.body) + len(e.gz)) }

// write sends the encoded report: 304 Not Modified when the request's
// If-None-Match names it, the gzipped bytes when the client accepts gzip,
// the JSON otherwise. Responses are not stored by browsers or proxies
// (no-store, docs/security.md V8); the ETag serves clients that poll and
// ask whether the report changed.
func (e *encodedReport) write(w nethttp.ResponseWriter, r *nethttp.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	body, etag := e.body, e.etag
	if e.gz != nil && acceptsGzip(r) {
		// The compressed bytes are other bytes: their own tag.
		body, etag = e.gz, strings.TrimSuffix(e.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), e.etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(nethttp.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (and does not refuse it with q=0).
func acceptsGzip(r *nethttp.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
			if !ok {
				return true
			}
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
	}
	return false
}

// matchesETag reports whether an If-None-Match header names etag (either
// encoding's variant, weak or strong, or *): the report is the same.
func matchesETag(header, etag string) bool {
	if header == "" {
		return false
	}
	base := strings.TrimSuffix(etag, `"`)
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || t == base+`-gz"` {
			return true
		}
	}
	return false
}
