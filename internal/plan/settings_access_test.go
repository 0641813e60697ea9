package plan_test

import (
	"testing"

	"gaoxin/internal/plan"
)

// The webhook URL carries the robot's key: only those who may change the
// settings read it.
func TestSettingsHideWebhookFromReaders(t *testing.T) {
	f := newFixture(t)
	st := plan.DefaultSettings
	st.WebhookURL = "https://robot.example.com/send?key=secret"
	if err := f.a.Plan.SaveSettings(f.ctx, f.sup, st); err != nil {
		t.Fatal(err)
	}
	for _, v := range []plan.Viewer{f.leader, f.jfj, f.enterprise} {
		got, err := f.a.Plan.SettingsFor(f.ctx, v)
		if err != nil || got.WebhookURL != "" || got.DueDay != st.DueDay {
			t.Fatalf("%s reads %+v %v", v.Role, got, err)
		}
		if err := f.a.Plan.SaveSettings(f.ctx, v, st); err == nil {
			t.Fatalf("%s changed the settings", v.Role)
		}
	}
	if got, _ := f.a.Plan.SettingsFor(f.ctx, f.sup); got.WebhookURL != st.WebhookURL {
		t.Fatalf("supervisor reads %q", got.WebhookURL)
	}
}
