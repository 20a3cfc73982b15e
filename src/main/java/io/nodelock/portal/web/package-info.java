/** The portal's own HTTP surface: the customer forms it renders, under /portal/forms/. */
package io.nodelock.portal.web;
