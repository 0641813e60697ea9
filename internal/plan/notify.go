package plan

import (
	"context"

	"gaoxin/internal/db"
)

// Notify queues a text for the configured webhook inside q's transaction,
// for other modules (the scenario module's invitations) that announce
// through the same robot. Nothing is queued when no webhook URL is set.
// Sending, retries and the record of each message as sent or failed are
// the outbox's (webhook.go): the caller's request never waits on the POST.
func (s *Service) Notify(ctx context.Context, q db.Querier, event, text string) error {
	st, err := s.settings(ctx, q)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, q, st, event, text)
}
