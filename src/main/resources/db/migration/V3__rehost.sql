-- License rehost: licenses moved from a working source device to a destination device (permission ticket, then the
-- device's signed rehost ticket). Same SQL subset as V1/V2 (PostgreSQL and H2).

-- The device key of a UDI, trusted on first use: the first valid credential presented by the account that holds the
-- device registers it; every later credential and rehost ticket of that UDI must carry this key.
create table device_key (
    udi                 varchar(80)  primary key references device (udi),
    account_id          varchar(64)  not null references account (id),
    public_key          varchar(64)  not null,
    key_id              varchar(40)  not null,
    registered_at       timestamp with time zone not null
);

create table rehost (
    id                   uuid         primary key,
    account_id           varchar(64)  not null references account (id),
    source_udi           varchar(80)  not null,
    destination_udi      varchar(80),
    email                varchar(320) not null,
    license_ids          varchar(6600) not null,
    status               varchar(30)  not null,
    permission_ticket_id varchar(64),
    expires_at           timestamp with time zone,
    rejection_code       varchar(40),
    rejection_message    varchar(1000),
    process_instance_id  varchar(64),
    created_at           timestamp with time zone not null,
    redeemed_at          timestamp with time zone,
    completed_at         timestamp with time zone,
    constraint rehost_permission_ticket unique (permission_ticket_id)
);
create index rehost_account on rehost (account_id);
create index rehost_source_status on rehost (source_udi, status);

-- One permission ticket per rehost: a redelivered issue step finds it instead of signing a second one.
create table permission_ticket (
    id                  varchar(64)  primary key,
    rehost_id           uuid         not null references rehost (id),
    udi                 varchar(80)  not null,
    license_ids         varchar(6600) not null,
    issued_at           timestamp with time zone not null,
    expires_at          timestamp with time zone not null,
    key_id              varchar(40)  not null,
    content             varchar(10000) not null,
    constraint permission_ticket_one_per_rehost unique (rehost_id)
);

-- Exactly-once redemption as a database fact: the row is inserted in the transaction that correlates the
-- RehostTicketReceived message; a concurrent or later upload of a rehost ticket for the same permission ticket fails
-- on the primary key and is answered "already redeemed".
create table rehost_redemption (
    permission_ticket_id varchar(64)  primary key references permission_ticket (id),
    rehost_id            uuid         not null references rehost (id),
    destination_udi      varchar(80)  not null,
    rehost_ticket        varchar(10000) not null,
    redeemed_by          varchar(64)  not null,
    redeemed_at          timestamp with time zone not null
);
