-- EULA consents and self-serve evaluations (docs/eula.md, docs/evaluation.md). SQL that PostgreSQL and H2 share.

-- One explicit acceptance of one EULA version, for one thing (its subject, e.g. 'evaluation:<uuid>'). The texts live
-- in the catalogue; the SHA-256 stored here says which text was accepted, whatever the catalogue says later.
create table eula_consent (
    id                uuid          primary key,
    account_id        varchar(64)   not null references account (id),
    accepted_by       varchar(200)  not null,
    eula_version      varchar(32)   not null,
    text_sha256       varchar(64)   not null,
    accepted_at       timestamp with time zone not null,
    origin_channel    varchar(20)   not null,
    origin_address    varchar(64),
    origin_user_agent varchar(500),
    subject           varchar(120)  not null
);
create index eula_consent_subject on eula_consent (subject);
create index eula_consent_account on eula_consent (account_id);

-- A self-serve evaluation license: one per feature per device, ever. The unique constraint, not the code, is what
-- holds that when two requests race. udi is the device's binding (PID and SN, as device.udi), so a VID changes nothing.
create table evaluation (
    id                uuid          primary key,
    account_id        varchar(64)   not null references account (id),
    udi               varchar(80)   not null,
    feature           varchar(64)   not null,
    usage_days        int           not null,
    email             varchar(320)  not null,
    eula_consent_id   uuid          not null references eula_consent (id),
    created_at        timestamp with time zone not null,
    constraint evaluation_once_per_device_feature unique (udi, feature),
    constraint evaluation_usage_days_positive check (usage_days > 0)
);
create index evaluation_account on evaluation (account_id);
