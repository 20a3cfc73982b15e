/** The inventory's REST API: paged lists with filters, cursors and ETags, and a device's licenses and history. */
package io.nodelock.inventory.web;
