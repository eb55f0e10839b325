package voice

import "testing"

// TestRealZeroShotBlindC: a third set of promises written blind by
// another helper (promises_blindc_test.go), committed before any
// evaluation ran with it; every split is out of sample for it
// (docs/voice.md, "Promises written blind").
func TestRealZeroShotBlindC(t *testing.T) {
	blindSetReport(t, "blind C", blindCBankPromises, blindCBankGold, blindCCFPBPromises, blindCCFPBGold)
}
