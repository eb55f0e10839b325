// Blind set C: written from label names only (BANKING77 categories.json and CFPB Issue counts), without reading product code, the other promise sets, or any dataset text.
// Date: 2026-12-02.

package voice

import "github.com/saydo/saydo"

// Harbourline Bank: a fictional retail/digital bank.
var blindCBankPromises = []saydo.Promise{
	{
		ID:     "card-in-five-days",
		Says:   "Your new card arrives within five working days of ordering it.",
		Metric: "card_delivery_days",
		Voice: map[string][]string{
			"en": {"my card hasn't arrived", "still waiting for my card", "when will my card come", "card never showed up in the post"},
		},
	},
	{
		ID:     "transfers-next-day",
		Says:   "Money you send reaches the recipient by the next working day.",
		Metric: "transfer_completion_hours",
		Voice: map[string][]string{
			"en": {"transfer still pending", "the money never arrived", "recipient didn't get the money", "how long does a transfer take", "my transfer failed"},
		},
	},
	{
		ID:     "no-hidden-fees",
		Says:   "No hidden fees: any charge is shown to you before you pay it.",
		Metric: "unexpected_fee_complaints",
		Voice: map[string][]string{
			"en": {"why was I charged a fee", "extra charge on my statement", "I didn't know there was a fee", "hidden charges", "charged for withdrawing cash"},
		},
	},
	{
		ID:     "real-exchange-rate",
		Says:   "Spend abroad at the real exchange rate, with no markup.",
		Metric: "fx_rate_deviation_bps",
		Voice: map[string][]string{
			"en": {"wrong exchange rate", "the rate was worse than advertised", "I got less than the market rate", "exchange rate on my payment abroad was off"},
		},
	},
	{
		ID:     "card-just-works",
		Says:   "Your card works at shops, online and at ATMs, wherever you are.",
		Metric: "card_decline_rate",
		Voice: map[string][]string{
			"en": {"my card was declined", "card not working", "contactless doesn't work", "the ATM ate my card", "shop wouldn't accept my card"},
		},
	},
	{
		ID:     "protected-from-fraud",
		Says:   "If your card is lost, stolen or misused, we block it instantly and you never pay for fraud.",
		Metric: "fraud_resolution_hours",
		Voice: map[string][]string{
			"en": {"I lost my card", "my card was stolen", "there's a payment I don't recognise", "someone used my card", "I think my account was hacked"},
		},
	},
	{
		ID:     "refunds-in-three-days",
		Says:   "Refunds and reversed payments are back in your balance within three days.",
		Metric: "refund_posting_days",
		Voice: map[string][]string{
			"en": {"where is my refund", "refund not showing up", "I was charged twice", "merchant refunded but I don't see it"},
		},
	},
	{
		ID:     "instant-top-ups",
		Says:   "Top-ups and deposits show in your balance straight away.",
		Metric: "top_up_posting_minutes",
		Voice: map[string][]string{
			"en": {"top up is still pending", "my top-up failed", "balance didn't update", "deposited cash but it's not showing", "top up got reversed"},
		},
	},
}

var blindCBankGold = map[string]string{
	"card_arrival":           "card-in-five-days",
	"card_delivery_estimate": "card-in-five-days",

	"transfer_timing":                         "transfers-next-day",
	"pending_transfer":                        "transfers-next-day",
	"transfer_not_received_by_recipient":      "transfers-next-day",
	"balance_not_updated_after_bank_transfer": "transfers-next-day",
	"failed_transfer":                         "transfers-next-day",

	"extra_charge_on_statement":      "no-hidden-fees",
	"card_payment_fee_charged":       "no-hidden-fees",
	"transfer_fee_charged":           "no-hidden-fees",
	"top_up_by_bank_transfer_charge": "no-hidden-fees",
	"top_up_by_card_charge":          "no-hidden-fees",
	"cash_withdrawal_charge":         "no-hidden-fees",
	"exchange_charge":                "no-hidden-fees",

	"exchange_rate":                           "real-exchange-rate",
	"card_payment_wrong_exchange_rate":        "real-exchange-rate",
	"wrong_exchange_rate_for_cash_withdrawal": "real-exchange-rate",

	"card_not_working":         "card-just-works",
	"contactless_not_working":  "card-just-works",
	"declined_card_payment":    "card-just-works",
	"declined_cash_withdrawal": "card-just-works",
	"card_acceptance":          "card-just-works",
	"virtual_card_not_working": "card-just-works",
	"card_swallowed":           "card-just-works",

	"lost_or_stolen_card":                 "protected-from-fraud",
	"compromised_card":                    "protected-from-fraud",
	"lost_or_stolen_phone":                "protected-from-fraud",
	"card_payment_not_recognised":         "protected-from-fraud",
	"direct_debit_payment_not_recognised": "protected-from-fraud",
	"cash_withdrawal_not_recognised":      "protected-from-fraud",

	"request_refund":            "refunds-in-three-days",
	"Refund_not_showing_up":     "refunds-in-three-days",
	"reverted_card_payment?":    "refunds-in-three-days",
	"transaction_charged_twice": "refunds-in-three-days",

	"pending_top_up":  "instant-top-ups",
	"top_up_failed":   "instant-top-ups",
	"top_up_reverted": "instant-top-ups",
	"balance_not_updated_after_cheque_or_cash_deposit": "instant-top-ups",
}

// Meridian Credit Services: a fictional credit bureau, lender and collector.
var blindCCFPBPromises = []saydo.Promise{
	{
		ID:     "accurate-credit-report",
		Says:   "Everything on your credit report is accurate and belongs to you.",
		Metric: "report_error_rate",
		Voice: map[string][]string{
			"en": {"incorrect information on my credit report", "this account is not mine", "my report shows a late payment I never made", "wrong balance reported", "please remove this inaccurate item"},
		},
	},
	{
		ID:     "disputes-resolved-30-days",
		Says:   "Every dispute you raise is genuinely investigated and answered within 30 days.",
		Metric: "dispute_resolution_days",
		Voice: map[string][]string{
			"en": {"I disputed this and nothing changed", "they verified it without investigating", "no response to my dispute", "the investigation was a rubber stamp", "still waiting on my dispute results"},
		},
	},
	{
		ID:     "only-debts-you-owe",
		Says:   "We only collect debts you actually owe, and we prove it in writing when you ask.",
		Metric: "debt_validation_failures",
		Voice: map[string][]string{
			"en": {"I don't owe this debt", "they won't validate the debt", "collecting on a debt that isn't mine", "never received a validation letter", "this debt was already paid"},
		},
	},
	{
		ID:     "respectful-collection",
		Says:   "We never harass, threaten or mislead you when collecting a debt.",
		Metric: "collection_conduct_complaints",
		Voice: map[string][]string{
			"en": {"they keep calling me", "threatened to sue me", "they called my employer", "lied about what I owe", "harassing phone calls"},
		},
	},
	{
		ID:     "your-data-protected",
		Says:   "Your credit file is only seen by those you allow, and freezes and fraud alerts work the moment you ask.",
		Metric: "unauthorized_inquiry_rate",
		Voice: map[string][]string{
			"en": {"hard inquiry I never authorized", "someone pulled my credit without permission", "can't place a security freeze", "fraud alert not working", "can't get a copy of my credit report"},
		},
	},
	{
		ID:     "easy-payments",
		Says:   "Paying us is simple, and every payment is applied to your account on time.",
		Metric: "payment_posting_errors",
		Voice: map[string][]string{
			"en": {"my payment wasn't applied", "the website won't take my payment", "they misapplied my payment", "autopay didn't go through", "charged a late fee even though I paid on time"},
		},
	},
	{
		ID:     "no-surprise-fees",
		Says:   "No surprise fees or interest: the terms you sign are the terms you pay.",
		Metric: "unexpected_charge_complaints",
		Voice: map[string][]string{
			"en": {"fees I didn't expect", "interest rate went up without notice", "they never disclosed this charge", "the promotional offer wasn't honored", "overdraft fees"},
		},
	},
	{
		ID:     "help-when-struggling",
		Says:   "If you are struggling to pay, we will work out a plan with you before anything else.",
		Metric: "hardship_plan_offer_rate",
		Voice: map[string][]string{
			"en": {"I can't afford my payments", "asked for a modification and got denied", "facing foreclosure", "no one will help me with a payment plan", "lost my job and can't pay"},
		},
	},
}

var blindCCFPBGold = map[string]string{
	"Incorrect information on your report": "accurate-credit-report",

	"Problem with a credit reporting company's investigation into an existing problem": "disputes-resolved-30-days",
	"Problem with a company's investigation into an existing issue":                    "disputes-resolved-30-days",

	"Attempts to collect debt not owed":     "only-debts-you-owe",
	"Cont'd attempts collect debt not owed": "only-debts-you-owe",
	"Written notification about debt":       "only-debts-you-owe",
	"Disclosure verification of debt":       "only-debts-you-owe",

	"Communication tactics":                                         "respectful-collection",
	"Took or threatened to take negative or legal action":           "respectful-collection",
	"False statements or representation":                            "respectful-collection",
	"Taking/threatening an illegal action":                          "respectful-collection",
	"Threatened to contact someone or share information improperly": "respectful-collection",
	"Improper contact or sharing of info":                           "respectful-collection",

	"Improper use of your report":                             "your-data-protected",
	"Problem with fraud alerts or security freezes":           "your-data-protected",
	"Unable to get your credit report or credit score":        "your-data-protected",
	"Credit monitoring or identity theft protection services": "your-data-protected",
	"Identity theft protection or other monitoring services":  "your-data-protected",

	"Trouble during payment process": "easy-payments",
	"Problem when making payments":   "easy-payments",

	"Fees or interest":                                        "no-surprise-fees",
	"Charged fees or interest you didn't expect":              "no-surprise-fees",
	"Charged fees or interest I didn't expect":                "no-surprise-fees",
	"Unexpected or other fees":                                "no-surprise-fees",
	"Confusing or missing disclosures":                        "no-surprise-fees",
	"Advertising and marketing, including promotional offers": "no-surprise-fees",

	"Struggling to pay mortgage":    "help-when-struggling",
	"Struggling to pay your loan":   "help-when-struggling",
	"Struggling to repay your loan": "help-when-struggling",
	"Struggling to pay your bill":   "help-when-struggling",
}
