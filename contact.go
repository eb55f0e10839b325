package saydo

import (
	"context"
	"time"
)

// Intent is what an outbound contact means to the customer.
type Intent string

// Intents of a contact.
const (
	// IntentOffer sells: an upsell, a cross-sell, a promotion.
	IntentOffer Intent = "offer"
	// IntentReminder reminds before anything happens (a due date).
	IntentReminder Intent = "reminder"
	// IntentWarning announces a consequence: credit bureau, suspension,
	// legal action, a collection agency.
	IntentWarning Intent = "warning"
	// IntentSurvey asks for feedback (NPS, CSAT, CES).
	IntentSurvey Intent = "survey"
	// IntentService notifies (an order shipped, an outage).
	IntentService Intent = "service"
	// IntentResolution tells the customer a complaint is resolved; it
	// closes the customer's open complaints.
	IntentResolution Intent = "resolution"
)

// Intents lists every intent.
var Intents = []Intent{IntentOffer, IntentReminder, IntentWarning, IntentSurvey, IntentService, IntentResolution}

// ValidIntent reports whether s is one of Intents.
func ValidIntent(s string) bool {
	for _, i := range Intents {
		if string(i) == s {
			return true
		}
	}
	return false
}

// Contact is one thing the company sent or said to one customer: an SMS,
// an email, a letter, a call.
type Contact struct {
	// Key identifies the contact for idempotent import, within its
	// customer and At (see ContactKey).
	Key        uint64
	SourceID   string
	Customer   string
	At         time.Time
	Department string
	Channel    string
	Intent     Intent
	// Message is the catalogue message sent, when known.
	Message string
}

// ContactKey returns the key that makes re-importing a contact a no-op:
// the source id when there is one, otherwise what the contact was
// (ContactIdentity) and its occurrence, how many contacts of the same
// input that were the same came before it, as ObservationKey does: the
// same log again, in another order or overlapping the last export, adds
// nothing twice.
func ContactKey(c *Contact, occurrence int64) uint64 {
	if c.SourceID != "" {
		return contactIDKey(c.Customer, c.SourceID)
	}
	return OccurrenceKey(ContactIdentity(c), occurrence)
}

// ContactIdentity hashes what a contact without a source id is known by:
// its customer, time (to the millisecond the stores keep), department,
// channel, intent and message.
func ContactIdentity(c *Contact) uint64 {
	h := fnvString(fnvOffset, c.Customer)
	h = fnvString(h, "contact")
	h = fnvUint64(h, uint64(c.At.UnixMilli()))
	h = fnvString(h, c.Department)
	h = fnvString(h, c.Channel)
	h = fnvString(h, string(c.Intent))
	return fnvString(h, c.Message)
}

// contactIDKey is the key of a contact with a source id.
func contactIDKey(customer, sourceID string) uint64 {
	return fnvString(fnvString(fnvString(fnvOffset, customer), "id"), sourceID) >> 1
}

// Complaint is a feedback item of kind complaint from a known customer: it
// is open from At until a resolution contact to the customer, or for the
// journeys' complaint_open_days.
type Complaint struct {
	// ID is the feedback's source id, or its key in decimal when it had none.
	ID       string
	Customer string
	At       time.Time
	// Department is the feedback's department attribute, when it has one:
	// the department the complaint is about.
	Department string
	Channel    string
}

// ContactStore keeps outbound contacts and finds the complaints the
// journey rules weigh them against.
type ContactStore interface {
	// BeginContacts starts a write transaction for importing contacts.
	BeginContacts(ctx context.Context) (ContactTx, error)
	// ScanContacts calls fn for every contact with from <= At < to (zero
	// times are unbounded). Each customer's contacts come in (At, Key)
	// order; contacts of different customers may interleave. The Contact
	// passed to fn is only valid during the call.
	ScanContacts(ctx context.Context, from, to time.Time, fn func(*Contact) error) error
	// ScanContactPacks calls fn with the contact packs (ContactPacker,
	// DecodeContactMonth) of each bucket and month with fromMonth <= month
	// <= toMonth (ContactMonth), by bucket then month, a bucket's month's
	// packs in one call in the order they were written. The packs are fn's
	// to keep. Every import writes the packs of the contacts it adds in the
	// same transaction.
	ScanContactPacks(ctx context.Context, fromMonth, toMonth int64, fn func(bucket int, month int64, packs [][]byte) error) error
	// ContactKinds returns the kinds the contact packs name, by id.
	ContactKinds(ctx context.Context) (map[int64]*PackedKind, error)
	// CustomerContacts returns one customer's contacts with from <= At <
	// to, in (At, Key) order.
	CustomerContacts(ctx context.Context, customer string, from, to time.Time) ([]Contact, error)
	// CustomerHistory returns what the check before a send weighs: the
	// customer's contacts with contactsFrom <= At < to, in (At, Key)
	// order, and its complaints with complaintsFrom <= At < to, in At
	// order, as CustomerContacts and CustomerComplaints would, in one read
	// where the store can.
	CustomerHistory(ctx context.Context, customer string, contactsFrom, complaintsFrom, to time.Time) ([]Contact, []Complaint, error)
	// CountContacts returns how many contacts are stored.
	CountContacts(ctx context.Context) (int64, error)
	// ScanComplaints calls fn for every complaint with from <= At < to
	// (zero times are unbounded), in (Customer, At) order.
	ScanComplaints(ctx context.Context, from, to time.Time, fn func(*Complaint) error) error
	// CustomerComplaints returns one customer's complaints with from <= At
	// < to, in At order.
	CustomerComplaints(ctx context.Context, customer string, from, to time.Time) ([]Complaint, error)
}

// ContactTx is one contacts import transaction. Nothing it inserted is
// visible to readers, or survives a crash, until Commit.
type ContactTx interface {
	// Insert adds contacts, skipping those whose Key is already stored for
	// the same customer and At, and returns how many were new.
	Insert(batch []Contact) (inserted int, err error)
	Commit() error
	Rollback() error
}
