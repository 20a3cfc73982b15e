/** The reports' CSV endpoints. */
package io.nodelock.report.web;
