package csv

import (
	stdcsv "encoding/csv"
	"io"
)

func stdcsvReader(r io.Reader) *stdcsv.Reader {
	cr := stdcsv.NewReader(r)
	cr.ReuseRecord = true
	return cr
}
