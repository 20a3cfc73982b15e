-- Operability (issue 13). The audit trail becomes a hash chain (docs/operations.md, "Audit chain"): each entry carries its place in the chain,
-- the hash of the entry before it and its own hash over both and its content. SQL that PostgreSQL and H2 share; the
-- rule that refuses UPDATE and DELETE is in db/vendor/<database>/V19_1__audit_append_only.sql.
alter table audit_event add column chain_seq bigint;
alter table audit_event add column prev_hash varchar(64);
alter table audit_event add column entry_hash varchar(64);
alter table audit_event add constraint audit_event_chain_seq unique (chain_seq);

-- The end of the chain: one row, locked by each transaction that appends (only while it commits), so appends are
-- serialized and every entry names the one really before it. Entries written before V19 are chained, in id order, by
-- the first start of the service (AuditChain.sealUnchained).
create table audit_chain_head (
    id          int          primary key,
    seq         bigint       not null,
    entry_hash  varchar(64)  not null,
    constraint audit_chain_head_one_row check (id = 1)
);
insert into audit_chain_head (id, seq, entry_hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Anchors: the chain's end at a moment, signed with the service's signing key. A chain rewritten from some entry on
-- (hashes recomputed) no longer reaches a checkpoint's hash; entries cut off the end leave a checkpoint beyond the end.
create table audit_checkpoint (
    seq         bigint        primary key,
    entry_hash  varchar(64)   not null,
    created_at  timestamp with time zone not null,
    key_id      varchar(40)   not null,
    signature   varchar(100)  not null
);

-- An operator's retry of a mail parked as FAILED (POST /api/v1/mails/{operationId}/retry): the give-up age counts
-- from the retry, not from the mail's creation.
alter table mail_outbox add column retried_at timestamp with time zone;
