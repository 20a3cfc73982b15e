/**
 * The product catalogue: the operator-edited, versioned {@code catalogue.yml} of features, universal-image
 * feature sets, product IDs and license SKUs, its validating parser, and the Spring wiring that loads it at startup.
 */
package io.nodelock.catalogue;
