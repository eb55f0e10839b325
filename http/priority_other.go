//go:build !linux

package http

// yielding runs fn. Only Linux lowers the priority of one thread (see
// priority_linux.go); elsewhere imports run as any request does.
func yielding(fn func()) { fn() }
