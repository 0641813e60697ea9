package finance_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"gaoxin/internal/finance"
)

// The dashboard reads an institution's profile (stages, instruments,
// chains, contacts) in one query, and the ranked needs with their chains
// in another: each must say what the plain reads of every set say,
// including an institution with several contacts or none, and a need on
// several chains or none.
func TestDashboardReadsAgreeWithPlainReads(t *testing.T) {
	f := newFixture(t)
	syn, err := f.S.Synthesize(f.ctx, finance.Scale{Institutions: 30, Needs: 300, Enterprises: []int64{f.entA.EnterpriseID}, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	// Contacts out of name order on the first institution; an institution
	// on every chain; a need that fits it with no chain rows left.
	for _, name := range []string{"王五", "张三", "李四"} {
		if _, err := f.DB.W.ExecContext(f.ctx, "INSERT INTO finance_contacts (institution_id, name, title, phone, email) VALUES ($1, $2, '经理', '0371-1', 'a@b.cn')",
			syn.FirstInstitution, name); err != nil {
			t.Fatal(err)
		}
	}
	general := vc(9, "全链条创投")
	general.Chains, general.Stages, general.Instruments = nil, []string{"seed", "angel", "a", "b", "c_plus", "pre_ipo", "ma"},
		[]string{"equity", "loan", "convertible", "guarantee", "ip_pledge", "leasing"}
	general.TicketMinFen, general.TicketMaxFen = 0, 0
	_, gi := f.approved("general", general)
	open := 0
	f.scan(&open, "SELECT MAX(id) FROM finance_needs WHERE state = 'open' AND audience = 'fit'")
	if _, err := f.DB.W.ExecContext(f.ctx, "DELETE FROM finance_need_chains WHERE need_id = $1", open); err != nil {
		t.Fatal(err)
	}

	strs := func(q string, id int64) []string {
		rows, err := f.DB.R.QueryContext(f.ctx, q, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := []string{}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	codes := func(cs []finance.ChainRef) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	sorted := func(xs []string) []string {
		ys := append([]string{}, xs...)
		sort.Strings(ys)
		return ys
	}
	// Needs on several chains, posted last: the newest, first on a tie.
	several := map[int64]bool{}
	for _, cs := range [][]string{{"nm", "nm_superhard"}, {"iot", "iot_sensor", "nm_superhard"}, {"nextgen_it", "hydrogen", "nm"}} {
		in := needIn()
		in.Chains = cs
		n, err := f.S.Post(f.ctx, f.entA, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		several[n.ID] = true
	}
	chainless, checked := false, 0
	for _, id := range append([]int64{gi.ID}, syn.FirstInstitution, syn.FirstInstitution+1, syn.FirstInstitution+7, syn.LastInstitution) {
		d, err := f.S.Dashboard(f.ctx, f.staff, id, 200)
		if err != nil {
			t.Fatal(err)
		}
		i := d.Institution
		if got, want := sorted(i.Stages), strs("SELECT stage FROM finance_institution_stages WHERE institution_id = $1 ORDER BY stage", id); !reflect.DeepEqual(got, want) {
			t.Errorf("institution %d: stages %v, want %v", id, got, want)
		}
		if got, want := sorted(i.Instruments), strs("SELECT instrument FROM finance_institution_instruments WHERE institution_id = $1 ORDER BY instrument", id); !reflect.DeepEqual(got, want) {
			t.Errorf("institution %d: instruments %v, want %v", id, got, want)
		}
		if got, want := codes(i.Chains), strs(`SELECT n.code FROM finance_institution_chains c JOIN chain_nodes n ON n.id = c.node_id
			WHERE c.institution_id = $1 ORDER BY c.node_id`, id); !reflect.DeepEqual(got, want) {
			t.Errorf("institution %d: chains %v, want %v", id, got, want)
		}
		var names []string
		for _, c := range i.Contacts {
			names = append(names, c.Name+"|"+c.Title+"|"+c.Phone+"|"+c.Email)
		}
		var want []string
		for _, row := range strs("SELECT name || '|' || title || '|' || phone || '|' || email FROM finance_contacts WHERE institution_id = $1 ORDER BY id", id) {
			// The phone is sealed in the gm mode: open it as the service does.
			p := strings.SplitN(row, "|", 4)
			phone, err := f.DB.Crypto.Open("finance_contacts.phone", p[2])
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, p[0]+"|"+p[1]+"|"+phone+"|"+p[3])
		}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("institution %d: contacts %v, want %v", id, names, want)
		}
		if id == syn.FirstInstitution && len(i.Contacts) < 3 {
			t.Errorf("institution %d: %d contacts, want the three added at least", id, len(i.Contacts))
		}
		// Each ranked need as the need's own page reads it.
		for _, r := range d.Fits {
			n, err := f.S.Need(f.ctx, f.staff, r.Need.ID)
			if err != nil {
				t.Fatal(err)
			}
			n.Listed, n.Files, n.Figures = nil, nil, nil
			if !reflect.DeepEqual(r.Need, n) {
				t.Fatalf("institution %d: ranked need %d differs from its own read:\n%+v\n%+v", id, n.ID, r.Need, n)
			}
			chainless = chainless || (n.ID == int64(open) && len(n.Chains) == 0)
			if len(n.Chains) > 1 {
				delete(several, n.ID)
			}
			checked++
		}
	}
	if !chainless || len(several) > 0 || checked < 50 {
		t.Fatalf("the chainless need %d ranked: %v; needs on several chains not ranked: %v; %d ranked needs checked", open, chainless, several, checked)
	}
}
