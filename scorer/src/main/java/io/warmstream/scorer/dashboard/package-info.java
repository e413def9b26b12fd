/** The dashboard page, which draws the versions ({@code GET /v1/models}) and the drift reports ({@code GET /v1/drift}). */
package io.warmstream.scorer.dashboard;
