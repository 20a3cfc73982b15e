-- PostgreSQL: the audit trail and its checkpoints are append-only. Any UPDATE, DELETE or TRUNCATE is refused, by
-- anyone but a superuser who disables the triggers, which the chain then exposes (GET /api/v1/audit/verification).
-- The one UPDATE allowed: chaining an entry written before V19 (entry_hash still null), once, at the first start.
create function nodelock_audit_append_only() returns trigger language plpgsql as $$
begin
    -- Nested: the inner test names audit_event's columns, which the other tables' rows do not have.
    if tg_op = 'UPDATE' and tg_table_name = 'audit_event' then
        if old.entry_hash is null and new.entry_hash is not null
                and new.id = old.id and new.occurred_at = old.occurred_at and new.actor = old.actor
                and new.action = old.action and new.subject = old.subject
                and new.detail is not distinct from old.detail then
            return new;
        end if;
    end if;
    raise exception 'audit trail is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'integrity_constraint_violation';
end;
$$;

create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function nodelock_audit_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function nodelock_audit_append_only();
create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
    for each row execute function nodelock_audit_append_only();
create trigger audit_checkpoint_no_truncate before truncate on audit_checkpoint
    for each statement execute function nodelock_audit_append_only();
