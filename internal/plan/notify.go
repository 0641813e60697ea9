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
	return s.NotifyAll(ctx, q, event, []string{text})
}

// NotifyAll queues several texts of one event as Notify queues one, with
// the settings and the outbox's room read once (the industry brain's
// monitor may raise thousands of warnings in one import's apply).
func (s *Service) NotifyAll(ctx context.Context, q db.Querier, event string, texts []string) error {
	if len(texts) == 0 {
		return nil
	}
	st, err := s.settings(ctx, q)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, q, st, event, texts)
}
