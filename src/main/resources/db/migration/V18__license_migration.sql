-- License migrations (bpmn/license-migration.bpmn, docs/migration.md): a license upgraded to a higher SKU the catalogue
-- declares as its upgrade, or an evaluation converted to a permanent license, each for one PAK unit. The old license
-- becomes SUPERSEDED (license.status) and the new line names it in license.replaces_id. SQL that PostgreSQL and H2 share.
create table license_migration (
    id                  uuid          primary key,
    account_id          varchar(64)   not null references account (id),
    requested_by        varchar(64)   not null,
    -- The license migrated: its device, feature and SKU (null for a self-serve evaluation) when asked.
    license_id          varchar(64)   not null references license (id),
    udi                 varchar(80)   not null,
    feature             varchar(64)   not null,
    from_sku            varchar(40),
    -- 'UPGRADE' (to a SKU that declares upgradeOf the license's SKU) or 'CONVERSION' (an evaluation or extension to a
    -- permanent SKU of its feature).
    kind                varchar(12)   not null,
    to_sku              varchar(40)   not null,
    pak_code            varchar(24)   not null,
    -- The consent a target SKU with eulaRequired was accepted under (null otherwise).
    eula_consent_id     uuid          references eula_consent (id),
    eula_version        varchar(32),
    status              varchar(20)   not null,
    -- The license id while the migration is open, null once it ended: one open migration per license, so two
    -- requests never both spend a unit on the same license.
    open_license_id     varchar(64),
    -- The account's registered address the result went to.
    email               varchar(320),
    -- The licenses the new line took the place of (now SUPERSEDED), comma-separated, once issued.
    superseded_ids      varchar(2000),
    rejection_code      varchar(40),
    rejection_message   varchar(1000),
    process_instance_id varchar(64)   not null,
    created_at          timestamp with time zone not null,
    completed_at        timestamp with time zone,
    constraint license_migration_one_instance unique (process_instance_id),
    constraint license_migration_one_open unique (open_license_id)
);
create index license_migration_license on license_migration (license_id);
create index license_migration_udi on license_migration (udi);
-- Keyset pages newest first, per account and for all (as V15 for the other flows).
create index license_migration_account_created on license_migration (account_id, created_at, id);
create index license_migration_created on license_migration (created_at, id);
-- A license's successors: what replaced it (RMA, rehost, migration).
create index license_replaces on license (replaces_id);
