-- Claims of outbox mail by a sender, renewed while it lives: only the holder of a claim's token may send the mail,
-- and a mail whose attempt started but never got an outcome is known to be a possible repeat when sent again.
alter table mail_outbox add column claim_token varchar(40);
alter table mail_outbox add column attempt_started_at timestamp with time zone;
create index mail_outbox_claim on mail_outbox (claim_token);
