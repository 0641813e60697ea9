package award

import (
	"strings"
	"testing"
	"time"
)

const day = 24 * time.Hour

// onNotice takes the flow world through review and ranking and publishes
// the notice (5 days). It returns when the notice started.
func (w *flowWorld) onNotice(t *testing.T) time.Time {
	t.Helper()
	w.review(t)
	ok(w.S.RankProgramme(w.as(w.sup), w.prog.ID))(t)
	ok(w.S.Advance(w.as(w.sup), w.prog.ID, StateNotice))(t)
	return w.now
}

func (w *flowWorld) object(t *testing.T, reason string) Objection {
	t.Helper()
	return ok(w.S.FileObjection(w.ctx, w.prog.ID, NewObjection{EnterpriseID: w.e2, Name: "王五", Contact: "wang@example.com", Reason: reason}, nil))(t)
}

// TestUpheldObjectionRestartsNotice: when an upheld objection changes the
// result, the public notice starts again that day for the programme's full
// notice length, the restart is in the audit log, and the programme can
// only be confirmed once the new period ends. Objections may be filed
// against the changed result meanwhile.
func TestUpheldObjectionRestartsNotice(t *testing.T) {
	w := newFlow(t)
	s, sup := w.S, w.as(w.sup)
	start := w.onNotice(t)
	before := ok(s.LatestRound(sup, w.prog.ID))(t)
	w.now = start.Add(3 * day)
	obj := w.object(t, "乙公司 2022 年税收数据有误，实际仅为一千元。")
	ok(s.Decide(sup, obj.ID, true, "经税务部门核实，乙公司 2022 年税收应为 1,000 元。",
		[]Correction{{Kind: "figure", EnterpriseID: w.e2, Indicator: "taxes", Year: 2022, Value: 1_000_00}}))(t)
	if r := ok(s.LatestRound(sup, w.prog.ID))(t); r.Digest == before.Digest {
		t.Fatal("the correction did not change the result; the test needs one that does")
	}
	p := ok(s.Programme(sup, w.prog.ID))(t)
	restartedAt := w.now
	if p.NoticeFrom != restartedAt.UnixMilli() || p.NoticeUntil != restartedAt.Add(5*day).UnixMilli() ||
		p.NoticeRestarts != 1 || p.NoticeRestartObjection != obj.ID {
		t.Fatalf("after the upheld objection: notice %d–%d, restarts %d by #%d; want %d–%d, 1 by #%d",
			p.NoticeFrom, p.NoticeUntil, p.NoticeRestarts, p.NoticeRestartObjection,
			restartedAt.UnixMilli(), restartedAt.Add(5*day).UnixMilli(), obj.ID)
	}
	var n int
	var after string
	w.DB.R.QueryRow("SELECT COUNT(*), COALESCE(MAX(after_json), '') FROM audit_log WHERE action='award.notice.restart' AND object_id=$1",
		idStr(w.prog.ID)).Scan(&n, &after)
	if n != 1 || !strings.Contains(after, idStr(p.NoticeUntil)) || !strings.Contains(after, `"objection_id":`+idStr(obj.ID)) {
		t.Fatalf("audit of the restart: %d rows, after %s", n, after)
	}
	// Day 6 of the first notice is day 3 of the new one: not over.
	w.now = start.Add(6 * day)
	if _, err := s.Advance(sup, w.prog.ID, StateConfirmed); asErr(err).Code != "conflict" {
		t.Fatalf("confirmed before the restarted notice ended: %v", err)
	}
	second := w.object(t, "更正后的名单仍有疑问，请再次核实乙公司数据。")
	ok(s.Decide(sup, second.ID, false, "已再次核实，数据无误。", nil))(t)
	if p2 := ok(s.Programme(sup, w.prog.ID))(t); p2.NoticeUntil != p.NoticeUntil || p2.NoticeRestarts != 1 {
		t.Fatalf("a dismissed objection moved the notice: %+v", p2)
	}
	w.now = restartedAt.Add(5*day + time.Millisecond)
	if _, err := s.FileObjection(w.ctx, w.prog.ID, NewObjection{Name: "迟到者", Contact: "x", Reason: "重新公示结束后提出的异议。"}, nil); err == nil {
		t.Fatal("objection accepted after the restarted notice ended")
	}
	ok(s.Advance(sup, w.prog.ID, StateConfirmed))(t)
}

// TestUpheldObjectionWithoutChangeKeepsNotice: an objection upheld without
// any change to the result (the same ranking, byte for byte) re-ranks for
// the record but leaves the notice period as it was.
func TestUpheldObjectionWithoutChangeKeepsNotice(t *testing.T) {
	w := newFlow(t)
	s, sup := w.S, w.as(w.sup)
	start := w.onNotice(t)
	p0 := ok(s.Programme(sup, w.prog.ID))(t)
	w.now = start.Add(2 * day)
	obj := w.object(t, "乙公司申报材料中的联系人信息有误，请更正。")
	ok(s.Decide(sup, obj.ID, true, "联系人信息已更正，与评分无关。", nil))(t)
	if r := ok(s.LatestRound(sup, w.prog.ID))(t); r.Round != 2 {
		t.Fatalf("upheld objection did not re-rank: round %d", r.Round)
	}
	p := ok(s.Programme(sup, w.prog.ID))(t)
	if p.NoticeFrom != p0.NoticeFrom || p.NoticeUntil != p0.NoticeUntil || p.NoticeRestarts != 0 {
		t.Fatalf("notice moved without a change of result: %d–%d → %d–%d (%d restarts)", p0.NoticeFrom, p0.NoticeUntil, p.NoticeFrom, p.NoticeUntil, p.NoticeRestarts)
	}
}
