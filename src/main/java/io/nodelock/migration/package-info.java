/**
 * License migration: one of an account's licenses moves to a higher SKU the catalogue declares as its upgrade, or an
 * evaluation becomes a permanent license of its feature, for one PAK unit; the old license is superseded on its device.
 */
package io.nodelock.migration;
