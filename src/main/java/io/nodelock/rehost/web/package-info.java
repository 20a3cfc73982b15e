/** REST API of license rehosts under /api/v1/rehosts. */
package io.nodelock.rehost.web;
