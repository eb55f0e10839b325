package voice

import "testing"

// TestRealZeroShotBlindB: a second set of promises written blind
// (promises_blindb_test.go), the dev set for changes aimed at promises
// written by someone else; the first blind set stays held out.
func TestRealZeroShotBlindB(t *testing.T) {
	bank, cfpb := bankSplitsOf(t, blindBBankGold), cfpbSplitsOf(t, blindBCFPBGold)
	for i := range bank {
		zeroShotReport(t, "BANKING77 blind B", blindBBankPromises, bank[i])
	}
	for i := range cfpb {
		zeroShotReport(t, "CFPB blind B", blindBCFPBPromises, cfpb[i])
	}
}
