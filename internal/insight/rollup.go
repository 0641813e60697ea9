package insight

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gaoxin/internal/db"
	"gaoxin/internal/enterprise"
	"gaoxin/internal/errs"
	"gaoxin/internal/memo"
)

// The rollups are kept by state, not by replaying events: applying a
// change recomputes the enterprise's contribution from the registry as it
// stands, takes the contribution last applied (insight_contributions) off
// every cell it named and adds the new one. Applying an entry twice is then
// harmless, and the place in the feed only saves work; a rebuild
// recomputes every contribution and every cell from scratch, and must
// give the same tables (rollup_test.go).

// state is the applier's row.
type state struct {
	Seq, Enterprise int64
	Day             string
}

func (s *Service) lockState(ctx context.Context, tx *sql.Tx) (state, error) {
	var st state
	err := tx.QueryRowContext(ctx, "SELECT seq, enterprise_id, day FROM insight_state WHERE id = 1"+s.DB.ForUpdate()).Scan(&st.Seq, &st.Enterprise, &st.Day)
	if err != nil {
		return st, fmt.Errorf("insight: state: %w", err)
	}
	return st, nil
}

// Status says how far the rollups have followed the registry.
type Status struct {
	Applied   int64  `json:"applied"`    // the last feed number applied
	Latest    int64  `json:"latest"`     // the registry's newest
	AppliedAt int64  `json:"applied_at"` // Unix ms of the last apply that changed something
	RebuiltAt int64  `json:"rebuilt_at"` // Unix ms of the last rebuild (0: never)
	Day       string `json:"day"`        // the day whose certificates year 0 counts
}

// Behind reports whether registry changes wait to be applied.
func (st Status) Behind() bool { return st.Latest > st.Applied }

// State reads the rollups' status.
func (s *Service) State(ctx context.Context) (Status, error) {
	var st Status
	var ent int64
	err := s.DB.R.QueryRowContext(ctx, "SELECT seq, enterprise_id, applied_at, rebuilt_at, day FROM insight_state WHERE id = 1").
		Scan(&st.Applied, &ent, &st.AppliedAt, &st.RebuiltAt, &st.Day)
	if err != nil {
		return st, fmt.Errorf("insight: state: %w", err)
	}
	if ent != 0 {
		st.Applied-- // within a feed number: not all of it yet
	}
	st.Latest, err = s.Registry.LastChange(ctx, nil)
	return st, err
}

// Apply brings the rollups up to the registry's change feed, a batch per
// transaction, and reports how many feed entries it applied. Any number
// of app servers may call it at once: one applies, the others wait for
// its place and find nothing left.
func (s *Service) Apply(ctx context.Context) (int, error) {
	// Most calls find nothing to do: look before taking the writer.
	var seq, ent int64
	var day string
	if err := s.DB.R.QueryRowContext(ctx, "SELECT seq, enterprise_id, day FROM insight_state WHERE id = 1").Scan(&seq, &ent, &day); err != nil {
		return 0, fmt.Errorf("insight: state: %w", err)
	}
	latest, err := s.Registry.LastChange(ctx, nil)
	if err != nil {
		return 0, err
	}
	if seq == latest && ent == 0 && day >= s.today() {
		return 0, nil
	}
	// The next batch's entries and facts are read on the read pool while
	// the batch before is applied (readAhead): reading the facts was a
	// fifth of an import's apply.
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan *ahead)
	go s.readAhead(rctx, seq, ent, next)
	total := 0
	for {
		pre := <-next
		n, more, used, err := s.applyBatch(ctx, pre)
		total += n
		if err != nil || !more {
			return total, err
		}
		if pre != nil && !used {
			// Another server applied in between: the reads ahead start
			// from a place that is gone. The rest reads in its own
			// transactions.
			cancel()
			next = make(chan *ahead)
			close(next)
		}
	}
}

// ahead is a batch of the feed read before its transaction, on the read
// pool: where it starts, its entries, whether more follow, and the facts
// of the enterprises they name, read after the entries and so at least as
// new. Applying it is right only from the place it starts at; a write to
// the registry after its read has a later entry in the feed.
type ahead struct {
	seq, ent int64
	entries  []enterprise.FeedEntry
	more     bool
	read     map[int64]bool // the enterprises whose facts were read
	facts    []enterprise.Fact
}

// readAhead reads the feed's batches from the place (seq, ent) on, each
// handed to next once the batch before is taken, until the feed's end. It
// closes next when done or on any error (the applier then reads for
// itself).
func (s *Service) readAhead(ctx context.Context, seq, ent int64, next chan<- *ahead) {
	defer close(next)
	for {
		entries, err := s.Registry.Changes(ctx, nil, seq, ent, s.batchSize())
		if err != nil {
			return
		}
		a := &ahead{seq: seq, ent: ent, read: map[int64]bool{}}
		a.entries, a.more = s.cut(entries)
		var ids []int64
		for _, e := range a.entries {
			if !a.read[e.EnterpriseID] {
				a.read[e.EnterpriseID] = true
				ids = append(ids, e.EnterpriseID)
			}
		}
		if a.facts, err = s.Registry.Facts(ctx, nil, ids); err != nil {
			return
		}
		select {
		case next <- a:
		case <-ctx.Done():
			return
		}
		if !a.more {
			return
		}
		last := a.entries[len(a.entries)-1]
		seq, ent = last.Seq, last.EnterpriseID
	}
}

func (s *Service) batchSize() int {
	if s.Batch <= 0 {
		return 10000
	}
	return s.Batch
}

// cut ends a full batch before the entries of its last enterprise within
// the last feed number, which the next batch takes whole, and reports
// whether more may follow.
func (s *Service) cut(entries []enterprise.FeedEntry) ([]enterprise.FeedEntry, bool) {
	if len(entries) < s.batchSize() {
		return entries, false
	}
	last := entries[len(entries)-1]
	cut := len(entries)
	for cut > 0 && entries[cut-1].Seq == last.Seq && entries[cut-1].EnterpriseID == last.EnterpriseID {
		cut--
	}
	if cut > 0 {
		entries = entries[:cut]
	}
	return entries, true
}

// target is what one enterprise needs recomputed: some years, or all.
type target struct {
	all   bool
	years map[int]bool
}

// applyBatch applies one batch in a transaction of its own: pre's, read
// ahead, when the applier's place is still where pre starts (used), or
// else the batch read in the transaction.
func (s *Service) applyBatch(ctx context.Context, pre *ahead) (applied int, more, used bool, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		applied, more, used = 0, false, false
		st, err := s.lockState(ctx, tx)
		if err != nil {
			return err
		}
		var entries []enterprise.FeedEntry
		if pre != nil && pre.seq == st.Seq && pre.ent == st.Enterprise {
			entries, more, used = pre.entries, pre.more, true
		} else {
			pre = nil
			all, err := s.Registry.Changes(ctx, tx, st.Seq, st.Enterprise, s.batchSize())
			if err != nil {
				return err
			}
			entries, more = s.cut(all)
		}
		targets := map[int64]*target{}
		want := func(id int64, year int, all bool) {
			t := targets[id]
			if t == nil {
				t = &target{years: map[int]bool{}}
				targets[id] = t
			}
			if all {
				t.all = true
			}
			// Year 0 sizes the enterprise by its latest year's figures:
			// a change to any year may move it.
			t.years[year], t.years[0] = true, true
		}
		for _, e := range entries {
			want(e.EnterpriseID, e.Year, e.Year == 0)
		}
		today := s.today()
		if st.Day > today {
			// A server whose clock is behind the one that last moved the
			// day: the day never goes back, or year 0 would count one
			// day's certificates under another's date.
			today = st.Day
		}
		if st.Day != today && !more {
			// A new day: certificates that started or ended since count
			// differently in year 0.
			if st.Day != "" {
				ids, err := s.Registry.TiersTurning(ctx, tx, st.Day, today)
				if err != nil {
					return err
				}
				for _, id := range ids {
					want(id, 0, false)
				}
				if err := s.sweepNoReport(ctx, tx, today); err != nil {
					return err
				}
			}
			st.Day = today
		}
		changed, err := s.recompute(ctx, tx, targets, today, pre)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			last := entries[len(entries)-1]
			st.Seq, st.Enterprise = last.Seq, last.EnterpriseID
			if !more {
				// The whole of the last number is applied.
				st.Enterprise = 0
			}
			applied = len(entries)
		}
		q := "UPDATE insight_state SET seq = $1, enterprise_id = $2, day = $3"
		args := []any{st.Seq, st.Enterprise, st.Day}
		if changed {
			q += ", applied_at = $4"
			args = append(args, s.now().UnixMilli())
		}
		if _, err := tx.ExecContext(ctx, q+" WHERE id = 1", args...); err != nil {
			return fmt.Errorf("insight: state: %w", err)
		}
		if done := st.Seq - 1; st.Enterprise == 0 {
			done = st.Seq
			if err := s.Registry.PruneChanges(ctx, tx, done); err != nil {
				return err
			}
		} else if done > 0 {
			if err := s.Registry.PruneChanges(ctx, tx, done); err != nil {
				return err
			}
		}
		if changed {
			return memo.Bump(ctx, tx, Module)
		}
		return nil
	})
	return applied, more, used, err
}

// recompute brings the contributions of the targeted enterprises up to
// the registry and moves the cells and leaders by the difference. The
// facts pre read ahead are used for the enterprises it read; the others'
// are read in tx.
func (s *Service) recompute(ctx context.Context, tx *sql.Tx, targets map[int64]*target, today string, pre *ahead) (bool, error) {
	if len(targets) == 0 {
		return false, nil
	}
	ids := make([]int64, 0, len(targets))
	for id := range targets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cat, err := s.catalog(ctx)
	if err != nil {
		return false, err
	}
	missing := ids
	var now []enterprise.Fact
	if pre != nil {
		now = pre.facts
		missing = nil
		for _, id := range ids {
			if !pre.read[id] {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) > 0 {
		more, err := s.Registry.Facts(ctx, tx, missing)
		if err != nil {
			return false, err
		}
		now = append(slices.Clip(now), more...)
	}
	byID := make(map[int64]*enterprise.Fact, len(now))
	for i := range now {
		byID[now[i].ID] = &now[i]
	}
	old, err := s.storedFacts(ctx, tx, ids)
	if err != nil {
		return false, err
	}
	d := newDelta()
	checks := map[int64]*check{}
	for _, id := range ids {
		t := targets[id]
		years := map[int]bool{}
		for y := range t.years {
			years[y] = true
		}
		if t.all {
			for k := range old {
				if k.id == id {
					years[k.year] = true
				}
			}
			if f := byID[id]; f != nil {
				for y := range f.Years {
					years[y] = true
				}
			}
			years[0] = true
		}
		c := &check{fact: byID[id]}
		for y := range years {
			k := factKey{id, y}
			prev, had := old[k]
			var next facts
			has := false
			if f := byID[id]; f != nil {
				next, has = cat.contribution(*f, y, today)
			}
			d.move(k, prev, had, next, has)
			if y == 0 {
				if had {
					c.prev0 = &prev
				}
				if has {
					c.next0 = &next
				}
			} else if t.years[y] {
				c.years = append(c.years, y)
			}
		}
		if t.all && c.fact != nil {
			latest := 0
			for y := range c.fact.Years {
				latest = max(latest, y)
			}
			if latest > 0 && !slices.Contains(c.years, latest) {
				c.years = append(c.years, latest)
			}
		}
		slices.Sort(c.years)
		checks[id] = c
	}
	// Sources may come to disagree (or agree) without moving the value
	// that counts: the conflicts are refreshed whether or not the facts
	// moved (sources.go).
	conflicts, err := s.refreshConflicts(ctx, tx, ids, now)
	if err != nil {
		return false, err
	}
	if d.empty() {
		return conflicts, nil
	}
	after := d.after(old)
	if err := d.write(ctx, s.DB, tx, after); err != nil {
		return false, err
	}
	// The tier pipeline's candidates follow the contributions
	// (pipeline.go); the monitor checks the changed enterprises.
	if err := refreshCandidates(ctx, tx, s.DB.Dialect == db.SQLite, ids, after); err != nil {
		return false, err
	}
	return true, s.evaluate(ctx, tx, checks, today)
}

// factKey names one enterprise's contribution to one year.
type factKey struct {
	id   int64
	year int
}

func (s *Service) storedFacts(ctx context.Context, q db.Querier, ids []int64) (map[factKey]facts, error) {
	out := map[factKey]facts{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		rows, err := q.QueryContext(ctx, "SELECT enterprise_id, body FROM insight_contributions WHERE enterprise_id IN ("+idList(part)+")")
		if err != nil {
			return nil, fmt.Errorf("insight: facts: %w", err)
		}
		for rows.Next() {
			var id int64
			var body string
			if err := rows.Scan(&id, &body); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insight: facts: %w", err)
			}
			err := parseContributions(body, func(year int, f facts) { out[factKey{id, year}] = f })
			if err != nil {
				rows.Close()
				return nil, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insight: facts: %w", err)
		}
	}
	return out, nil
}

func idList(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}

func (s *Service) catalog(ctx context.Context) (catalog, error) {
	tree, err := s.Registry.ChainTree(ctx)
	if err != nil {
		return catalog{}, err
	}
	codes, err := s.Registry.IndustryCodes(ctx)
	if err != nil {
		return catalog{}, err
	}
	return newCatalog(tree, codes), nil
}

// leaderKey is one row of insight_leaders.
type leaderKey struct {
	year    int
	node    int64
	revenue int64
	id      int64
}

// delta is what one apply changes: the cells' sums by year, the facts to
// write or delete, and the leaders' rows.
type delta struct {
	tally   *tally
	put     map[factKey]facts
	drop    []factKey
	addLead []leaderKey
	dropLd  []leaderKey
}

func newDelta() *delta {
	return &delta{tally: newTally(), put: map[factKey]facts{}}
}

// tally sums contributions into cells. Each contribution is added to
// each of its fifty-odd cells at once, so that adding must cost little: a
// dimension's values are numbered as they are met, and a cell of a year
// and dimension pair is found by indexing a grid with its two values'
// numbers, which gives its row of sums in one flat array (a row is the
// layout's places). Names are spelled only when the cells are handed out.
type tally struct {
	l     *layout
	years map[int]int
	yearN []int
	ids   [7]map[string]int32 // per dimension: value → number
	names [7][]string         // per dimension: number → value
	// grid[year number][pair][a][b] is 1 + the row of the cell of values
	// a and b of the pair (i*8+j, j = 7 for dimension i alone, b = 0);
	// 0: no row yet.
	grid  [][64][][]int32
	width int      // places per row (grows with the layout)
	data  []int64  // the rows, width places each
	keys  []uint64 // per row: year number, pair and values (cells)
	buf   [7][]int32
	v     vec
}

func newTally() *tally {
	t := &tally{l: newLayout(), years: map[int]int{}, width: 32}
	for d := range t.ids {
		t.ids[d] = map[string]int32{}
	}
	return t
}

func (t *tally) id(d int, v string) int32 {
	n, ok := t.ids[d][v]
	if !ok {
		if len(t.names[d]) >= 1<<24 {
			panic("insight: too many values in one dimension") // beyond a cell's key
		}
		n = int32(len(t.names[d]))
		t.ids[d][v] = n
		t.names[d] = append(t.names[d], v)
	}
	return n
}

// row is the row of the cell of values a and b of pair p in year number
// yn, made on first use.
func (t *tally) row(yn, p int, a, b int32) int {
	g := &t.grid[yn][p]
	for int(a) >= len(*g) {
		*g = append(*g, nil)
	}
	r := &(*g)[a]
	for int(b) >= len(*r) {
		*r = append(*r, 0)
	}
	if at := (*r)[b]; at != 0 {
		return int(at - 1)
	}
	at := len(t.keys)
	t.keys = append(t.keys, uint64(yn)<<54|uint64(p)<<48|uint64(a)<<24|uint64(b))
	t.data = append(t.data, make([]int64, t.width)...)
	(*r)[b] = int32(at + 1)
	return at
}

// widen makes rows at least n places wide.
func (t *tally) widen(n int) {
	if n <= t.width {
		return
	}
	w := max(n, 2*t.width)
	data := make([]int64, len(t.keys)*w, len(t.keys)*w+w*64)
	for r := range t.keys {
		copy(data[r*w:], t.data[r*t.width:(r+1)*t.width])
	}
	t.data, t.width = data, w
}

// add adds f's vector, sign times, to every cell it names in year: each
// dimension alone and every pair.
func (t *tally) add(year int, f *facts, sign int64) {
	yn, ok := t.years[year]
	if !ok {
		yn = len(t.yearN)
		if yn >= 1<<10 {
			panic("insight: too many years in one tally") // beyond a cell's key
		}
		t.years[year] = yn
		t.yearN = append(t.yearN, year)
		t.grid = append(t.grid, [64][][]int32{})
	}
	t.v = t.l.appendVec(t.v[:0], f, sign)
	v := t.v
	t.widen(len(v))
	for d := range Dims {
		t.buf[d] = t.buf[d][:0]
		for _, x := range f.values(d) {
			t.buf[d] = append(t.buf[d], t.id(d, x))
		}
	}
	put := func(r int) {
		row := t.data[r*t.width:]
		row = row[:len(v)]
		for k, x := range v {
			row[k] += x
		}
	}
	for i := range Dims {
		for _, a := range t.buf[i] {
			put(t.row(yn, i*8+7, a, 0))
			for j := i + 1; j < len(Dims); j++ {
				for _, b := range t.buf[j] {
					put(t.row(yn, i*8+j, a, b))
				}
			}
		}
	}
}

// cells hands out the sums by year and cell name.
func (t *tally) cells() map[int]map[cellID]*vec {
	out := make(map[int]map[cellID]*vec, len(t.yearN))
	n := len(t.l.names)
	for r, key := range t.keys {
		year := t.yearN[key>>54]
		pair := int(key >> 48 & 63)
		i, j := pair/8, pair%8
		a, b := key>>24&(1<<24-1), key&(1<<24-1)
		id := cellID{Dims[i], t.names[i][a]}
		if j != 7 {
			id = cellID{Dims[i] + "|" + Dims[j], t.names[i][a] + "|" + t.names[j][b]}
		}
		yc := out[year]
		if yc == nil {
			yc = map[cellID]*vec{}
			out[year] = yc
		}
		v := vec(t.data[r*t.width : r*t.width+n : r*t.width+n])
		yc[id] = &v
	}
	return out
}

func (d *delta) empty() bool { return len(d.put) == 0 && len(d.drop) == 0 }

// move replaces one contribution: prev (if had) by next (if has).
func (d *delta) move(k factKey, prev facts, had bool, next facts, has bool) {
	if had == has && (!had || sameFacts(&prev, &next)) {
		return
	}
	if had {
		d.tally.add(k.year, &prev, -1)
		d.dropLd = append(d.dropLd, leadersOf(k, &prev)...)
	}
	if has {
		d.tally.add(k.year, &next, 1)
		d.put[k] = next
		d.addLead = append(d.addLead, leadersOf(k, &next)...)
	} else {
		d.drop = append(d.drop, k)
	}
}

func sameFacts(a, b *facts) bool {
	ad, av := a.encode()
	bd, bv := b.encode()
	return ad == bd && av == bv
}

// leadersOf lists the leaders' rows of one contribution: a year's revenue
// under each node the enterprise is assigned to.
func leadersOf(k factKey, f *facts) []leaderKey {
	rev, ok := f.Values["revenue"]
	if k.year == 0 || !ok {
		return nil
	}
	out := make([]leaderKey, 0, len(f.Direct))
	for _, n := range f.Direct {
		out = append(out, leaderKey{k.year, n, rev, k.id})
	}
	return out
}

// write stores the delta: each touched cell read, moved and written back
// (or deleted when no enterprise is left in it), the facts, the leaders.
func (d *delta) write(ctx context.Context, database *db.DB, tx *sql.Tx, after map[factKey]facts) error {
	for year, cells := range d.tally.cells() {
		byDims := map[string][]string{}
		for c := range cells {
			byDims[c.Dims] = append(byDims[c.Dims], c.Key)
		}
		for dims, keys := range byDims {
			cur, err := readCells(ctx, tx, year, dims, keys)
			if err != nil {
				return err
			}
			var puts []cellRow
			var gone []string
			for _, k := range keys {
				s := cur[k]
				change := d.tally.l.sums(*cells[cellID{dims, k}])
				s.merge(&change)
				if s.N < 0 {
					return errs.New(errs.Internal, "汇总数据与明细不一致，请重建汇总", fmt.Sprintf("insight: cell %d %s %s fell below zero; rebuild the rollups", year, dims, k))
				}
				if s.N == 0 {
					gone = append(gone, k)
					continue
				}
				puts = append(puts, cellRow{year, dims, k, s})
			}
			if err := deleteCells(ctx, tx, year, dims, gone); err != nil {
				return err
			}
			if err := upsertCells(ctx, tx, database.Dialect == db.SQLite, puts); err != nil {
				return err
			}
		}
	}
	// An enterprise's row holds all its years: one whose years moved is
	// written again whole, from after.
	moved := map[int64]bool{}
	for k := range d.put {
		moved[k.id] = true
	}
	for _, k := range d.drop {
		moved[k.id] = true
	}
	ids := slices.Sorted(maps.Keys(moved))
	for start := 0; start < len(ids); start += 500 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM insight_contributions WHERE enterprise_id IN ("+idList(ids[start:min(start+500, len(ids))])+")"); err != nil {
			return fmt.Errorf("insight: facts: %w", err)
		}
	}
	if err := execRows(ctx, tx, database.Dialect == db.SQLite, "INSERT INTO insight_contributions (enterprise_id, now, latest, body)", "", 4,
		contributionRows(after, moved)); err != nil {
		return fmt.Errorf("insight: facts: %w", err)
	}
	for start := 0; start < len(d.dropLd); start += 200 {
		part := d.dropLd[start:min(start+200, len(d.dropLd))]
		var conds []string
		var args []any
		for _, l := range part {
			n := len(args)
			conds = append(conds, fmt.Sprintf("(year = $%d AND node_id = $%d AND revenue = $%d AND enterprise_id = $%d)", n+1, n+2, n+3, n+4))
			args = append(args, l.year, l.node, l.revenue, l.id)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM insight_leaders WHERE "+strings.Join(conds, " OR "), args...); err != nil {
			return fmt.Errorf("insight: leaders: %w", err)
		}
	}
	return insertLeaders(ctx, tx, database.Dialect == db.SQLite, d.addLead)
}

type cellRow struct {
	year int
	dims string
	key  string
	sums *Sums
}

func readCells(ctx context.Context, q db.Querier, year int, dims string, keys []string) (map[string]*Sums, error) {
	out := map[string]*Sums{}
	for _, k := range keys {
		out[k] = &Sums{}
	}
	for start := 0; start < len(keys); start += 500 {
		part := keys[start:min(start+500, len(keys))]
		args := []any{year, dims}
		ph := make([]string, len(part))
		for i, k := range part {
			args = append(args, k)
			ph[i] = fmt.Sprintf("$%d", i+3)
		}
		rows, err := q.QueryContext(ctx, "SELECT key, n, body FROM insight_cells WHERE year = $1 AND dims = $2 AND key IN ("+strings.Join(ph, ",")+")", args...)
		if err != nil {
			return nil, fmt.Errorf("insight: cells: %w", err)
		}
		for rows.Next() {
			var k, body string
			var n int64
			if err := rows.Scan(&k, &n, &body); err != nil {
				rows.Close()
				return nil, fmt.Errorf("insight: cells: %w", err)
			}
			s, err := parseSums(n, body)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = &s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("insight: cells: %w", err)
		}
	}
	return out, nil
}

func deleteCells(ctx context.Context, tx *sql.Tx, year int, dims string, keys []string) error {
	for start := 0; start < len(keys); start += 500 {
		part := keys[start:min(start+500, len(keys))]
		args := []any{year, dims}
		ph := make([]string, len(part))
		for i, k := range part {
			args = append(args, k)
			ph[i] = fmt.Sprintf("$%d", i+3)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM insight_cells WHERE year = $1 AND dims = $2 AND key IN ("+strings.Join(ph, ",")+")", args...); err != nil {
			return fmt.Errorf("insight: cells: %w", err)
		}
	}
	return nil
}

func upsertCells(ctx context.Context, tx *sql.Tx, lite bool, rows []cellRow) error {
	vals := make([][]any, len(rows))
	for i, r := range rows {
		body, err := r.sums.body()
		if err != nil {
			return err
		}
		vals[i] = []any{r.year, r.dims, r.key, r.sums.N, body}
	}
	if err := execRows(ctx, tx, lite, "INSERT INTO insight_cells (year, dims, key, n, body)",
		" ON CONFLICT (year, dims, key) DO UPDATE SET n = excluded.n, body = excluded.body", 5, vals); err != nil {
		return fmt.Errorf("insight: cells: %w", err)
	}
	return nil
}

// after is every contribution of the enterprises of before (as stored)
// once the delta is applied.
func (d *delta) after(before map[factKey]facts) map[factKey]facts {
	out := make(map[factKey]facts, len(before)+len(d.put))
	for k, f := range before {
		out[k] = f
	}
	for _, k := range d.drop {
		delete(out, k)
	}
	maps.Copy(out, d.put)
	return out
}

// contributionRows lists the insight_contributions rows of the
// enterprises of all that only names (every one when nil), in enterprise
// order: each year's contribution a line "year<TAB>dims<TAB>vals", in
// year order.
func contributionRows(all map[factKey]facts, only map[int64]bool) [][]any {
	byID := map[int64][]int{}
	for k := range all {
		if only == nil || only[k.id] {
			byID[k.id] = append(byID[k.id], k.year)
		}
	}
	rows := make([][]any, 0, len(byID))
	var b []byte
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		years := byID[id]
		slices.Sort(years)
		b = b[:0]
		now := 0
		for i, y := range years {
			if y == 0 {
				now = 1
			}
			f := all[factKey{id, y}]
			if i > 0 {
				b = append(b, '\n')
			}
			b = strconv.AppendInt(b, int64(y), 10)
			b = append(b, '\t')
			b = f.appendTo(b)
		}
		rows = append(rows, []any{id, now, years[len(years)-1], string(b)})
	}
	return rows
}

// parseContributions calls fn with each year of a body contributionRows
// spelled and its contribution.
func parseContributions(body string, fn func(year int, f facts)) error {
	for _, line := range strings.Split(body, "\n") {
		y, rest, ok := strings.Cut(line, "\t")
		dims, vals, ok2 := strings.Cut(rest, "\t")
		year, err := strconv.Atoi(y)
		if !ok || !ok2 || err != nil {
			return fmt.Errorf("insight: bad contributions %q", body)
		}
		f, err := decode(dims, vals)
		if err != nil {
			return err
		}
		fn(year, f)
	}
	return nil
}

func insertLeaders(ctx context.Context, tx *sql.Tx, lite bool, rows []leaderKey) error {
	if err := execRows(ctx, tx, lite, "INSERT INTO insight_leaders (year, node_id, revenue, enterprise_id)", " ON CONFLICT DO NOTHING", 4, leaderRows(rows)); err != nil {
		return fmt.Errorf("insight: leaders: %w", err)
	}
	return nil
}

// leaderRows lists leaders as rows of insight_leaders.
func leaderRows(leaders []leaderKey) [][]any {
	rows := make([][]any, len(leaders))
	for i, l := range leaders {
		rows[i] = []any{l.year, l.node, l.revenue, l.id}
	}
	return rows
}

// execRows inserts rows (each of ncols values) with head ("INSERT INTO t
// (a, b)") and tail (an ON CONFLICT clause, or ""), per rows a statement
// at a time: the statement of a full chunk is prepared once and reused,
// as parsing a long multi-row text cost more than running it.
func execRows(ctx context.Context, tx *sql.Tx, lite bool, head, tail string, ncols int, rows [][]any) error {
	const chunk = 200
	text := func(n int) string { return db.ValuesSQL(head, tail, ncols, n, lite) }
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, chunk*ncols)
	for start := 0; start < len(rows); start += chunk {
		part := rows[start:min(start+chunk, len(rows))]
		args = args[:0]
		for _, r := range part {
			args = append(args, r...)
		}
		var err error
		if len(part) == chunk {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, text(chunk)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, text(len(part)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
