// name: load_sources
// purpose: Create or update Source nodes, one per row of sources.csv.
// param: rows (list, required): one list per source, laid out as in `row`
// row: [id, publisher, title, date, url, note, load_order]
// mode: write
// note: load_order is the record's place in its file, so that a pull writes the rows back in the same order.
UNWIND $rows AS row
MERGE (s:Source {id: row[0]})
SET s.publisher = row[1], s.title = row[2], s.date = row[3], s.url = row[4], s.note = row[5],
    s.load_order = row[6]
