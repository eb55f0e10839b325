package voice

import "testing"

// TestRealZeroShotBlindD: a fourth set of promises written blind by
// another helper (promises_blindd_test.go), from the label names only,
// committed before any evaluation ran with it; every split is out of
// sample for it (docs/voice.md, "Promises written blind").
func TestRealZeroShotBlindD(t *testing.T) {
	blindSetReport(t, "blind D", blindDBankPromises, blindDBankGold, blindDCFPBPromises, blindDCFPBGold)
}
