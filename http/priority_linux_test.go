package http

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// threadNice reads the calling thread's nice value from /proc.
func threadNice(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		t.Skipf("no /proc/thread-self: %v", err)
	}
	// Fields after the command's closing parenthesis; nice is field 19.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	n, err := strconv.Atoi(f[16])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestYielding: fn runs on a thread at importNice, the caller's thread
// keeps its priority, and a panic in fn reaches the caller.
func TestYielding(t *testing.T) {
	before := threadNice(t)
	var inside, tid int
	yielding(func() { inside, tid = threadNice(t), syscall.Gettid() })
	if inside != importNice {
		t.Errorf("nice inside = %d, want %d", inside, importNice)
	}
	if tid == syscall.Gettid() {
		t.Error("fn ran on the caller's thread")
	}
	if got := threadNice(t); got != before {
		t.Errorf("the caller's nice went from %d to %d", before, got)
	}
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("recovered %v, want the panic of fn", p)
		}
	}()
	yielding(func() { panic("boom") })
}
