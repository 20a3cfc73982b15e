-- H2 (the zero-setup run): the same rule as PostgreSQL's, as a Java trigger (io.nodelock.audit.AppendOnlyTrigger).
-- H2 has no TRUNCATE trigger; TRUNCATE of a table with a trigger needs the table's owner in H2 as well.
create trigger audit_event_append_only before update, delete on audit_event
    for each row call 'io.nodelock.audit.AppendOnlyTrigger';
create trigger audit_checkpoint_append_only before update, delete on audit_checkpoint
    for each row call 'io.nodelock.audit.AppendOnlyTrigger';
