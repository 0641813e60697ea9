package kpi

import "sort"

func sortOverdue(o []Overdue) {
	sort.SliceStable(o, func(i, j int) bool {
		if o[i].Indicator.OwnerCode != o[j].Indicator.OwnerCode {
			return o[i].Indicator.OwnerCode < o[j].Indicator.OwnerCode
		}
		return o[i].DueDate < o[j].DueDate
	})
}
