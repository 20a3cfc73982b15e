/** Devices known to the service by UDI, the account each belongs to, and whether a UDI may still receive licenses. */
package io.nodelock.device;
