-- Manufacturing orders (bpmn/manufacturing-preinstall.bpmn, docs/manufacturing.md): many certified devices with
-- preinstalled licenses for one account. SQL that PostgreSQL and H2 share.

create table manufacturing_order (
    id                  uuid          primary key,
    account_id          varchar(64)   not null references account (id),
    requested_by        varchar(64)   not null,
    reference           varchar(100)  not null,
    -- 'UDI': each device names its SKUs; 'PAK': each device gets one unit of each of pak_skus from pak_code.
    mode                varchar(8)    not null,
    pak_code            varchar(16),
    pak_skus            varchar(500),
    -- The account's recorded consent to the current EULA that SKUs with eulaRequired are preinstalled under.
    eula_consent_id     uuid          references eula_consent (id),
    eula_version        varchar(32),
    status              varchar(20)   not null,
    device_count        int           not null,
    devices_made        int           not null default 0,
    devices_failed      int           not null default 0,
    -- The factory archive (ZIP of every bundle and a manifest), AES-256-GCM encrypted; null once erased.
    archive             bytea,
    rejection_code      varchar(40),
    rejection_message   varchar(1000),
    process_instance_id varchar(64)   not null,
    created_at          timestamp with time zone not null,
    completed_at        timestamp with time zone,
    erased_at           timestamp with time zone,
    constraint manufacturing_order_one_instance unique (process_instance_id),
    constraint manufacturing_order_counts check (devices_made >= 0 and devices_failed >= 0
        and devices_made + devices_failed <= device_count)
);
create index manufacturing_order_account on manufacturing_order (account_id);

-- One row per device of an order: its progress. open_udi is the UDI while the device waits in an open order, and null
-- once it is made (its certified key then keeps it out of other orders), failed or its order rejected: the unique
-- constraint (NULLs never collide, in PostgreSQL and H2 alike) lets a UDI wait in one open order only.
create table manufacturing_device (
    order_id            uuid          not null references manufacturing_order (id),
    device_no           int           not null,
    -- The node-lock binding (PID and SN); a VID the order gave is kept beside it, for the bundle's UDI.
    udi                 varchar(80)   not null,
    vid                 varchar(3),
    open_udi            varchar(80),
    skus                varchar(500)  not null,
    -- PENDING, MADE or FAILED (with a reason).
    state               varchar(10)   not null,
    certificate_serial  varchar(64),
    device_key_id       varchar(40),
    license_ids         varchar(2000),
    -- The NLMB1 bundle, AES-256-GCM encrypted (it holds the device's private key); null once erased.
    bundle              bytea,
    failure_code        varchar(40),
    failure_message     varchar(1000),
    made_at             timestamp with time zone,
    primary key (order_id, device_no),
    constraint manufacturing_device_once_per_order unique (order_id, udi),
    constraint manufacturing_device_one_open_order unique (open_udi)
);
create index manufacturing_device_udi on manufacturing_device (udi);

-- A PAK unit is redeemed once per operation: a fulfillment, or one SKU of one device of a manufacturing order
-- (a name-based UUID of 'manufacturing:<order>:<udi>:<sku>'). The foreign key to fulfillment gives way to that; the
-- primary key still makes each operation redeem at most once. The table is rebuilt because H2 and PostgreSQL name
-- the unnamed foreign key differently.
create table pak_redemption_v12 (
    fulfillment_id  uuid         not null,
    pak_line_id     bigint       not null,
    units           int          not null,
    redeemed_at     timestamp with time zone not null
);
insert into pak_redemption_v12 (fulfillment_id, pak_line_id, units, redeemed_at)
    select fulfillment_id, pak_line_id, units, redeemed_at from pak_redemption;
drop table pak_redemption;
create table pak_redemption (
    -- The redeeming operation's id (a fulfillment's id, or a manufacturing order device's SKU).
    fulfillment_id  uuid         primary key,
    pak_line_id     bigint       not null references pak_line (id),
    units           int          not null,
    redeemed_at     timestamp with time zone not null,
    constraint pak_redemption_units_positive check (units > 0)
);
insert into pak_redemption (fulfillment_id, pak_line_id, units, redeemed_at)
    select fulfillment_id, pak_line_id, units, redeemed_at from pak_redemption_v12;
drop table pak_redemption_v12;
