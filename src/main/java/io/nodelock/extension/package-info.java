/** TAC-approved extensions of evaluation and extension licenses: the request, its policy, the approvals (four eyes, escalation) and the signed extension line. */
package io.nodelock.extension;
