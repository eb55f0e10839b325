package voice

import "github.com/saydo/saydo"

// Blind set B: written from label names only (BANKING77 categories.json and
// CFPB Issue counts), without reading product code, the other blind set, or
// any dataset text.

// A second set written blind by another helper agent (2026-12-02), from
// the label names only: the dev set for changes aimed at promises written
// by someone else (TestRealZeroShotBlindB).
var blindBBankPromises = []saydo.Promise{
	{
		ID:     "card-in-3-days",
		Says:   "Your Lumo card is in your mailbox within 3 working days of ordering.",
		Metric: "card_delivery_days",
		Voice: map[string][]string{
			"en": {"card still hasn't arrived", "ordered my card weeks ago", "where is my card", "no sign of the card in the post", "how long does delivery take"},
		},
	},
	{
		ID:     "transfers-same-day",
		Says:   "Every transfer you send reaches the recipient the same day.",
		Metric: "transfer_completion_hours",
		Voice: map[string][]string{
			"en": {"transfer still pending", "my friend never got the money", "money left my account but didn't arrive", "days and the transfer is not there", "balance didn't change after the transfer"},
		},
	},
	{
		ID:     "no-hidden-fees",
		Says:   "No hidden fees: you see every fee before you pay it.",
		Metric: "unexpected_fee_count",
		Voice: map[string][]string{
			"en": {"charged a fee I didn't know about", "why is there an extra charge", "nobody told me about this fee", "surprise charge on my statement", "you said it was free"},
		},
	},
	{
		ID:     "real-exchange-rate",
		Says:   "Abroad you always get the real exchange rate shown in the app, with no markup.",
		Metric: "exchange_rate_markup_pct",
		Voice: map[string][]string{
			"en": {"the rate was worse than the app showed", "wrong exchange rate", "got less than the going rate", "rate doesn't match the one online", "conversion was off"},
		},
	},
	{
		ID:     "instant-top-ups",
		Says:   "Money you add to Lumo shows in your balance instantly.",
		Metric: "top_up_settlement_seconds",
		Voice: map[string][]string{
			"en": {"top up still pending", "added money but balance is the same", "my top-up failed", "top up got reversed", "deposit not showing"},
		},
	},
	{
		ID:     "refunds-in-5-days",
		Says:   "Refunds land in your account within 5 days of the merchant issuing them.",
		Metric: "refund_arrival_days",
		Voice: map[string][]string{
			"en": {"refund still not showing", "shop says they refunded me", "waiting forever for my money back", "where is my refund", "payment got reverted but no money"},
		},
	},
	{
		ID:     "unrecognised-payments-fixed-24h",
		Says:   "Any payment you don't recognise is investigated and, if it's not yours, refunded within 24 hours.",
		Metric: "disputed_payment_resolution_hours",
		Voice: map[string][]string{
			"en": {"I didn't make this payment", "charged twice for the same thing", "strange transaction on my account", "someone used my card", "withdrawal I never made"},
		},
	},
	{
		ID:     "verified-in-10-minutes",
		Says:   "Verifying your identity takes less than 10 minutes, all inside the app.",
		Metric: "identity_verification_minutes",
		Voice: map[string][]string{
			"en": {"verification keeps failing", "stuck on identity check", "can't verify my ID", "why do you need all these documents", "still not verified after days"},
		},
	},
}

var blindBBankGold = map[string]string{
	"card_arrival":           "card-in-3-days",
	"card_delivery_estimate": "card-in-3-days",

	"transfer_not_received_by_recipient":      "transfers-same-day",
	"pending_transfer":                        "transfers-same-day",
	"transfer_timing":                         "transfers-same-day",
	"balance_not_updated_after_bank_transfer": "transfers-same-day",

	"extra_charge_on_statement":      "no-hidden-fees",
	"card_payment_fee_charged":       "no-hidden-fees",
	"transfer_fee_charged":           "no-hidden-fees",
	"top_up_by_card_charge":          "no-hidden-fees",
	"top_up_by_bank_transfer_charge": "no-hidden-fees",
	"cash_withdrawal_charge":         "no-hidden-fees",
	"exchange_charge":                "no-hidden-fees",

	"card_payment_wrong_exchange_rate":        "real-exchange-rate",
	"wrong_exchange_rate_for_cash_withdrawal": "real-exchange-rate",
	"exchange_rate":                           "real-exchange-rate",

	"pending_top_up":  "instant-top-ups",
	"top_up_failed":   "instant-top-ups",
	"top_up_reverted": "instant-top-ups",
	"balance_not_updated_after_cheque_or_cash_deposit": "instant-top-ups",

	"Refund_not_showing_up":  "refunds-in-5-days",
	"request_refund":         "refunds-in-5-days",
	"reverted_card_payment?": "refunds-in-5-days",

	"card_payment_not_recognised":         "unrecognised-payments-fixed-24h",
	"cash_withdrawal_not_recognised":      "unrecognised-payments-fixed-24h",
	"direct_debit_payment_not_recognised": "unrecognised-payments-fixed-24h",
	"transaction_charged_twice":           "unrecognised-payments-fixed-24h",
	"compromised_card":                    "unrecognised-payments-fixed-24h",

	"unable_to_verify_identity": "verified-in-10-minutes",
	"verify_my_identity":        "verified-in-10-minutes",
	"why_verify_identity":       "verified-in-10-minutes",
}

var blindBCFPBPromises = []saydo.Promise{
	{
		ID:     "accurate-credit-reporting",
		Says:   "We report only accurate, up-to-date information about your accounts to the credit bureaus.",
		Metric: "credit_report_error_rate",
		Voice: map[string][]string{
			"en": {"my credit report is wrong", "account listed as late when I paid on time", "this account is not mine", "balance reported incorrectly", "still showing a debt I paid off"},
		},
	},
	{
		ID:     "disputes-answered-30-days",
		Says:   "We investigate every dispute you raise and give you a written answer within 30 days.",
		Metric: "dispute_resolution_days",
		Voice: map[string][]string{
			"en": {"disputed it and nothing changed", "they never investigated", "no response to my dispute", "verified it without looking at my evidence", "charge I disputed is still there"},
		},
	},
	{
		ID:     "collect-only-what-is-owed",
		Says:   "We only collect debts you actually owe, and we send written proof of the debt on request.",
		Metric: "debt_validation_days",
		Voice: map[string][]string{
			"en": {"I don't owe this debt", "never got any letter about this debt", "asked for validation and got nothing", "they lied about how much I owe", "collecting on a debt that isn't mine"},
		},
	},
	{
		ID:     "respectful-collections",
		Says:   "Our collectors never threaten, harass or call you at unreasonable hours.",
		Metric: "collection_conduct_complaints",
		Voice: map[string][]string{
			"en": {"threatened to sue me", "calling me nonstop", "harassing my family", "rude collector", "said they would garnish my wages"},
		},
	},
	{
		ID:     "hardship-plan-in-5-days",
		Says:   "If you are struggling to pay, we offer you a hardship plan within 5 business days.",
		Metric: "hardship_response_days",
		Voice: map[string][]string{
			"en": {"asked for help and got nowhere", "loan modification denied without reason", "no forbearance offered", "facing foreclosure and nobody helps", "can't get a payment plan"},
		},
	},
	{
		ID:     "payments-applied-same-day",
		Says:   "Every payment you make is applied to your account the same day we receive it.",
		Metric: "payment_posting_days",
		Voice: map[string][]string{
			"en": {"payment not applied", "website wouldn't take my payment", "charged late fee even though I paid", "payment went missing", "autopay didn't go through"},
		},
	},
	{
		ID:     "no-surprise-fees",
		Says:   "No surprise fees or interest: every cost is disclosed before it applies, and offers are honored as advertised.",
		Metric: "unexpected_fee_count",
		Voice: map[string][]string{
			"en": {"charged interest I was told I wouldn't pay", "overdraft fees piling up", "promo rate was not honored", "hidden fees", "bonus never paid out"},
		},
	},
	{
		ID:     "account-requests-in-2-days",
		Says:   "Any request about managing or closing your account is handled within 2 business days.",
		Metric: "servicing_request_response_days",
		Voice: map[string][]string{
			"en": {"can't get anyone to close my account", "servicer won't respond", "been transferred around for weeks", "they keep losing my paperwork", "account still open after I asked to close it"},
		},
	},
}

var blindBCFPBGold = map[string]string{
	"Incorrect information on your report": "accurate-credit-reporting",

	"Problem with a credit reporting company's investigation into an existing problem": "disputes-answered-30-days",
	"Problem with a purchase shown on your statement":                                  "disputes-answered-30-days",

	"Attempts to collect debt not owed":  "collect-only-what-is-owed",
	"Written notification about debt":    "collect-only-what-is-owed",
	"False statements or representation": "collect-only-what-is-owed",

	"Took or threatened to take negative or legal action": "respectful-collections",
	"Communication tactics":                               "respectful-collections",

	"Struggling to pay mortgage":    "hardship-plan-in-5-days",
	"Struggling to pay your loan":   "hardship-plan-in-5-days",
	"Struggling to repay your loan": "hardship-plan-in-5-days",

	"Trouble during payment process": "payments-applied-same-day",
	"Problem when making payments":   "payments-applied-same-day",

	"Fees or interest":                                        "no-surprise-fees",
	"Problem caused by your funds being low":                  "no-surprise-fees",
	"Advertising and marketing, including promotional offers": "no-surprise-fees",

	"Managing an account":                  "account-requests-in-2-days",
	"Dealing with your lender or servicer": "account-requests-in-2-days",
	"Managing the loan or lease":           "account-requests-in-2-days",
	"Closing an account":                   "account-requests-in-2-days",
}
