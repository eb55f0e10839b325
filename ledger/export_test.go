package ledger

// SetRunRows makes sorted runs hold n rows, so tests spill to files with
// small inputs; it returns a function restoring the default.
func SetRunRows(n int) func() {
	old := runRows
	runRows = n
	return func() { runRows = old }
}

// SetHoldRows makes a feedback import into a small store hold at most n
// items before analysing them; it returns a function restoring the
// default.
func SetHoldRows(n int) func() {
	old := holdRows
	holdRows = n
	return func() { holdRows = old }
}

// SetMaxSelfTrainSpan caps the first items self-training learns from at
// n (a power of two, at least MinSelfTrain); it returns a function
// restoring the default.
func SetMaxSelfTrainSpan(n int64) func() {
	old := maxSelfTrainSpan
	maxSelfTrainSpan = n
	return func() { maxSelfTrainSpan = old }
}

// SetWindowCap makes the row keyer's window hold at most n contents; it
// returns a function restoring the default.
func SetWindowCap(n int) func() {
	old := windowCap
	windowCap = n
	return func() { windowCap = old }
}
