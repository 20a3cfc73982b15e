/** Reports of the License Manager: CSV exports of licenses and PAK consumption, and scheduled expiry alerts by mail. */
package io.nodelock.report;
