package http

import (
	"runtime"
	"syscall"
)

// importNice is the scheduling priority (nice) of the threads that run
// imports through the server: when readers want the cores, the kernel gives
// them about ten times the import's share; when they are idle, the import
// has all of it.
const importNice = 10

// yielding runs fn, waiting for it, on an OS thread of its own whose
// priority is lowered to importNice, so that a bulk import does not take a
// core away from the requests a dashboard is waiting for. The thread is
// never given back to the Go runtime: it ends with fn, so no other
// goroutine ever runs at its priority (which an unprivileged process could
// not raise again). A panic in fn is raised again in the caller.
func yielding(fn func()) {
	done := make(chan any, 1)
	go func() {
		runtime.LockOSThread() // and never unlocked: see above
		// On Linux, PRIO_PROCESS with a thread id sets that thread's nice
		// value alone. Failing to lower it leaves the import as fast as
		// before, which is not an error.
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), importNice)
		defer func() { done <- recover() }()
		fn()
	}()
	if p := <-done; p != nil {
		panic(p)
	}
}
