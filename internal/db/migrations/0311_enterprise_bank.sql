-- Each enterprise's bank for award payments (兑现): the bank (开户银行) and
-- the account number (银行账号). Staff keep them; only staff read them, and
-- the awards module reads them for its payment list through the registry's
-- Go API (enterprise.BankAccounts). They are not part of the enterprise
-- record that other roles, pages and imports see.
ALTER TABLE enterprises ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprises ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';
