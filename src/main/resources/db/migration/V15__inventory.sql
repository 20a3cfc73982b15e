-- Inventory and search (docs/inventory.md). SQL that PostgreSQL and H2 share.

-- The SKU a license was bought as: set when a fulfillment or a manufacturing order signs it, carried over to the
-- license that replaces it (RMA, rehost); null for self-serve evaluations and TAC extensions, which no SKU sold.
alter table license add column sku varchar(40);

-- Licenses signed before this column: a fulfillment's file is issued under the fulfillment's id.
update license set sku = (select f.sku from fulfillment f where f.id = license.issue_id)
    where sku is null and exists (select 1 from fulfillment f where f.id = license.issue_id);
-- A manufactured device that got a single SKU: every license of the device is of that SKU. (With several SKUs the
-- lines are not told apart here; those stay null.)
update license set sku = (select min(md.skus) from manufacturing_device md where md.skus not like '% %'
        and ' ' || md.license_ids || ' ' like '% ' || license.id || ' %')
    where sku is null and exists (select 1 from manufacturing_device md where md.skus not like '% %'
        and ' ' || md.license_ids || ' ' like '% ' || license.id || ' %');
-- Reissues take their original's SKU; each statement follows one step of a replacement chain (a license moved by an
-- RMA, then rehosted, then moved again...). Longer chains than these are not expected before this migration.
update license set sku = (select o.sku from license o where o.id = license.replaces_id) where sku is null and replaces_id is not null;
update license set sku = (select o.sku from license o where o.id = license.replaces_id) where sku is null and replaces_id is not null;
update license set sku = (select o.sku from license o where o.id = license.replaces_id) where sku is null and replaces_id is not null;
update license set sku = (select o.sku from license o where o.id = license.replaces_id) where sku is null and replaces_id is not null;
update license set sku = (select o.sku from license o where o.id = license.replaces_id) where sku is null and replaces_id is not null;

-- Keyset pagination: every list is sorted newest first by (created time, id) and read from where the cursor left off,
-- for one account (customers, an operator's accountId=) or for all (operators). One index of each shape per list.
create index device_account_seen on device (account_id, first_seen_at, udi);
create index device_seen on device (first_seen_at, udi);
create index license_account_issued on license (account_id, issued_at, id);
create index license_issued on license (issued_at, id);
create index pak_account_created on pak (account_id, created_at, code);
create index pak_created on pak (created_at, code);
create index account_created on account (created_at, id);
create index fulfillment_account_created on fulfillment (account_id, created_at, id);
create index fulfillment_created on fulfillment (created_at, id);
create index rma_account_created on rma (account_id, created_at, id);
create index rma_created on rma (created_at, id);
create index rehost_account_created on rehost (account_id, created_at, id);
create index rehost_created on rehost (created_at, id);
create index license_extension_account_created on license_extension (account_id, created_at, id);
create index license_extension_created on license_extension (created_at, id);
create index license_resend_account_created on license_resend (account_id, created_at, id);
create index license_resend_created on license_resend (created_at, id);

-- A device's history looks its UDI up in every flow's table; these two had no index on it.
create index fulfillment_udi on fulfillment (udi);
create index rehost_destination on rehost (destination_udi);
