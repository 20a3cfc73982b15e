-- TAC-approved extensions of evaluation and extension licenses (bpmn/license-extension.bpmn).
create table license_extension (
    id                  uuid          primary key,
    account_id          varchar(64)   not null references account (id),
    -- Who asked: never allowed to approve the same request (four eyes).
    requested_by        varchar(64)   not null,
    udi                 varchar(80)   not null,
    feature             varchar(64)   not null,
    -- The evaluation or extension license the request extends.
    base_license_id     varchar(64)   not null,
    days_requested      integer       not null,
    reason              varchar(1000) not null,
    email               varchar(320)  not null,
    eula_version        varchar(32)   not null,
    eula_consent_id     uuid          not null references eula_consent (id),
    status              varchar(20)   not null,
    -- The policy rule that decided (approve at once, or a person reviews), recorded by the flow's first step.
    policy_rule         varchar(64),
    policy_decision     varchar(16),
    policy_detail       varchar(500),
    needs_lead_approval boolean,
    -- 1 for the first extension of this feature on this device, 2 for the second...
    sequence            integer,
    policy_checked_at   timestamp with time zone,
    escalated_at        timestamp with time zone,
    days_granted        integer,
    rejection_code      varchar(40),
    rejection_message   varchar(1000),
    process_instance_id varchar(64)   not null,
    created_at          timestamp with time zone not null,
    completed_at        timestamp with time zone,
    constraint license_extension_days_positive check (days_requested > 0),
    constraint license_extension_granted_within_request check (days_granted is null or (days_granted > 0 and days_granted <= days_requested)),
    -- '<udi> <feature>' while the request is open, null once it ended: one open request per feature and device is
    -- then a plain unique constraint (NULLs never collide), which PostgreSQL and H2 both enforce.
    open_slot           varchar(150),
    constraint license_extension_one_instance unique (process_instance_id),
    constraint license_extension_one_open unique (open_slot)
);
create index license_extension_account on license_extension (account_id, created_at);
create index license_extension_device on license_extension (udi, feature, status);

-- The approvals of a request as the completed user tasks recorded them: round 1 by tac-approvers (or tac-leads once
-- escalated), round 2 by tac-leads. One decision per round and per task; the decider is the task's assignee.
create table extension_decision (
    extension_id uuid          not null references license_extension (id),
    round        integer       not null,
    task_id      varchar(64)   not null unique,
    decided_by   varchar(64)   not null,
    decision     varchar(16)   not null,
    days         integer,
    comment      varchar(1000),
    decided_at   timestamp with time zone not null,
    primary key (extension_id, round),
    constraint extension_decision_round check (round in (1, 2)),
    constraint extension_decision_value check (decision in ('approve', 'reject')),
    constraint extension_decision_days check ((decision = 'approve' and days > 0) or (decision = 'reject' and days is null))
);
