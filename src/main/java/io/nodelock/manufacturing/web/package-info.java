/** The operators' REST API of manufacturing orders: HTTP only, on ManufacturingIntake. */
package io.nodelock.manufacturing.web;
