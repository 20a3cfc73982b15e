/** REST API of self-serve evaluations under /api/v1/evaluations. Internal to the evaluation capability. */
package io.nodelock.evaluation.web;
