-- Resends of a device's active licenses (bpmn/license-resend.bpmn): no PAK unit is consumed and no license is new.
create table license_resend (
    id                  uuid          primary key,
    account_id          varchar(64)   not null references account (id),
    requested_by        varchar(64)   not null,
    -- How the request came in: 'api' (the customer) or 'call-home' (the device itself).
    channel             varchar(20)   not null,
    udi                 varchar(80)   not null,
    status              varchar(20)   not null,
    -- The account's registered address when the file was mailed: never an address the request named.
    email               varchar(320),
    license_ids         text,
    content             text,
    rejection_code      varchar(40),
    rejection_message   varchar(1000),
    process_instance_id varchar(64)   not null,
    created_at          timestamp with time zone not null,
    completed_at        timestamp with time zone,
    constraint license_resend_one_instance unique (process_instance_id)
);
-- The per-day limit counts a UDI's resends of the day.
create index license_resend_udi_day on license_resend (udi, created_at);
create index license_resend_account on license_resend (account_id, created_at);
