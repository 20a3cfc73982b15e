-- Customer identities (docs/portal.md): people who sign in to the portal for an account, their single-use invitation
-- and password-reset links, sign-in failures, suspended accounts and scoped API tokens. SQL that PostgreSQL and H2 share.

-- A suspended account keeps its data; its tokens and users are refused until an operator reactivates it.
alter table account add column suspended_at timestamp with time zone;

-- A person of an account. Email is the sign-in name, unique across accounts. password_hash is an Argon2id PHC
-- string (null until the invitation is accepted). Customers are never engine users: nothing here maps to a group.
create table account_user (
    id              uuid          primary key,
    account_id      varchar(64)   not null references account (id),
    email           varchar(320)  not null,
    display_name    varchar(200),
    role            varchar(20)   not null,
    status          varchar(12)   not null,
    password_hash   varchar(200),
    created_at      timestamp with time zone not null,
    created_by      varchar(320)  not null,
    last_sign_in_at timestamp with time zone,
    constraint account_user_email unique (email)
);
create index account_user_account on account_user (account_id);

-- Invitation and password-reset links: only the SHA-256 of the random token is kept; each is used once and expires.
create table account_user_link (
    token_hash      varchar(64)   primary key,
    user_id         uuid          not null references account_user (id),
    purpose         varchar(12)   not null,
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    used_at         timestamp with time zone
);
create index account_user_link_user on account_user_link (user_id);

-- Failed sign-ins per sign-in name and source address: too many lock that pair for a while, never for good, and a
-- stranger's failures from elsewhere never lock the person out where they sign in.
create table sign_in_failure (
    email           varchar(320)  not null,
    source          varchar(64)   not null,
    failures        int           not null,
    last_failure_at timestamp with time zone not null,
    locked_until    timestamp with time zone,
    primary key (email, source)
);

-- API tokens: a name the customer chose, a scope (read: GET only; write: everything the account may do), who made it.
alter table api_token add column scope varchar(8) default 'write' not null;
alter table api_token add column created_by varchar(320);
alter table api_token add column last_used_at timestamp with time zone;
