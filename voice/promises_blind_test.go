package voice

import "github.com/saydo/saydo"

// Written blind by a helper agent (2026-12-02) from the label names only
// (BANKING77 categories.json, the CFPB Issue values): it saw neither
// saydo's code nor any text of the data (TestRealZeroShotBlindPromises).
var blindBankPromises = []saydo.Promise{
	{ID: "card-in-5-days", Says: "Your new card arrives within 5 working days of ordering it.", Metric: "card_delivery_days",
		Voice: map[string][]string{"en": {"card still hasn't arrived", "where is my card", "ordered my card weeks ago", "card never came", "how long until my card arrives"}}},
	{ID: "transfers-same-day", Says: "Your transfers reach the recipient the same working day.", Metric: "transfer_completion_hours",
		Voice: map[string][]string{"en": {"transfer still pending", "recipient hasn't received the money", "transfer failed", "money not arrived yet", "my transfer was declined"}}},
	{ID: "no-hidden-fees", Says: "We never charge you a fee we did not show you upfront.", Metric: "unexpected_fee_count",
		Voice: map[string][]string{"en": {"charged a fee", "extra charge on my statement", "why was I charged", "hidden fees", "didn't know there was a fee"}}},
	{ID: "fair-exchange-rate", Says: "You always get the real exchange rate we show in the app.", Metric: "exchange_rate_deviation_pct",
		Voice: map[string][]string{"en": {"wrong exchange rate", "rate was worse than shown", "got less than expected abroad", "exchange rate is off"}}},
	{ID: "block-lost-card-instantly", Says: "If your card or phone is lost, stolen or compromised, you can block it instantly and we protect your money.", Metric: "card_block_seconds",
		Voice: map[string][]string{"en": {"my card was stolen", "lost my card", "someone used my card", "lost my phone", "card has been compromised"}}},
	{ID: "unknown-charges-resolved", Says: "We investigate any payment you don't recognise and resolve it within 48 hours.", Metric: "dispute_resolution_hours",
		Voice: map[string][]string{"en": {"I don't recognise this payment", "charged twice", "payment I didn't make", "strange direct debit", "withdrawal I didn't do"}}},
	{ID: "instant-top-up", Says: "Your top-ups show up in your balance instantly.", Metric: "top_up_completion_seconds",
		Voice: map[string][]string{"en": {"top up still pending", "top up failed", "top up was reverted", "money not in my balance", "topped up but nothing"}}},
	{ID: "card-works-everywhere", Says: "Your card works wherever card payments are accepted.", Metric: "card_payment_decline_rate",
		Voice: map[string][]string{"en": {"card declined", "card not working", "contactless doesn't work", "virtual card not working", "payment keeps getting rejected"}}},
}

var blindBankGold = map[string]string{
	"card_arrival":           "card-in-5-days",
	"card_delivery_estimate": "card-in-5-days",
	"order_physical_card":    "card-in-5-days",

	"transfer_not_received_by_recipient":      "transfers-same-day",
	"pending_transfer":                        "transfers-same-day",
	"transfer_timing":                         "transfers-same-day",
	"balance_not_updated_after_bank_transfer": "transfers-same-day",
	"failed_transfer":                         "transfers-same-day",
	"declined_transfer":                       "transfers-same-day",

	"extra_charge_on_statement":      "no-hidden-fees",
	"card_payment_fee_charged":       "no-hidden-fees",
	"transfer_fee_charged":           "no-hidden-fees",
	"top_up_by_card_charge":          "no-hidden-fees",
	"top_up_by_bank_transfer_charge": "no-hidden-fees",
	"cash_withdrawal_charge":         "no-hidden-fees",
	"exchange_charge":                "no-hidden-fees",

	"card_payment_wrong_exchange_rate":        "fair-exchange-rate",
	"wrong_exchange_rate_for_cash_withdrawal": "fair-exchange-rate",
	"exchange_rate":                           "fair-exchange-rate",

	"lost_or_stolen_card":  "block-lost-card-instantly",
	"compromised_card":     "block-lost-card-instantly",
	"lost_or_stolen_phone": "block-lost-card-instantly",

	"card_payment_not_recognised":         "unknown-charges-resolved",
	"direct_debit_payment_not_recognised": "unknown-charges-resolved",
	"cash_withdrawal_not_recognised":      "unknown-charges-resolved",
	"transaction_charged_twice":           "unknown-charges-resolved",

	"pending_top_up":  "instant-top-up",
	"top_up_failed":   "instant-top-up",
	"top_up_reverted": "instant-top-up",

	"card_not_working":         "card-works-everywhere",
	"declined_card_payment":    "card-works-everywhere",
	"contactless_not_working":  "card-works-everywhere",
	"virtual_card_not_working": "card-works-everywhere",
}

var blindCFPBPromises = []saydo.Promise{
	{ID: "accurate-credit-report", Says: "Everything on your credit report is accurate and belongs to you.", Metric: "report_error_rate",
		Voice: map[string][]string{"en": {"account on my report is not mine", "wrong information on my credit report", "inaccurate late payment", "this is not my account", "report shows incorrect balance"}}},
	{ID: "disputes-fixed-in-30-days", Says: "We fully investigate every dispute and give you a clear answer within 30 days.", Metric: "dispute_resolution_days",
		Voice: map[string][]string{"en": {"they never investigated my dispute", "dispute still not resolved", "they verified it without checking", "no response to my dispute", "disputed multiple times"}}},
	{ID: "collect-only-valid-debts", Says: "We only collect debts you actually owe, and we send you written proof of every debt.", Metric: "invalid_collection_rate",
		Voice: map[string][]string{"en": {"I don't owe this debt", "never received a validation letter", "debt is not mine", "already paid this debt", "no proof of the debt"}}},
	{ID: "respectful-collection", Says: "Our collectors are always truthful and respectful, and never threaten or harass you.", Metric: "collection_conduct_complaints",
		Voice: map[string][]string{"en": {"they keep calling me", "threatened to sue me", "harassing phone calls", "lied to me about the debt", "threatened to garnish my wages"}}},
	{ID: "your-data-protected", Says: "We only share your credit file with your permission and honour your fraud alerts and freezes right away.", Metric: "unauthorized_access_count",
		Voice: map[string][]string{"en": {"hard inquiry I didn't authorize", "pulled my credit without permission", "freeze not working", "fraud alert was not placed", "identity theft not handled"}}},
	{ID: "payments-applied-correctly", Says: "Every payment you make is applied correctly and on time.", Metric: "payment_misapplication_rate",
		Voice: map[string][]string{"en": {"payment not applied", "they lost my payment", "payment was credited late", "couldn't make a payment online", "charged a late fee even though I paid"}}},
	{ID: "hardship-help", Says: "If you struggle to pay, we offer you a workable plan within 10 days.", Metric: "hardship_response_days",
		Voice: map[string][]string{"en": {"can't afford my payments", "denied a loan modification", "no help with forbearance", "facing foreclosure", "they won't work with me"}}},
	{ID: "clear-fees-and-offers", Says: "Our fees, interest and offers are exactly as we advertised them.", Metric: "fee_complaint_rate",
		Voice: map[string][]string{"en": {"interest rate higher than promised", "unexpected fees", "promotional offer not honored", "overdraft fee", "misleading advertising"}}},
}

var blindCFPBGold = map[string]string{
	"Incorrect information on your report": "accurate-credit-report",

	"Problem with a credit reporting company's investigation into an existing problem": "disputes-fixed-in-30-days",

	"Attempts to collect debt not owed": "collect-only-valid-debts",
	"Written notification about debt":   "collect-only-valid-debts",

	"Communication tactics":                               "respectful-collection",
	"Took or threatened to take negative or legal action": "respectful-collection",
	"False statements or representation":                  "respectful-collection",

	"Improper use of your report":                             "your-data-protected",
	"Problem with fraud alerts or security freezes":           "your-data-protected",
	"Credit monitoring or identity theft protection services": "your-data-protected",

	"Trouble during payment process": "payments-applied-correctly",
	"Problem when making payments":   "payments-applied-correctly",

	"Struggling to pay mortgage":    "hardship-help",
	"Struggling to pay your loan":   "hardship-help",
	"Struggling to repay your loan": "hardship-help",

	"Fees or interest": "clear-fees-and-offers",
	"Advertising and marketing, including promotional offers": "clear-fees-and-offers",
	"Problem caused by your funds being low":                  "clear-fees-and-offers",
}
