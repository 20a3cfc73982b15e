-- Steps find their request by the process instance that runs them, never by a variable its starter could have set:
-- one request per instance.
create unique index fulfillment_process_instance on fulfillment (process_instance_id);
create unique index rma_process_instance on rma (process_instance_id);
create unique index rehost_process_instance on rehost (process_instance_id);

-- The RMA's own record of what policy decided and of the TAC decision, written by the steps and the review task
-- itself; signing checks these, not the process variables.
alter table rma add column policy_checked_at timestamp with time zone;
alter table rma add column review_task_id varchar(64);
alter table rma add column review_decision varchar(16);
-- RMAs already past their lock step when this arrives were checked against policy then.
update rma set policy_checked_at = created_at where status in ('IN_REVIEW', 'ISSUED', 'REJECTED');
