-- RMA license transfers: the licenses of a failed device reissued for its replacement.
create table rma (
    id                  uuid         primary key,
    account_id          varchar(64)  not null references account (id),
    rma_number          varchar(40)  not null,
    failed_udi          varchar(80)  not null,
    replacement_udi     varchar(80)  not null,
    email               varchar(320) not null,
    status              varchar(20)  not null,
    review_reason       varchar(500),
    reviewed_by         varchar(64),
    review_comment      varchar(1000),
    rejection_code      varchar(40),
    rejection_message   varchar(1000),
    process_instance_id varchar(64),
    created_at          timestamp with time zone not null,
    completed_at        timestamp with time zone,
    -- A failed device is replaced once: a second RMA for it is refused by the database, not only the code.
    constraint rma_one_per_failed_device unique (failed_udi)
);
create index rma_account_status on rma (account_id, status);
create index rma_replacement on rma (replacement_udi);
