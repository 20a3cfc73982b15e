-- Expiry alerts (docs/reports.md): one row per license and threshold that was announced. The primary key is what
-- makes every alert go out once, whichever node or run finds it first. SQL that PostgreSQL and H2 share.
create table expiry_alert (
    license_id      varchar(64)   not null references license (id),
    threshold_days  int           not null,
    account_id      varchar(64)   not null references account (id),
    ends_at         timestamp with time zone not null,
    alerted_at      timestamp with time zone not null,
    mail_id         varchar(120)  not null,
    primary key (license_id, threshold_days)
);
create index expiry_alert_account on expiry_alert (account_id);
