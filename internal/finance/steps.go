package finance

// The funnel's steps, defined once here with their labels and order. A
// match moves one step at a time (interest → 匹配 → 对接 → 尽调 → 投资意向/
// 授信 → 到位), or is closed with a reason from any open step. Every write
// consults this table.
const (
	StepInterest  = "interest"  // 意向: the institution expressed interest; the enterprise answers
	StepMatched   = "matched"   // 匹配: the enterprise accepted
	StepMeeting   = "meeting"   // 对接: they met
	StepDiligence = "diligence" // 尽调: due diligence
	StepTerm      = "term"      // 投资意向/授信: a term sheet or a credit approval
	StepFunded    = "funded"    // 到位: money received, with date and amount
	StepClosed    = "closed"    // 关闭, with a reason
)

// Steps lists the steps in order.
var Steps = []Label{
	{StepInterest, "机构意向", "Interest"}, {StepMatched, "匹配", "Matched"}, {StepMeeting, "对接", "Meeting"},
	{StepDiligence, "尽调", "Due diligence"}, {StepTerm, "投资意向/授信", "Term sheet / credit approval"}, {StepFunded, "到位", "Funded"},
}

// StepLabel is a step's Chinese and English name.
func StepLabel(code string) (string, string) {
	if code == StepClosed {
		return "已关闭", "Closed"
	}
	return labelOf(Steps, code)
}

// stepIndex is a step's place in the funnel; -1 for none.
func stepIndex(code string) int {
	for k, l := range Steps {
		if l.Code == code {
			return k
		}
	}
	return -1
}

// nextStep is the step after code; "" after the last.
func nextStep(code string) string {
	k := stepIndex(code)
	if k < 0 || k+1 >= len(Steps) {
		return ""
	}
	return Steps[k+1].Code
}
