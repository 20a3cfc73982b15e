/**
 * Inventory and search (docs/inventory.md): paged, filtered, read-only lists of devices, licenses, PAKs, accounts and
 * the requests of every flow, and each device's license history. A read model over the capabilities' tables: it reads
 * them directly (each capability's repository answers for one aggregate; a search joins several) and writes nothing.
 * Every list is a keyset page newest first, for one account or, for operators, all.
 */
package io.nodelock.inventory;
