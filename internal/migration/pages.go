package migration

import "math"

// TimePages walks rows stored in time order (Unix milliseconds) a page at
// a time, for migrations that rewrite the rows they read: each page ends
// at a whole millisecond, so a row rewritten within its millisecond is
// never read twice, and a millisecond holding more than a page is read
// whole. read returns up to limit rows from the millisecond from on, in
// time order; readAt returns every row of one millisecond; at gives a
// row's millisecond; fn handles a page.
func TimePages[R any](limit int, at func(*R) int64, read func(from int64, limit int) ([]R, error), readAt func(ms int64) ([]R, error), fn func([]R) error) error {
	from := int64(math.MinInt64)
	for {
		page, err := read(from, limit)
		if err != nil {
			return err
		}
		done := len(page) < limit
		if !done {
			last := at(&page[len(page)-1])
			if at(&page[0]) == last {
				if page, err = readAt(last); err != nil {
					return err
				}
				done = last == math.MaxInt64
				from = last + 1
			} else {
				for at(&page[len(page)-1]) == last {
					page = page[:len(page)-1]
				}
				from = last // the next page starts with the rest of this millisecond
			}
		}
		if err := fn(page); err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}
