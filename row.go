package saydo

// Row is one record read from an import file, before validation: a CSV
// record or a JSON Lines object.
type Row struct {
	// Line is the 1-based line where the record starts.
	Line int64
	// Names are the field names; CSV rows share their header's slice.
	Names []string
	// Values are the field values, as text, parallel to Names.
	Values []string
	// Err is set when the record itself is malformed (wrong column count,
	// invalid UTF-8, unparsable JSON); Names and Values may then be empty.
	Err error
	// Raw is the record's text as read, for a malformed record the reader
	// could not split into fields (an open quote, a broken JSON line), so a
	// rejects file can keep it to be fixed and imported again. It is empty
	// for records that were split, and for lines too long to keep.
	Raw string
}

// RowReader reads an import file a record at a time, in constant memory.
type RowReader interface {
	// Next returns the next row, or io.EOF after the last. A malformed
	// record is returned with Row.Err set and a nil error; a non-nil error
	// means the file cannot be read further.
	Next() (Row, error)
}
