-- A device key recorded from a manufacturing certificate (docs/device-identity.md): such a key stays the UDI's key,
-- while a key registered on first use (no certificate) gives way to the first certified one.
alter table device_key add column certificate_serial varchar(64);
alter table device_key add column certificate_issuer varchar(40);
