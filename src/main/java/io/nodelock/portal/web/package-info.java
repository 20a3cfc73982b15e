/** The portal's own HTTP surface: its entry page and the customer forms it renders, under /portal/. */
package io.nodelock.portal.web;
