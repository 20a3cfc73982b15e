-- Bulk fulfillment (bpmn/bulk-fulfillment.bpmn, docs/bulk-fulfillment.md): up to 10,000 rows (UDI, SKU) of one
-- account against one of its PAKs, each row fulfilled on its own. SQL that PostgreSQL and H2 share.

create table bulk_fulfillment (
    id                  uuid          primary key,
    account_id          varchar(64)   not null references account (id),
    -- Who submitted it: the signed-in person, else the token's account.
    requested_by        varchar(200)  not null,
    pak_code            varchar(16)   not null,
    -- Where the result mail goes: the request's email, else the account's registered address.
    email               varchar(320)  not null,
    -- The consent rows that need the EULA are fulfilled under (the request's eulaAccepted: true); null without one.
    eula_consent_id     uuid          references eula_consent (id),
    eula_version        varchar(32),
    -- 'json' or 'csv': how the rows came.
    source              varchar(8)    not null,
    status              varchar(20)   not null,
    row_count           int           not null,
    rows_issued         int           not null default 0,
    rows_refused        int           not null default 0,
    process_instance_id varchar(64)   not null,
    created_at          timestamp with time zone not null,
    -- When its first batch began: the rate and the estimate of the time left are measured from here.
    started_at          timestamp with time zone,
    completed_at        timestamp with time zone,
    constraint bulk_fulfillment_one_instance unique (process_instance_id),
    constraint bulk_fulfillment_counts check (rows_issued >= 0 and rows_refused >= 0
        and rows_issued + rows_refused <= row_count)
);
create index bulk_fulfillment_account_created on bulk_fulfillment (account_id, created_at, id);
create index bulk_fulfillment_created on bulk_fulfillment (created_at, id);

-- One row per (UDI, SKU) of a bulk, in the order given: PENDING until its batch ran, then ISSUED (its license file
-- kept beside it for the archive; license files never change) or REFUSED with the code a single fulfillment would
-- have been rejected with. A row leaves PENDING once (guarded update).
create table bulk_row (
    bulk_id             uuid          not null references bulk_fulfillment (id),
    row_no              int           not null,
    -- Where the row stood in the upload: the CSV line number, or the JSON index + 1.
    source_line         int           not null,
    -- The node-lock binding (PID and SN); a VID the row gave is kept beside it.
    udi                 varchar(80)   not null,
    vid                 varchar(3),
    sku                 varchar(40)   not null,
    state               varchar(10)   not null,
    refusal_code        varchar(40),
    refusal_message     varchar(1000),
    license_ids         varchar(2000),
    license_file        varchar(100000),
    done_at             timestamp with time zone,
    primary key (bulk_id, row_no),
    constraint bulk_row_once unique (bulk_id, udi, sku)
);
create index bulk_row_state on bulk_row (bulk_id, state, row_no);
