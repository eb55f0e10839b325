package http

import (
	"bytes"
	"compress/gzip"
	"io"
	nethttp "net/http"
	"strconv"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestEncodedReports: the gap and journeys reports are sent with an ETag
// and a Content-Length; a client that names the ETag gets 304 without a
// body; a client that accepts gzip gets the same bytes compressed, and
// one that refuses it (q=0) or does not ask gets them as they are.
func TestEncodedReports(t *testing.T) {
	// Reports kept for the test's length: a recomputation in another
	// second has another generated_at, so rightly another ETag.
	e := newTestEnv(t, func(c *Config) { c.ReportTTL = time.Hour })
	// No transparent decompression: the test reads what was sent.
	client := &nethttp.Client{Transport: &nethttp.Transport{DisableCompression: true}}
	get := func(path string, header ...string) (*nethttp.Response, []byte) {
		t.Helper()
		req, _ := nethttp.NewRequest("GET", e.ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[saydo.RoleViewer])
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	for _, path := range []string{"/api/v1/gaps?by=region&period=week", "/api/v1/journeys"} {
		t.Run(path, func(t *testing.T) {
			resp, plain := get(path)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
				t.Fatalf("plain GET: %d, Content-Encoding %q; want 200 and none", resp.StatusCode, resp.Header.Get("Content-Encoding"))
			}
			if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(len(plain)) {
				t.Errorf("Content-Length %q, want %d", got, len(plain))
			}
			etag := resp.Header.Get("ETag")
			if len(etag) < 3 || etag[0] != '"' {
				t.Fatalf("ETag %q, want a quoted strong tag", etag)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store (docs/security.md V8)", got)
			}

			resp, body := get(path, "If-None-Match", etag)
			if resp.StatusCode != nethttp.StatusNotModified || len(body) != 0 {
				t.Errorf("If-None-Match with the ETag: %d with %d bytes, want 304 and none", resp.StatusCode, len(body))
			}
			resp, body = get(path, "If-None-Match", `"someone-else"`)
			if resp.StatusCode != 200 || !bytes.Equal(body, plain) {
				t.Errorf("If-None-Match with another tag: %d, same body %v; want 200 and the report", resp.StatusCode, bytes.Equal(body, plain))
			}

			resp, zipped := get(path, "Accept-Encoding", "br, gzip;q=0.8")
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Accept-Encoding gzip: Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
			}
			if len(zipped) >= len(plain) {
				t.Errorf("gzipped %d bytes, plain %d: want smaller", len(zipped), len(plain))
			}
			zr, err := gzip.NewReader(bytes.NewReader(zipped))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(unzipped, plain) {
				t.Errorf("gunzipped body differs from the plain one (err %v)", err)
			}
			zetag := resp.Header.Get("ETag")
			if zetag == etag || zetag == "" {
				t.Errorf("gzip ETag %q, want its own, not the plain %q", zetag, etag)
			}
			if resp, body := get(path, "Accept-Encoding", "gzip", "If-None-Match", zetag); resp.StatusCode != nethttp.StatusNotModified || len(body) != 0 {
				t.Errorf("If-None-Match with the gzip ETag: %d with %d bytes, want 304", resp.StatusCode, len(body))
			}

			if resp, body := get(path, "Accept-Encoding", "gzip;q=0, identity"); resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
				t.Errorf("gzip;q=0: Content-Encoding %q, want the plain body", resp.Header.Get("Content-Encoding"))
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=1.0, *;q=0.5", true},
		{"gzip; q=0", false},
		{"gzip;q=0.000", false},
		{"br", false},
		{"x-gzip", false},
	} {
		r, _ := nethttp.NewRequest("GET", "/", nil)
		if tc.header != "" {
			r.Header.Set("Accept-Encoding", tc.header)
		}
		if got := acceptsGzip(r); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
