package kpi

import (
	"reflect"
	"testing"
)

func TestTallyAgreesWithTheCards(t *testing.T) {
	card := func(k Kind, st Status) Card {
		return Card{Indicator: Indicator{Kind: k}, Assessment: Assessment{Status: st}}
	}
	cards := []Card{card(Growth, Behind), card(Absolute, Behind), card(Growth, Met), card(Absolute, Ahead),
		card(Growth, Behind), card(Absolute, NoData), card(Growth, Close)}
	got := Tally(cards)
	want := []Bucket{
		{Ahead, "超序时进度", "ahead", "green", 1},
		{Met, "达到目标", "met", "green", 1},
		{Close, "接近目标", "close", "yellow", 1},
		{Behind, "滞后", "behind", "yellow", 1},
		{Behind, "滞后", "behind", "red", 2},
		{NoData, "暂无数据", "no data", "gray", 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tally =\n%v\nwant\n%v", got, want)
	}
	for _, c := range cards {
		zh, _ := c.Assessment.Status.Label()
		found := false
		for _, b := range got {
			found = found || (b.ZH == zh && b.Color == Color(c.Indicator.Kind, c.Assessment.Status))
		}
		if !found {
			t.Errorf("no bucket says %s in the card's colour", zh)
		}
	}
	if Tally(nil) == nil || len(Tally(nil)) != 0 {
		t.Error("no cards: an empty summary")
	}
}
