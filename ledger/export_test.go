package ledger

// SetRunRows makes sorted runs hold n rows, so tests spill to files with
// small inputs; it returns a function restoring the default.
func SetRunRows(n int) func() {
	old := runRows
	runRows = n
	return func() { runRows = old }
}
