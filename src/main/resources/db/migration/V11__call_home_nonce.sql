-- Nonces of the License Call Home requests seen within the freshness window: a request is answered once.
create table call_home_nonce (
    nonce       varchar(24)  primary key,
    udi         varchar(80)  not null,
    received_at timestamp with time zone not null
);
create index call_home_nonce_received on call_home_nonce (received_at);
