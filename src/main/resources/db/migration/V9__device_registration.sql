-- How a device came to belong to its account: named by a shipping record (an operator, or later a manufacturing
-- order), or claimed by a fulfillment or a rehost destination. An RMA replacement is never claimed: it must be shipped.
alter table device add column registered_by varchar(20) default 'fulfillment' not null;
alter table device add column shipment_reference varchar(100);
