package saydo

import (
	"math"
	"strings"
)

// Suggest returns the candidate closest to s when it is close enough to be
// a typo, for the "did you mean" of an error: the same letters ignoring
// case, _ and -, or an edit distance of at most 2 (1 for short words);
// "" when none is.
func Suggest(s string, candidates []string) string {
	norm := func(x string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(x))
	}
	best, bestD := "", math.MaxInt
	for _, cand := range candidates {
		if norm(cand) == norm(s) {
			return cand
		}
		if d := distance(strings.ToLower(s), cand); d < bestD {
			best, bestD = cand, d
		}
	}
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
